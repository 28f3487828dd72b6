"""DecordInit / DecordDecode: paths, file-like objects, only the sampled
frames decoded, and every kind of unreadable video (more in
test_video_file.py)."""
import io
import os

import decord
import numpy as np
import pytest
from mmengine.fileio import BaseStorageBackend, register_backend

from smaug.datasets.transforms import (BadMediaError, DecordDecode,
                                       DecordInit)
from smaug.datasets.transforms.video_file import DecordVideo


def read(source, inds, **kwargs):
    results = DecordInit(**kwargs)(dict(video_path=source))
    results['frame_inds'] = np.asarray(inds)
    return DecordDecode()(results)


def test_reads_exactly_the_sampled_frames(tmp_path, media):
    path = str(media.write_video(tmp_path / 'v.mp4', num_frames=20, size=32))
    results = DecordInit()(dict(video_path=path))
    assert results['total_frames'] == 20
    assert results['avg_fps'] == pytest.approx(8)
    results['frame_inds'] = np.array([2, 9, 9, 17])
    out = DecordDecode()(results)
    assert 'video_reader' not in out
    imgs = out['imgs']
    assert imgs.dtype == np.uint8 and imgs.shape == (4, 32, 32, 3)
    assert out['img_shape'] == (32, 32)
    means = imgs.reshape(4, -1).mean(1)
    np.testing.assert_allclose(
        means, [media.frame_value(i) for i in (2, 9, 9, 17)], atol=3)


def test_decodes_with_one_get_batch_of_the_indices(tmp_path, media):
    path = str(media.write_video(tmp_path / 'v.mp4', num_frames=12))
    results = DecordInit()(dict(video_path=path))
    calls = []

    class SpyReader:
        """Records what is asked of the real reader."""

        def __getattr__(self, name):
            calls.append(name)
            return getattr(results['spied'], name)

        def get_batch(self, inds):
            calls.append(('get_batch', list(inds)))
            return results['spied'].get_batch(inds)

    results['spied'] = results['video_reader'].reader
    results['video_reader'].reader = SpyReader()
    results['frame_inds'] = np.array([1, 6])
    DecordDecode()(results)
    assert calls == [('get_batch', [1, 6])]


class FolderBackend(BaseStorageBackend):
    """A non-local mmengine backend: ``folder://name`` reads ``root/name``.
    """
    root = None

    def get(self, filepath):
        name = str(filepath)[len('folder://'):]
        return (self.root / name).read_bytes()

    def get_text(self, filepath, encoding='utf-8'):
        return self.get(filepath).decode(encoding)


register_backend('smaug_test_folder', FolderBackend, force=True,
                 prefixes='folder')


def test_file_like_object_and_non_local_backend(tmp_path, media):
    path = media.write_video(tmp_path / 'v.mp4', num_frames=10)
    expected = [media.frame_value(0), media.frame_value(5)]
    out = read(io.BytesIO(path.read_bytes()), [0, 5])
    np.testing.assert_allclose(out['imgs'].reshape(2, -1).mean(1), expected,
                               atol=3)
    FolderBackend.root = tmp_path
    out = read('folder://v.mp4', [0, 5])
    np.testing.assert_allclose(out['imgs'].reshape(2, -1).mean(1), expected,
                               atol=3)
    with pytest.raises(BadMediaError, match='folder://gone.mp4: cannot fetch'):
        read('folder://gone.mp4', [0])


@pytest.mark.parametrize('kind, reason', [
    ('missing', 'file not found'),
    ('empty', r'empty file \(0 bytes\)'),
    ('garbage', 'decord cannot open it'),
    ('no_video_stream', 'decord cannot open it'),
])
def test_unopenable_videos_raise_bad_media(tmp_path, media, kind, reason):
    path = str(media.make_bad(tmp_path / f'{kind}.mp4', kind))
    with pytest.raises(BadMediaError, match=reason) as info:
        DecordInit()(dict(video_path=path))
    assert info.value.path == path
    assert str(info.value).startswith(path)


@pytest.mark.parametrize('make, reason', [
    (os.mkfifo, 'a named pipe, not a regular file'),
    (os.mkdir, 'a folder, not a media file'),
])
def test_what_is_no_regular_file_is_refused_unopened(tmp_path, make, reason):
    # opening a named pipe would wait for a writer, forever
    path = tmp_path / 'v.mp4'
    make(path)
    with pytest.raises(BadMediaError, match=f'v.mp4: {reason}'):
        DecordInit()(dict(video_path=str(path)))


def test_truncated_video_is_bad(tmp_path, media):
    # decord indexes every packet when opening, so it refuses a cut file;
    # PyAV opens it (the index comes first) and decodes up to the cut
    path = str(media.make_bad(tmp_path / 't.mp4', 'truncated', num_frames=16))
    assert read(path, [0, 1])['imgs'].shape == (2, 32, 32, 3)
    with pytest.raises(BadMediaError,
                       match=r't.mp4: decord cannot open it \(.*\); PyAV '
                       r'(cannot decode frame|decodes \d+ of its 16 frames)'):
        read(path, [0, 15])


class BrokenReader:
    """A decord reader whose decoding fails."""

    def get_batch(self, inds):
        raise RuntimeError('corrupt packet\nlong decord stack trace')


def test_frames_decord_fails_on_are_decoded_with_pyav(tmp_path, media):
    path = str(media.write_video(tmp_path / 'v.mp4', num_frames=12))
    results = DecordInit()(dict(video_path=path))
    results['video_reader'].reader = BrokenReader()
    results['frame_inds'] = np.array([3, 7])
    imgs = DecordDecode()(results)['imgs']
    np.testing.assert_allclose(imgs.reshape(2, -1).mean(1),
                               [media.frame_value(3), media.frame_value(7)],
                               atol=3)


def test_decoding_errors_of_both_readers_raise_bad_media(tmp_path, media):
    path = str(media.write_video(tmp_path / 'v.mp4', num_frames=12))
    results = DecordInit()(dict(video_path=path))
    results['video_reader'].reader = BrokenReader()
    results['frame_inds'] = np.array([3, 7])
    media.flip_bits(path, count=64)
    with pytest.raises(BadMediaError,
                       match=r'v.mp4: cannot decode frames \[3, 7\] '
                       r'\(decord: corrupt packet; PyAV cannot decode frame '
                       r'\d'):
        DecordDecode()(results)


def test_decord_is_what_is_used(tmp_path, media):
    path = str(media.write_video(tmp_path / 'v.mp4', num_frames=4))
    video = DecordInit()(dict(video_path=path))['video_reader']
    assert isinstance(video, DecordVideo)
    assert isinstance(video.reader, decord.VideoReader)
