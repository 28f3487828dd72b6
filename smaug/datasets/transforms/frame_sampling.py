"""Choosing which K frames of a video to decode."""
import numpy as np

from smaug.registry import TRANSFORMS
from .bad_media import BadMediaError
from .settings_repr import SettingsReprTransform


@TRANSFORMS.register_module()
class SampleClipFrames(SettingsReprTransform):
    """Pick ``num_frames`` frame indices of a video (Singularity/TSN style).

    Modes:

    - ``'segment'``: split the video into ``num_frames`` equal segments and
      take one frame per segment: a random frame of each in training, each
      segment's middle frame at test (``test_mode=True``).
    - ``'fps'``: ``num_frames`` frames spaced ``1 / fps`` seconds apart (from
      the video's own frame rate): a random window in training, the centred
      window at test. A video too short for that window is sampled with the
      widest spacing that fits.

    Short videos (decided here, see docs/design.md, "Data"): a video
    with no frames is always bad. One with fewer than ``num_frames`` frames
    is bad in training (it cannot give K distinct frames; the dataset logs
    it and draws another sample), while at test its frames are repeated (the
    segment middles of a short video repeat indices), since a test video may
    not be dropped from the gallery.

    Required keys: ``total_frames`` (and ``avg_fps`` for ``'fps'``),
    ``video_path``. Added keys: ``frame_inds`` (int64 array (K,)),
    ``num_frames``.

    Args:
        num_frames (int): Frames per clip (K).
        mode (str): ``'segment'`` or ``'fps'``. Defaults to ``'segment'``.
        fps (float, optional): Sampling rate for ``mode='fps'``.
        test_mode (bool): Deterministic test sampling. Defaults to False.
    """
    repr_settings = ('num_frames', 'mode', 'fps', 'test_mode')

    def __init__(self, num_frames, mode='segment', fps=None, test_mode=False):
        if num_frames < 1:
            raise ValueError(f'num_frames must be >= 1, got {num_frames}')
        if mode not in ('segment', 'fps'):
            raise ValueError(f"mode must be 'segment' or 'fps', got {mode!r}")
        if mode == 'fps' and not (fps and fps > 0):
            raise ValueError(f"mode='fps' needs fps > 0, got {fps!r}")
        self.num_frames = num_frames
        self.mode = mode
        self.fps = fps
        self.test_mode = test_mode

    def _segment_indices(self, total):
        """One index per equal segment: random (train) or middle (test)."""
        edges = np.linspace(0, total, self.num_frames + 1)
        if self.test_mode:
            return ((edges[:-1] + edges[1:]) / 2).astype(np.int64)
        starts = edges[:-1].astype(np.int64)
        lengths = np.maximum(edges[1:].astype(np.int64) - starts, 1)
        return starts + (np.random.rand(self.num_frames) *
                         lengths).astype(np.int64)

    def _fps_indices(self, total, avg_fps):
        """``num_frames`` indices ``avg_fps / fps`` frames apart."""
        if self.num_frames == 1:
            step = 0.
        else:
            step = min(avg_fps / self.fps, (total - 1) / (self.num_frames - 1))
        span = step * (self.num_frames - 1)
        free = max(total - 1 - span, 0.)
        start = free / 2 if self.test_mode else np.random.uniform(0, free)
        inds = np.round(start + step * np.arange(self.num_frames))
        return np.clip(inds, 0, total - 1).astype(np.int64)

    def transform(self, results):
        """Sample the frame indices.

        Args:
            results (dict): The pipeline dict.
        """
        total = results['total_frames']
        if total < 1:
            raise BadMediaError(results['video_path'], 'video has no frames')
        if total < self.num_frames and not self.test_mode:
            raise BadMediaError(
                results['video_path'],
                f'video has {total} frames, fewer than the {self.num_frames} '
                'asked')
        if self.mode == 'fps':
            inds = self._fps_indices(total, results['avg_fps'])
        else:
            inds = self._segment_indices(total)
        results['frame_inds'] = inds
        results['num_frames'] = self.num_frames
        return results
