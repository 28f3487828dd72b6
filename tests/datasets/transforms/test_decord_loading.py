"""DecordInit / DecordDecode: paths, file-like objects, only the sampled
frames decoded, and every kind of unreadable video."""
import io

import decord
import numpy as np
import pytest
from mmengine.fileio import BaseStorageBackend, register_backend

from smaug.datasets.transforms import (BadMediaError, DecordDecode,
                                       DecordInit)


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

    results['spied'] = results['video_reader']
    results['video_reader'] = SpyReader()
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


def test_truncated_video_is_bad(tmp_path, media):
    # decord indexes every packet when opening, so a cut file fails there
    path = str(media.make_bad(tmp_path / 't.mp4', 'truncated', num_frames=16))
    with pytest.raises(BadMediaError, match='t.mp4: decord cannot open it'):
        DecordInit()(dict(video_path=path))


def test_decoding_errors_raise_bad_media():

    class BrokenReader:

        def get_batch(self, inds):
            raise RuntimeError('corrupt packet\nlong decord stack trace')

    results = dict(video_reader=BrokenReader(), frame_inds=np.array([3, 7]),
                   video_path='x.mp4')
    with pytest.raises(BadMediaError,
                       match=r'x.mp4: cannot decode frames \[3, 7\] '
                       r'\(corrupt packet\)$'):
        DecordDecode()(results)


def test_decord_is_what_is_used(tmp_path, media):
    path = str(media.write_video(tmp_path / 'v.mp4', num_frames=4))
    assert isinstance(DecordInit()(dict(video_path=path))['video_reader'],
                      decord.VideoReader)
