"""Crop, resize and flip of whole clips (one geometry for all frames)."""
import cv2
import numpy as np
import pytest

from smaug.datasets.transforms import (ClipCenterCrop, ClipFlip,
                                       ClipRandomResizedCrop, ClipResize,
                                       resize_clip)


def clip(k=3, h=60, w=80):
    """Frames that differ only by a per-frame offset, with a spatial
    gradient, so a shared crop keeps the offsets constant."""
    yy, xx = np.mgrid[0:h, 0:w]
    base = (xx + 2 * yy) % 200
    frames = [base + 10 * i for i in range(k)]
    return np.stack(frames)[..., None].repeat(3, -1).astype(np.uint8)


def test_random_resized_crop_uses_one_box_for_all_frames():
    imgs = clip()
    t = ClipRandomResizedCrop(size=32, interpolation='nearest')
    for _ in range(20):
        out = t(dict(imgs=imgs))
        assert out['imgs'].shape == (3, 32, 32, 3)
        assert out['img_shape'] == (32, 32)
        diffs = out['imgs'].astype(int) - out['imgs'][:1].astype(int)
        # nearest resampling of the same box: frames differ by the offset
        assert (diffs[1] == 10).all() and (diffs[2] == 20).all()
        x1, y1, x2, y2 = out['crop_bbox']
        area = (x2 - x1) * (y2 - y1) / (60 * 80)
        assert 0.5 - 0.03 <= area <= 1.0
        assert 3 / 4 - 0.05 <= (x2 - x1) / (y2 - y1) <= 4 / 3 + 0.05


@pytest.mark.parametrize('height, width', [(120, 40), (40, 120)])
def test_random_resized_crop_is_the_resize_of_its_box(height, width):
    """On a non-square frame the box lies inside the frame, the output is
    the bicubic resize of that box's pixels, and the offset along the long
    side ranges past what the short side would allow."""
    imgs = np.random.default_rng(0).integers(0, 256, (2, height, width, 3),
                                             dtype=np.uint8)
    crop = ClipRandomResizedCrop(size=(24, 16), scale=(0.05, 0.3))
    np.random.seed(0)
    boxes = []
    for _ in range(50):
        out = crop(dict(imgs=imgs))
        x1, y1, x2, y2 = out['crop_bbox']
        assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
        for frame, result in zip(imgs, out['imgs']):
            np.testing.assert_array_equal(
                result, cv2.resize(np.ascontiguousarray(frame[y1:y2, x1:x2]),
                                   (24, 16), interpolation=cv2.INTER_CUBIC))
        boxes.append((x1, y1, x2 - x1, y2 - y1))
    x, y, w, h = np.array(boxes).T
    if width > height:
        assert (x > height - h).any()
    else:
        assert (y > width - w).any()


def test_random_resized_crop_varies_and_validates():
    t = ClipRandomResizedCrop(size=(40, 20))
    boxes = {t(dict(imgs=clip()))['crop_bbox'] for _ in range(20)}
    assert len(boxes) > 10
    assert t(dict(imgs=clip()))['imgs'].shape == (3, 20, 40, 3)
    with pytest.raises(ValueError, match='scale'):
        ClipRandomResizedCrop(size=8, scale=(0, 1))
    with pytest.raises(ValueError, match='interpolation'):
        ClipRandomResizedCrop(size=8, interpolation='lanczos9')


def test_resize_clip_matches_cv2_per_frame_and_skips_same_size():
    imgs = clip(k=4)
    out = resize_clip(imgs[:, 5:50, 10:70], (24, 16))
    assert out.shape == (4, 16, 24, 3) and out.flags.c_contiguous
    for k in range(4):
        np.testing.assert_array_equal(
            out[k], cv2.resize(np.ascontiguousarray(imgs[k, 5:50, 10:70]),
                               (24, 16), interpolation=cv2.INTER_LINEAR))
    assert resize_clip(imgs, (80, 60)) is imgs


def test_resize_short_side_and_exact():
    out = ClipResize(scale=30)(dict(imgs=clip(h=60, w=80)))
    assert out['imgs'].shape == (3, 30, 40, 3) and out['img_shape'] == (30,
                                                                        40)
    out = ClipResize(scale=(16, 12))(dict(imgs=clip()))
    assert out['imgs'].shape == (3, 12, 16, 3)


def test_center_crop_is_centred():
    imgs = clip(h=60, w=80)
    out = ClipCenterCrop(crop_size=40)(dict(imgs=imgs))
    assert out['crop_bbox'] == (20, 10, 60, 50)
    np.testing.assert_array_equal(out['imgs'], imgs[:, 10:50, 20:60])
    with pytest.raises(ValueError, match='exceeds the frame size'):
        ClipCenterCrop(crop_size=100)(dict(imgs=imgs, video_path='v.mp4'))


def test_flip_mirrors_every_frame():
    imgs = clip()
    out = ClipFlip(prob=1.)(dict(imgs=imgs.copy()))
    assert out['flip'] is True and out['imgs'].flags.c_contiguous
    np.testing.assert_array_equal(out['imgs'], imgs[:, :, ::-1])
    out = ClipFlip(prob=0.)(dict(imgs=imgs.copy()))
    assert out['flip'] is False
    np.testing.assert_array_equal(out['imgs'], imgs)
    flips = [ClipFlip()(dict(imgs=imgs))['flip'] for _ in range(200)]
    assert 60 < sum(flips) < 140
    with pytest.raises(ValueError, match='prob'):
        ClipFlip(prob=2)


def test_flip_is_drawn_once_per_clip():
    """At probability 0.5 a clip comes out all flipped or all as it was."""
    imgs = clip(k=4)
    np.random.seed(0)
    flips = []
    for _ in range(100):
        out = ClipFlip(prob=0.5)(dict(imgs=imgs.copy()))
        expected = imgs[:, :, ::-1] if out['flip'] else imgs
        np.testing.assert_array_equal(out['imgs'], expected)
        flips.append(out['flip'])
    assert 30 < sum(flips) < 70
