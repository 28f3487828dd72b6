#!/usr/bin/env python
"""Re-encode a folder of videos for training: small, upright, no audio.

Every video under ``--src`` (by extension) is written to the same relative
path under ``--dst`` with a ``.mp4`` suffix (the names the annotation
converters write): H.264 (``--codec``), yuv420p, turned upright (a rotation
in the source's display matrix, as phones write, is applied to the pixels),
the short side scaled to ``--short-side`` (never enlarged; both sides even),
``--fps`` frames per second (a frame is kept when its timestamp reaches the
next output tick; never more frames than the source), audio dropped. Work is
spread over ``--workers`` processes with a progress bar.

Sources whose names differ only by extension (``a.mov``, ``a.avi``) would
share one output (``a.mp4``, the one name an annotation can give): none of
them is compressed, and each is listed as failed with the others, so that
the user keeps the intended one. Sources without a video stream (audio only)
or without frames fail with that reason.

Resumable: an output that already exists and decodes (the checks of
check_corpus.py) is skipped, so a killed run continues where it stopped and
a finished run, run again, writes nothing. Outputs are written to a
temporary file in the destination folder and renamed, so no half-written
video ever has the final name. The summary counts the outputs written, those
already there and the failed sources; failures are listed (sorted, also in
``--failed-list``) and the exit code is then 1.

Example::

    python tools/data/compress_videos.py --src data/msrvtt/raw/videos \\
        --dst data/msrvtt/videos --workers 16
"""
import os
import os.path as osp
import sys
from collections import defaultdict
from fractions import Fraction
from functools import partial
from itertools import chain
from multiprocessing import Pool
from pathlib import Path

import av
import numpy as np
from check_corpus import check_video
from failure_list import report_failures
from tqdm import tqdm

from smaug.cli.command_help import command_parser

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.webm', '.mov', '.m4v', '.3gp',
                    '.mpg', '.mpeg', '.flv', '.wmv')


class UnusableSource(Exception):
    """A source that cannot give a video; the message is the reason."""


def output_path(rel_path):
    """The output of the source ``rel_path``: the same path, ``.mp4``.

    Args:
        rel_path (str): Source path under ``--src``.
    """
    return str(Path(rel_path).with_suffix('.mp4'))


def name_collisions(files):
    """The sources that would be written to the same output.

    Args:
        files (list[str]): Source paths under ``--src``.

    Returns:
        dict[str, list[str]]: Each shared output and its sources.
    """
    sources = defaultdict(list)
    for rel_path in files:
        sources[output_path(rel_path)].append(rel_path)
    return {out: group for out, group in sources.items() if len(group) > 1}


def quarter_turns(rotation):
    """Counterclockwise quarter turns that make a frame upright.

    Args:
        rotation (float): The display matrix's counterclockwise rotation in
            degrees (``VideoFrame.rotation``).
    """
    return round(rotation / 90) % 4


def upright_frame(frame, width, height, turns):
    """``frame`` turned upright and scaled to ``width`` x ``height``,
    yuv420p.

    Args:
        frame (av.VideoFrame): A decoded source frame.
        width (int): Output width (upright).
        height (int): Output height (upright).
        turns (int): Counterclockwise quarter turns (:func:`quarter_turns`).
    """
    if not turns:
        return frame.reformat(width=width, height=height, format='yuv420p')
    stored = (height, width) if turns % 2 else (width, height)
    pixels = frame.reformat(width=stored[0], height=stored[1],
                            format='rgb24').to_ndarray()
    turned = np.ascontiguousarray(np.rot90(pixels, turns))
    return av.VideoFrame.from_ndarray(turned, format='rgb24').reformat(
        format='yuv420p')


def output_size(width, height, short_side):
    """Scaled (width, height): short side to ``short_side``, never larger,
    both even (yuv420p).

    Args:
        width (int): Source width.
        height (int): Source height.
        short_side (int): Target short side.
    """
    scale = min(1., short_side / min(width, height))
    return (max(2, round(width * scale / 2) * 2),
            max(2, round(height * scale / 2) * 2))


def encode(src, dst, **options):
    """Re-encode ``src`` into ``dst`` (see the module docstring).

    Args:
        src (str): Source video.
        dst (str): Output ``.mp4`` (replaced atomically).
        **options: :func:`write_frames` options.

    Returns:
        int: Frames written.

    Raises:
        UnusableSource: ``src`` has no video stream, or no frames.
    """
    os.makedirs(osp.dirname(dst) or '.', exist_ok=True)
    tmp = osp.join(osp.dirname(dst), f'.{osp.basename(dst)}.{os.getpid()}.tmp')
    try:
        with av.open(src) as source:
            if not source.streams.video:
                kinds = ', '.join(s.type for s in source.streams) or 'none'
                raise UnusableSource(f'no video stream (streams: {kinds})')
            stream = source.streams.video[0]
            stream.thread_type = 'AUTO'
            frames = source.decode(stream)
            first = next(frames, None)
            if first is None:
                raise UnusableSource('no video frames decoded')
            written = write_frames(first, frames, tmp, **options)
        os.replace(tmp, dst)
    finally:
        if osp.exists(tmp):
            os.unlink(tmp)
    return written


