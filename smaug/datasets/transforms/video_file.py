"""The one way smaug reads a video: decord, and PyAV where decord cannot.

:func:`open_video` opens a file (a local path directly; any other mmengine
file backend, or a file-like object, through memory) with decord, whose
frame index gives random access to the sampled frames. decord 0.6 carries an
FFmpeg of 2018 that has no AV1 decoder and no GIF demuxer, and fails on some
small widths (2-8, 12, 16, 24, 48 or 72 pixels: "DECORDArrayCopyFromTo: The
size must exactly match"); PyAV (a current FFmpeg) reads what decord cannot
open, and decodes the frames decord fails on or decodes with FFmpeg errors
(:mod:`.decord_errors`). PyAV decodes from the first frame with FFmpeg's
strictest error detection (``err_detect=explode``), so damaged data raises
instead of being concealed. A video neither can read raises
:class:`BadMediaError` with both reasons.
"""
import io
import os.path as osp

import av
import decord
import numpy as np
from mmengine.fileio import LocalBackend, get_file_backend

from .bad_media import BadMediaError, check_regular_file
from .decord_errors import collect_errors
from .media_signature import wrong_key_hint


def first_line(err):
    """The first non-empty line of an exception message.

    Args:
        err (Exception): The exception.
    """
    lines = [line for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


def _first_messages(logged, count=2):
    """The first ``count`` distinct FFmpeg messages, joined."""
    return '; '.join(list(dict.fromkeys(logged))[:count])


def _is_still_image(container):
    """Whether FFmpeg opened a single image (a JPEG or PNG pipe...), which
    it can, rather than a video or an animation."""
    name = container.format.name
    return name.endswith('_pipe') or name == 'image2'


class PyAVVideo:
    """A video decoded with PyAV, in order, damaged data raising.

    Args:
        source (str | io.BytesIO): A local path or the file's bytes.
        path (str): The name errors give.
        num_threads (int): Decoder threads. Defaults to 1.
        decord_reason (str, optional): Why decord cannot open the file,
            which errors then give first. Defaults to None.

    Attributes:
        num_frames (int): Frames (the container's count, else its video
            packets).
        fps (float): Average frame rate (0 when unknown).
    """

    def __init__(self, source, path, num_threads=1, decord_reason=None):
        self.source, self.path, self.num_threads = source, path, num_threads
        self.decord_reason = decord_reason
        try:
            with self._open() as container:
                stream = container.streams.video[0]
                rate = stream.average_rate or stream.guessed_rate
                self.fps = float(rate) if rate else 0.0
                self.num_frames = stream.frames or sum(
                    1 for packet in container.demux(stream) if packet.size)
        except BadMediaError:
            raise
        except Exception as err:  # av.FFmpegError, IndexError (no video)
            reason = ('no video stream' if isinstance(err, IndexError) else
                      first_line(err))
            raise self._error(f'PyAV cannot open it ({reason})') from err

    def _error(self, reason):
        """A :class:`BadMediaError` of this file, after decord's reason."""
        if self.decord_reason:
            reason = f'{self.decord_reason}; {reason}'
        return BadMediaError(self.path, reason)

    def _open(self):
        """Open the container (from the start for in-memory files)."""
        if hasattr(self.source, 'seek'):
            self.source.seek(0)
        container = av.open(self.source)
        if _is_still_image(container):
            container.close()
            raise self._error('PyAV opens it as a still image, not a video')
        return container

    def _decode(self, stop):
        """Decode frames in order until ``stop(index, frame)`` is true.

        Args:
            stop (Callable): Called with each frame's index and
                ``av.VideoFrame``.

        Returns:
            int: The number of frames decoded.
        """
        count = 0
        try:
            with self._open() as container:
                stream = container.streams.video[0]
                stream.codec_context.options = {'err_detect': 'explode'}
                stream.codec_context.thread_count = self.num_threads
                for frame in container.decode(stream):
                    if stop(count, frame):
                        return count + 1
                    count += 1
        except BadMediaError:
            raise
        except Exception as err:  # av.FFmpegError: damaged data
            raise self._error(f'PyAV cannot decode frame {count} '
                              f'({first_line(err)})') from err
        return count

    def frames(self, inds):
        """Decode the frames ``inds``.

        Args:
            inds (Sequence[int]): Frame indices (any order, repeats).

        Returns:
            np.ndarray: uint8 (K, H, W, 3) RGB.
        """
        inds = [int(i) for i in inds]
        wanted, last, found = set(inds), max(inds), {}

        def keep(index, frame):
            if index in wanted:
                found[index] = frame.to_ndarray(format='rgb24')
            return index >= last

        decoded = self._decode(keep)
        if last not in found:
            raise self._error(f'PyAV decodes {decoded} of its '
                              f'{self.num_frames} frames, not frame {last}')
        return np.stack([found[i] for i in inds])

    def check_every_frame(self):
        """Decode every frame (raising on damaged data); return how many."""
        return self._decode(lambda index, frame: False)


class DecordVideo:
    """A video opened with decord, PyAV decoding what decord cannot.

    Args:
        source (str | io.BytesIO): A local path or the file's bytes.
        path (str): The name errors give.
        num_threads (int): Decoder threads. Defaults to 1.

    Attributes:
        num_frames (int): Frames.
        fps (float): Average frame rate.
    """

    def __init__(self, source, path, num_threads=1):
        self.source, self.path, self.num_threads = source, path, num_threads
        with collect_errors() as logged:
            try:
                self.reader = decord.VideoReader(
                    source, ctx=decord.cpu(0), num_threads=num_threads)
            except Exception as err:  # RuntimeError, DECORDError
                reason = _first_messages(logged) or first_line(err)
                raise BadMediaError(
                    path, f'decord cannot open it ({reason})') from err
        self.num_frames = len(self.reader)
        self.fps = self.reader.get_avg_fps()

    def frames(self, inds):
        """Decode the frames ``inds`` with one ``get_batch`` call (PyAV
        decodes them instead when decord fails or FFmpeg logs errors).

        Args:
            inds (Sequence[int]): Frame indices (any order, repeats).

        Returns:
            np.ndarray: uint8 (K, H, W, 3) RGB.
        """
        with collect_errors() as logged:
            try:
                imgs = self.reader.get_batch(inds).asnumpy()
                failure = None
            except Exception as err:  # truncated data, odd widths, ...
                failure = first_line(err)
        if failure is None and not logged:
            return imgs
        try:
            return PyAVVideo(self.source, self.path,
                             self.num_threads).frames(inds)
        except BadMediaError as err:
            decord_reason = _first_messages(logged) or failure
            raise BadMediaError(
                self.path, f'cannot decode frames {[int(i) for i in inds]} '
                f'(decord: {decord_reason}; {err.reason})') from err


def _head(source):
    """The first bytes of a local file or an in-memory file."""
    if isinstance(source, str):
        with open(source, 'rb') as f:
            return f.read(16)
    return source.getvalue()[:16]


def _source(path, backend_args=None):
    """What the readers open: a local path, or the file's bytes in memory.

    Args:
        path (str | file-like): The video.
        backend_args (dict, optional): mmengine file backend arguments.
    """
    if hasattr(path, 'read'):
        return io.BytesIO(path.read())
    backend = get_file_backend(path, backend_args=backend_args)
    if isinstance(backend, LocalBackend):
        if osp.islink(path) and not osp.exists(path):
            raise BadMediaError(path, 'a symbolic link to nowhere (a loop, or '
                                'a missing target)')
        check_regular_file(path)
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


def open_video(path, num_threads=1, backend_args=None):
    """Open a video with decord, else with PyAV.

    Args:
        path (str | file-like): A path (local, or of any mmengine file
            backend) or a file-like object with ``read`` (errors give its
            ``name`` when it has one). An opened video (with ``frames``,
            e.g. a shard's pre-sampled frames) is returned as is.
        num_threads (int): Decoder threads. 1 suits dataloader workers.
            Defaults to 1.
        backend_args (dict, optional): mmengine file backend arguments for
            paths that are not local. Defaults to None.

    Returns:
        DecordVideo | PyAVVideo: ``num_frames``, ``fps`` and
        ``frames(inds)``.

    Raises:
        BadMediaError: Neither can open it (both reasons), or it is
            missing, empty or cannot be fetched.
    """
    if hasattr(path, 'frames'):
        return path
    source = _source(path, backend_args)
    name = getattr(path, 'name', path)
    try:
        return DecordVideo(source, name, num_threads)
    except BadMediaError as decord_error:
        try:
            return PyAVVideo(source, name, num_threads, decord_error.reason)
        except BadMediaError as error:
            hint = wrong_key_hint(_head(source), 'video')
            raise BadMediaError(name, error.reason + hint) from error
