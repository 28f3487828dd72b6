#!/usr/bin/env python
"""Re-encode a folder of videos for training: short side 224, low fps, no
audio.

Every video under ``--src`` (by extension) is written to the same relative
path under ``--dst`` with a ``.mp4`` suffix: H.264 (``--codec``), yuv420p,
the short side scaled to ``--short-side`` (never enlarged; both sides even),
``--fps`` frames per second (a frame is kept when its timestamp reaches the
next output tick; never more frames than the source), audio dropped. Work is
spread over ``--workers`` processes with a progress bar.

Resumable: an output that already exists and decodes (the checks of
check_corpus.py) is skipped, so a killed run continues where it stopped.
Outputs are written to a temporary file in the destination folder and
renamed, so no half-written video ever has the final name. Failures are
listed at the end (and in ``--failed-list``); the exit code is then 1.

Example::

    python tools/data/compress_videos.py --src data/msrvtt/raw/videos \\
        --dst data/msrvtt/videos --workers 16
"""
import argparse
import os
import os.path as osp
import sys
from fractions import Fraction
from functools import partial
from multiprocessing import Pool
from pathlib import Path

import av
from check_corpus import check_video
from tqdm import tqdm

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.webm', '.mov', '.m4v', '.3gp',
                    '.mpg', '.mpeg', '.flv', '.wmv')


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


def encode(src, dst, short_side=224, fps=3, codec='libx264', crf=23, gop=12):
    """Re-encode ``src`` into ``dst`` (see the module docstring).

    Args:
        src (str): Source video.
        dst (str): Output ``.mp4`` (replaced atomically).
        short_side (int): Target short side.
        fps (int): Output frame rate.
        codec (str): Encoder (``libx264``, or ``mpeg4``).
        crf (int): libx264 constant rate factor.
        gop (int): Frames between keyframes; short groups keep decord's
            random access (seek to a keyframe, decode forward) cheap.

    Returns:
        int: Frames written.
    """
    os.makedirs(osp.dirname(dst) or '.', exist_ok=True)
    tmp = osp.join(osp.dirname(dst), f'.{osp.basename(dst)}.{os.getpid()}.tmp')
    written = 0
    try:
        with av.open(src) as source, av.open(tmp, 'w', format='mp4') as out:
            stream_in = source.streams.video[0]
            stream_in.thread_type = 'AUTO'
            width, height = output_size(stream_in.codec_context.width,
                                        stream_in.codec_context.height,
                                        short_side)
            stream = out.add_stream(codec, rate=fps)
            stream.width, stream.height = width, height
            stream.pix_fmt = 'yuv420p'
            stream.codec_context.gop_size = gop
            if codec == 'libx264':
                stream.options = dict(crf=str(crf), preset='veryfast')
            next_tick = 0.
            for frame in source.decode(stream_in):
                time = frame.time if frame.time is not None else \
                    written / fps
                if time + 1e-6 < next_tick:
                    continue
                while next_tick <= time + 1e-6:
                    next_tick += 1. / fps
                small = frame.reformat(width=width, height=height,
                                       format='yuv420p')
                small.pts, small.time_base = written, Fraction(1, fps)
                out.mux(stream.encode(small))
                written += 1
            out.mux(stream.encode())
        if written == 0:
            raise ValueError('no video frames decoded')
        os.replace(tmp, dst)
    finally:
        if osp.exists(tmp):
            os.unlink(tmp)
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
    dst = osp.join(dst_root, str(Path(rel_path).with_suffix('.mp4')))
    if osp.exists(dst) and check_video(dst, num_frames=1) is None:
        return rel_path, 'skipped'
    try:
        encode(osp.join(src_root, rel_path), dst, **kwargs)
    except Exception as err:  # one bad source must not stop the others
        return rel_path, f'failed: {type(err).__name__}: {err}'
    return rel_path, 'done'


def main(argv=None):
    """Command line entry point.

    Args:
        argv (list[str], optional): Arguments (default: ``sys.argv``).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--src', required=True)
    parser.add_argument('--dst', required=True)
    parser.add_argument('--short-side', type=int, default=224)
    parser.add_argument('--fps', type=int, default=3)
    parser.add_argument('--codec', default='libx264')
    parser.add_argument('--crf', type=int, default=23)
    parser.add_argument('--gop', type=int, default=12,
                        help='frames between keyframes (%(default)s)')
    parser.add_argument('--workers', type=int, default=4)
    parser.add_argument('--failed-list')
    args = parser.parse_args(argv)
    files = sorted(
        str(p.relative_to(args.src)) for p in Path(args.src).rglob('*')
        if p.is_file() and p.suffix.lower() in VIDEO_EXTENSIONS)
    job = partial(process, src_root=args.src, dst_root=args.dst,
                  short_side=args.short_side, fps=args.fps,
                  codec=args.codec, crf=args.crf, gop=args.gop)
    status = dict(done=0, skipped=0)
    failed = []
    with Pool(max(args.workers, 1)) as pool:
        for rel_path, result in tqdm(pool.imap_unordered(job, files),
                                     total=len(files), unit='video',
                                     desc='compressing'):
            if result.startswith('failed'):
                failed.append(f'{rel_path}: {result}')
            else:
                status[result] += 1
    for line in failed:
        print(line)
    if args.failed_list:
        with open(args.failed_list, 'w', encoding='utf-8') as f:
            f.write(''.join(line + '\n' for line in failed))
    print(f'{status["done"]} compressed, {status["skipped"]} already done, '
          f'{len(failed)} failed', file=sys.stderr)
    return 1 if failed else 0


if __name__ == '__main__':
    raise SystemExit(main())
