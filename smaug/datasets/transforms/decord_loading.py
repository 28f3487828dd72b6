"""Video reading with decord: open a video, then decode only sampled frames.

``DecordInit`` opens the file (a local path directly; any other mmengine file
backend, or a file-like object, through memory) and records the frame count
and frame rate; a frame-sampling transform then picks ``frame_inds``;
``DecordDecode`` decodes exactly those frames with one ``get_batch`` call, so
the rest of the video is never decoded. Every failure raises
:class:`BadMediaError` naming the file and the reason.

decord 0.6 cannot convert the frames of videos of some small widths (2-8,
12, 16, 24, 48 or 72 pixels: "DECORDArrayCopyFromTo: The size must exactly
match"); ``DecordDecode`` decodes such (tiny, local) videos with PyAV.
"""
import io
import os.path as osp

import av
import decord
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.fileio import LocalBackend, get_file_backend

from smaug.registry import TRANSFORMS
from .bad_media import BadMediaError
from .media_signature import wrong_key_hint


def _first_line(err):
    """Return the first non-empty line of an exception message."""
    lines = [line for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


def _head(source):
    """The first bytes of a local file or an in-memory file ('' if
    unknown)."""
    if isinstance(source, str):
        with open(source, 'rb') as f:
            return f.read(16)
    return source.getvalue()[:16] if hasattr(source, 'getvalue') else b''


def _decode_with_pyav(path, inds):
    """Frames ``inds`` of a small local video decoded with PyAV, or None.

    Args:
        path (str): The video (small: every frame is decoded).
        inds (np.ndarray): Frame indices.
    """
    try:
        with av.open(path) as container:
            frames = [frame.to_ndarray(format='rgb24')
                      for frame in container.decode(video=0)]
        return np.stack([frames[i] for i in inds])
    except Exception:  # unreadable for PyAV too: the caller reports it
        return None


@TRANSFORMS.register_module()
class DecordInit(BaseTransform):
    """Open ``results['video_path']`` with decord.

    Required keys: ``video_path`` (str, or a file-like object with ``read``).
    Added keys: ``video_reader``, ``total_frames``, ``avg_fps``.

    Args:
        num_threads (int): Decoder threads per video. 1 suits dataloader
            workers (the workers are the parallelism). Defaults to 1.
        backend_args (dict, optional): mmengine file backend arguments for
            paths that are not local files (e.g. a petrel or HTTP backend).
            Defaults to None.
    """

    def __init__(self, num_threads=1, backend_args=None):
        self.num_threads = num_threads
        self.backend_args = backend_args

    def _source(self, path):
        """Return what decord should open: a local path or an in-memory
        file."""
        if hasattr(path, 'read'):
            return path
        backend = get_file_backend(path, backend_args=self.backend_args)
        if isinstance(backend, LocalBackend):
            if not osp.isfile(path):
                raise BadMediaError(path, 'file not found')
            if osp.getsize(path) == 0:
                raise BadMediaError(path, 'empty file (0 bytes)')
            return path
        try:
            data = backend.get(path)
        except Exception as err:  # any backend: missing key, network, ...
            raise BadMediaError(path, f'cannot fetch: {err}') from err
        if not data:
            raise BadMediaError(path, 'empty file (0 bytes)')
        return io.BytesIO(data)

    def transform(self, results):
        """Open the video.

        Args:
            results (dict): The pipeline dict.
        """
        path = results['video_path']
        source = self._source(path)
        try:
            reader = decord.VideoReader(
                source, ctx=decord.cpu(0), num_threads=self.num_threads)
        except Exception as err:  # decord raises RuntimeError/DECORDError
            raise BadMediaError(
                path, f'decord cannot open it ({_first_line(err)})'
                f'{wrong_key_hint(_head(source), "video")}') from err
        results['video_reader'] = reader
        results['total_frames'] = len(reader)
        results['avg_fps'] = reader.get_avg_fps()
        return results

    def __repr__(self):
        return (f'{type(self).__name__}(num_threads={self.num_threads}, '
                f'backend_args={self.backend_args})')


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
        reader = results.pop('video_reader')
        inds = np.asarray(results['frame_inds'])
        path = results['video_path']
        try:
            imgs = reader.get_batch(inds).asnumpy()
        except Exception as err:  # truncated data, corrupt packets, ...
            imgs = None
            if 'size must exactly match' in str(err) and isinstance(
                    path, str) and osp.isfile(path):
                imgs = _decode_with_pyav(path, inds)
            if imgs is None:
                raise BadMediaError(
                    path, f'cannot decode frames {inds.tolist()} '
                    f'({_first_line(err)})') from err
        results['imgs'] = imgs
        results['img_shape'] = imgs.shape[1:3]
        results['ori_shape'] = imgs.shape[1:3]
        return results
