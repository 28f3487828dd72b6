"""SampleClipFrames: segment sampling (train/test), fps sampling, short
videos."""
import numpy as np
import pytest

from smaug.datasets.transforms import BadMediaError, SampleClipFrames


def sample(total, avg_fps=10., **kwargs):
    results = dict(total_frames=total, avg_fps=avg_fps, video_path='v.mp4')
    return SampleClipFrames(**kwargs)(results)['frame_inds']


def test_train_segment_indices_fall_in_their_segments():
    total, k = 50, 4
    edges = np.linspace(0, total, k + 1).astype(int)
    draws = np.stack([sample(total, num_frames=k) for _ in range(300)])
    assert draws.dtype == np.int64 and draws.shape == (300, k)
    for i in range(k):
        assert draws[:, i].min() >= edges[i]
        assert draws[:, i].max() < edges[i + 1]
        # random within the segment: every frame of it gets drawn
        assert len(np.unique(draws[:, i])) == edges[i + 1] - edges[i]


def test_train_segments_draw_independent_offsets():
    # Four segments of 10 frames: offsets of segments 0 and 1 are two
    # independent uniform draws of 0..9, so 400 clips show nearly all 100
    # pairs (a single offset shared by every segment shows 10).
    np.random.seed(0)
    draws = np.stack([sample(40, num_frames=4) for _ in range(400)])
    offsets = draws - np.array([0, 10, 20, 30])
    pairs = {(int(first), int(second)) for first, second in offsets[:, :2]}
    assert len(pairs) > 80
    assert (offsets.min(axis=1) != offsets.max(axis=1)).mean() > 0.9


def test_test_mode_takes_segment_middles():
    np.testing.assert_array_equal(
        sample(40, num_frames=4, test_mode=True), [5, 15, 25, 35])
    np.testing.assert_array_equal(
        sample(7, num_frames=1, test_mode=True), [3])
    assert (sample(40, num_frames=4, test_mode=True) == sample(
        40, num_frames=4, test_mode=True)).all()


def test_short_video_is_bad_in_training_and_repeated_at_test():
    with pytest.raises(BadMediaError, match='v.mp4: video has 3 frames, '
                       'fewer than the 4 asked'):
        sample(3, num_frames=4)
    np.testing.assert_array_equal(
        sample(3, num_frames=4, test_mode=True), [0, 1, 1, 2])
    assert sample(4, num_frames=4).tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize('test_mode', [False, True])
def test_zero_frames_is_always_bad(test_mode):
    with pytest.raises(BadMediaError, match='no frames'):
        sample(0, num_frames=1, test_mode=test_mode)


def test_fps_mode_spacing_and_windows():
    # 30 fps video sampled at 3 fps: frames 10 apart.
    inds = sample(300, avg_fps=30., num_frames=4, mode='fps', fps=3,
                  test_mode=True)
    np.testing.assert_array_equal(np.diff(inds), [10, 10, 10])
    assert inds[0] == round((299 - 30) / 2)  # centred window
    starts = set()
    for _ in range(100):
        inds = sample(300, avg_fps=30., num_frames=4, mode='fps', fps=3)
        np.testing.assert_array_equal(np.diff(inds), [10, 10, 10])
        assert inds[0] >= 0 and inds[-1] <= 299
        starts.add(int(inds[0]))
    assert len(starts) > 20  # a random window


def test_fps_mode_shrinks_spacing_for_short_videos():
    inds = sample(16, avg_fps=30., num_frames=4, mode='fps', fps=1,
                  test_mode=True)
    np.testing.assert_array_equal(inds, [0, 5, 10, 15])


def test_bad_arguments():
    with pytest.raises(ValueError, match='num_frames'):
        SampleClipFrames(num_frames=0)
    with pytest.raises(ValueError, match='fps'):
        SampleClipFrames(num_frames=2, mode='fps')
    with pytest.raises(ValueError, match='mode'):
        SampleClipFrames(num_frames=2, mode='uniform')
