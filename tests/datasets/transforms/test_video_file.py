"""open_video: decord, PyAV for what decord cannot read (AV1, GIF), damaged
frames reported instead of concealed, honest reasons when nothing reads a
file."""
import numpy as np
import pytest

from smaug.datasets.transforms import (BadMediaError, DecordDecode,
                                       DecordInit, open_video)
from smaug.datasets.transforms.decord_errors import AVAILABLE
from smaug.datasets.transforms.video_file import PyAVVideo

# (file name, encoder, pixel format): formats decord 0.6 cannot open
UNREADABLE_FOR_DECORD = [
    ('av1.mp4', 'libaom-av1', 'yuv420p'),
    ('av1.mkv', 'libaom-av1', 'yuv420p'),
    ('av1.webm', 'libaom-av1', 'yuv420p'),
    ('animation.gif', 'gif', 'gray'),
]


def read(path, inds):
    """The frames ``inds`` of a video through the pipeline transforms."""
    results = DecordInit()(dict(video_path=str(path)))
    results['frame_inds'] = np.asarray(inds)
    return DecordDecode()(results)


@pytest.mark.parametrize('name, codec, pix_fmt', UNREADABLE_FOR_DECORD)
def test_av1_and_gif_are_read_with_pyav(tmp_path, media, name, codec,
                                        pix_fmt):
    path = media.write_video(tmp_path / name, num_frames=12, codec=codec,
                             pix_fmt=pix_fmt, faststart=False)
    video = open_video(str(path))
    assert isinstance(video, PyAVVideo)
    assert video.num_frames == 12 and video.fps == pytest.approx(8, rel=0.05)
    out = read(path, [9, 2, 2, 11])
    assert out['imgs'].shape == (4, 32, 32, 3)
    np.testing.assert_allclose(
        out['imgs'].reshape(4, -1).mean(1),
        [media.frame_value(i) for i in (9, 2, 2, 11)], atol=3)


def test_bit_flipped_frames_are_reported_not_concealed(tmp_path, media):
    assert AVAILABLE, "decord's FFmpeg log cannot be read here"
    path = media.write_video(tmp_path / 'v.mp4', num_frames=8, size=64,
                             faststart=False)
    media.flip_bits(path, count=8, seed=0)
    video = open_video(str(path))  # the index is intact: decord opens it
    with pytest.raises(BadMediaError,
                       match=r'v.mp4: cannot decode frames \[0, 7\] '
                       r'\(decord: \[mpeg4\] .+; PyAV cannot decode frame'):
        video.frames([0, 7])
    with pytest.raises(BadMediaError, match='PyAV cannot decode frame'):
        PyAVVideo(str(path), str(path)).check_every_frame()


def test_a_clean_file_decodes_every_frame(tmp_path, media):
    path = media.write_video(tmp_path / 'v.mp4', num_frames=8, size=64)
    assert PyAVVideo(str(path), str(path)).check_every_frame() == 8


def test_unreadable_file_gives_both_readers_reasons(tmp_path, media):
    path = str(media.make_bad(tmp_path / 'g.mp4', 'garbage'))
    with pytest.raises(BadMediaError,
                       match=r'g.mp4: decord cannot open it \(.+\); PyAV '
                       r'cannot open it \(.*Invalid data'):
        open_video(path)
    path = str(media.make_bad(tmp_path / 'a.mp4', 'no_video_stream'))
    with pytest.raises(BadMediaError,
                       match=r'PyAV cannot open it \(no video stream\)$'):
        open_video(path)


def test_a_still_image_is_not_a_video(tmp_path, media):
    path = str(media.write_image(tmp_path / 'img.jpg'))
    with pytest.raises(BadMediaError,
                       match='PyAV opens it as a still image, not a video; '
                       'it is an image: annotate it with "image"'):
        open_video(path)