def write_frames(first, frames, path, short_side=224, fps=3,
                 codec='libx264', crf=23, gop=12):
    """Encode decoded source frames into the mp4 ``path``.

    Args:
        first (av.VideoFrame): The first frame; its size and rotation hold
            for all.
        frames (Iterator[av.VideoFrame]): The frames after it.
        path (str): Output file.
        short_side (int): Target short side.
        fps (int): Output frame rate.
        codec (str): Encoder (``libx264``, or ``mpeg4``).
        crf (int): libx264 constant rate factor.
        gop (int): Frames between keyframes; short groups keep decord's
            random access (seek to a keyframe, decode forward) cheap.

    Returns:
        int: Frames written.
    """
    turns = quarter_turns(first.rotation)
    upright = ((first.height, first.width) if turns % 2 else
               (first.width, first.height))
    width, height = output_size(*upright, short_side)
    written = 0
    with av.open(path, 'w', format='mp4') as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = 'yuv420p'
        stream.codec_context.gop_size = gop
        if codec == 'libx264':
            stream.options = dict(crf=str(crf), preset='veryfast')
        next_tick = 0.
        for frame in chain([first], frames):
            time = frame.time if frame.time is not None else written / fps
            if time + 1e-6 < next_tick:
                continue
            while next_tick <= time + 1e-6:
                next_tick += 1. / fps
            small = upright_frame(frame, width, height, turns)
            small.pts, small.time_base = written, Fraction(1, fps)
            out.mux(stream.encode(small))
            written += 1
        out.mux(stream.encode())
    return written


def process(rel_path, src_root, dst_root, **kwargs):
    """Compress one file unless its output is already good.

    Args:
        rel_path (str): Path under ``src_root``.
        src_root (str): Source folder.
        dst_root (str): Destination folder.
        **kwargs: :func:`encode` options.

    Returns:
        tuple[str, str]: ``(rel_path, 'skipped' | 'done' | 'failed: ...')``.
    """
    dst = osp.join(dst_root, output_path(rel_path))
    if osp.exists(dst) and check_video(dst, num_frames=1) is None:
        return rel_path, 'skipped'
    try:
        encode(osp.join(src_root, rel_path), dst, **kwargs)
    except UnusableSource as err:
        return rel_path, f'failed: {err}'
    except Exception as err:  # one bad source must not stop the others
        return rel_path, f'failed: {type(err).__name__}: {err}'
    return rel_path, 'done'


def collision_failures(collisions):
    """A failure line for each source of a shared output.

    Args:
        collisions (dict[str, list[str]]): From :func:`name_collisions`.
    """
    return [
        f'{rel_path}: failed: shares the output {out} with '
        f'{", ".join(other for other in group if other != rel_path)}; none '
        f'of them was compressed (keep in --src only the source that {out} '
        'stands for)' for out, group in collisions.items()
        for rel_path in group
    ]


def parse_args(argv):
    """Parse and check the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('--src', required=True,
                        help='folder of source videos (searched recursively)')
    parser.add_argument('--dst', required=True,
                        help='output folder (not inside --src)')
    parser.add_argument('--short-side', type=int, default=224,
                        help='output short side in pixels (%(default)s)')
    parser.add_argument('--fps', type=int, default=3,
                        help='output frames per second (%(default)s)')
    parser.add_argument('--codec', default='libx264',
                        help='encoder: libx264 or mpeg4 (%(default)s)')
    parser.add_argument('--crf', type=int, default=23,
                        help='libx264 constant rate factor (%(default)s)')
    parser.add_argument('--gop', type=int, default=12,
                        help='frames between keyframes (%(default)s)')
    parser.add_argument('--workers', type=int, default=4,
                        help='parallel processes (%(default)s)')
    parser.add_argument('--failed-list',
                        help='also write the failed sources to this file')
    args = parser.parse_args(argv)
    src, dst = Path(args.src).resolve(), Path(args.dst).resolve()
    if not src.is_dir():
        parser.error(f'--src {args.src}: no such folder')
    if dst == src or src in dst.parents:
        parser.error(f'--dst {args.dst} is inside --src {args.src}: a '
                     'second run would take the outputs for sources')
    return args


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    args = parse_args(argv)
    files = sorted(
        str(p.relative_to(args.src)) for p in Path(args.src).rglob('*')
        if p.is_file() and p.suffix.lower() in VIDEO_EXTENSIONS)
    collisions = name_collisions(files)
    failed = collision_failures(collisions)
    jobs = [f for f in files if output_path(f) not in collisions]
    job = partial(process, src_root=args.src, dst_root=args.dst,
                  short_side=args.short_side, fps=args.fps,
                  codec=args.codec, crf=args.crf, gop=args.gop)
    status = dict(done=0, skipped=0)
    with Pool(max(args.workers, 1)) as pool:
        for rel_path, result in tqdm(pool.imap_unordered(job, jobs),
                                     total=len(jobs), unit='video',
                                     desc='compressing'):
            if result.startswith('failed'):
                failed.append(f'{rel_path}: {result}')
            else:
                status[result] += 1
    failed.sort()
    report_failures(failed, args.failed_list)
    print(f'{len(files)} sources: {status["done"]} compressed, '
          f'{status["skipped"]} already done, {len(failed)} failed',
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == '__main__':
    raise SystemExit(main())
