"""Video files a web browser can play: the file itself when its container
and codec are ones browsers play, else an H.264 copy made with PyAV.

Browsers play MP4 and WebM with H.264, VP8, VP9 or AV1 video; a search
folder often holds more (MPEG-4 Part 2 in AVI or MP4, WMV, MPEG-2, ...),
which the search page could not play otherwise. The copy is video only
(audio is left out), at the source's size rounded down to even sides, and
kept in a cache folder under a name derived from the file's path, size and
modification time, so it is made once per version of the file.
"""
import hashlib
import os
import os.path as osp
import tempfile

import av

PLAYABLE_CONTAINERS = ('.mp4', '.m4v', '.webm')
PLAYABLE_CODECS = ('h264', 'vp8', 'vp9', 'av1')


def browser_playable(path):
    """Whether browsers play ``path`` as it is (an animated GIF counts: the
    page shows it as an image).

    Args:
        path (str): A video file.
    """
    if path.lower().endswith('.gif'):
        return True
    if not path.lower().endswith(PLAYABLE_CONTAINERS):
        return False
    try:
        with av.open(path) as container:
            return all(stream.codec_context.name in PLAYABLE_CODECS
                       for stream in container.streams.video)
    except av.FFmpegError:
        return False


def _transcode(source, target):
    """Write the video stream of ``source`` into the file ``target`` as
    H.264 MP4 (index first, so that playback starts before the download
    ends)."""
    with av.open(source) as reader, \
            av.open(target, 'w', format='mp4',
                    options=dict(movflags='faststart')) as writer:
        video = reader.streams.video[0]
        rate = video.average_rate or 25
        stream = writer.add_stream('libx264', rate=rate,
                                   options=dict(preset='veryfast'))
        stream.width = max(2, video.codec_context.width // 2 * 2)
        stream.height = max(2, video.codec_context.height // 2 * 2)
        stream.pix_fmt = 'yuv420p'
        for frame in reader.decode(video):  # source timestamps are kept
            writer.mux(stream.encode(
                frame.reformat(stream.width, stream.height, 'yuv420p')))
        writer.mux(stream.encode())


def playable_copy(path, cache_dir):
    """A file browsers can play with the content of ``path``.

    Args:
        path (str): A video file.
        cache_dir (str): Where H.264 copies are kept (created if needed).

    Returns:
        str: ``path`` itself when browsers play it, else its cached copy.

    Raises:
        av.FFmpegError: When the file cannot be decoded.
    """
    if browser_playable(path):
        return path
    stat = os.stat(path)
    key = f'{osp.abspath(path)}:{stat.st_size}:{stat.st_mtime_ns}'
    copy = osp.join(cache_dir,
                    hashlib.sha1(key.encode()).hexdigest()[:20] + '.mp4')
    if not osp.exists(copy):
        os.makedirs(cache_dir, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=cache_dir, suffix='.mp4.tmp')
        os.close(fd)
        try:
            _transcode(path, partial)
            os.replace(partial, copy)
        finally:
            if osp.exists(partial):
                os.remove(partial)
    return copy
