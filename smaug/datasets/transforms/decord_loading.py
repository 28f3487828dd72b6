"""Video reading in pipelines: open a video, then decode only sampled frames.

``DecordInit`` opens the file with :func:`~.video_file.open_video` (decord,
or PyAV for what decord cannot open: AV1, GIF, ...) and records the frame
count and frame rate; a frame-sampling transform then picks ``frame_inds``;
``DecordDecode`` decodes exactly those frames (decord: one ``get_batch``
call, so the rest of the video is never decoded; PyAV takes over for frames
decord fails on or decodes with FFmpeg errors). Every failure, a damaged
frame included, raises :class:`BadMediaError` naming the file and the
reason.
"""
import numpy as np
from mmcv.transforms import BaseTransform

from smaug.registry import TRANSFORMS
from .settings_repr import SettingsReprTransform
from .video_file import open_video


@TRANSFORMS.register_module()
class DecordInit(SettingsReprTransform):
    """Open ``results['video_path']`` (decord, else PyAV), or the
    ``media_file`` that replaces it (a shard's member, or its pre-sampled
    frames: see :class:`~.shard_loading.LoadFromShards`).

    Required keys: ``video_path`` (str, or a file-like object with ``read``).
    Optional keys: ``media_file``.
    Added keys: ``video_reader``, ``total_frames``, ``avg_fps``.

    Args:
        num_threads (int): Decoder threads per video. 1 suits dataloader
            workers (the workers are the parallelism). Defaults to 1.
        backend_args (dict, optional): mmengine file backend arguments for
            paths that are not local files (e.g. a petrel or HTTP backend).
            Defaults to None.
    """
    repr_settings = ('num_threads', 'backend_args')

    def __init__(self, num_threads=1, backend_args=None):
        self.num_threads = num_threads
        self.backend_args = backend_args

    def transform(self, results):
        """Open the video.

        Args:
            results (dict): The pipeline dict.
        """
        video = open_video(results.get('media_file', results['video_path']),
                           self.num_threads, self.backend_args)
        results['video_reader'] = video
        results['total_frames'] = video.num_frames
        results['avg_fps'] = video.fps
        return results


@TRANSFORMS.register_module()
class DecordDecode(BaseTransform):
    """Decode the frames at ``results['frame_inds']`` and close the reader.

    Required keys: ``video_reader``, ``frame_inds``, ``video_path``.
    Added keys: ``imgs`` (uint8 ndarray (K, H, W, 3), RGB), ``img_shape``,
    ``ori_shape``. Removed keys: ``video_reader``.
    """

    def transform(self, results):
        """Decode the sampled frames.

        Args:
            results (dict): The pipeline dict.
        """
        video = results.pop('video_reader')
        imgs = video.frames(np.asarray(results['frame_inds']))
        results['imgs'] = imgs
        results['img_shape'] = imgs.shape[1:3]
        results['ori_shape'] = imgs.shape[1:3]
        return results
