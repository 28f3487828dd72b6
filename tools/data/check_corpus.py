#!/usr/bin/env python
"""List every unreadable or damaged video or image of an annotation file.

Each distinct file is read the way training and test pipelines read it:
videos are opened with ``DecordInit`` (decord, else PyAV) and the frames of a
``--num-frames`` test sampling plus the last frame are decoded
(``DecordDecode``); then every frame is decoded with PyAV and FFmpeg's
strictest error detection, so damage anywhere in the file (bit flips that
decoders would conceal as smeared frames) is found. Images are decoded
(``LoadImageAsClip``). A file fails if it is missing, empty, not decodable,
damaged, has no frames, or has fewer than ``--min-frames`` frames.
Unreadable files are printed as ``path: reason`` (also written to
``--out``); the exit code is 1 if there are any.

A file's path is ``--data-root`` / ``--video-prefix`` (or
``--image-prefix``) / the annotation's path: the prefix is the dataset
config's ``data_prefix``.

The availability report, ``<annotation file>.availability.json`` (or
``--report``), records the counts (files present, readable, missing,
unreadable, their fractions, the first 1000 missing and unreadable files),
the annotation file's size, modification time and SHA-256, the media
folders and the time of the check; training logs its fractions at start-up
(:mod:`smaug.datasets.corpus_availability`). ``--stat-only`` only looks
whether each file exists (a stat per file, no decoding): a quicker report
of what is present, for corpora of millions of files.

Examples (the MSRVTT annotations name files inside ``videos/``; the
synthetic corpus's name them from its root, with no prefix)::

    python tools/data/check_corpus.py \\
        data/msrvtt/annotations/ret_test_1ka.json \\
        --data-root data/msrvtt --video-prefix videos --workers 8
    python tools/data/check_corpus.py annotations/ret_test.json \\
        --data-root data/synthetic
    python tools/data/check_corpus.py annotations/webvid_train.json \\
        --data-root data/webvid --video-prefix videos --stat-only
"""
import os.path as osp
import sys
from functools import partial
from multiprocessing import Pool

import numpy as np
from corpus_arguments import add_corpus_arguments
from failure_list import report_failures
from tqdm import tqdm

from smaug.datasets.annotation_file import iter_annotation_file, media_of
from smaug.datasets.corpus_availability import (REPORT_SUFFIX, media_roots,
                                                write_report)
from smaug.datasets.transforms import (BadMediaError, DecordDecode, DecordInit,
                                       LoadImageAsClip, SampleClipFrames)
from smaug.datasets.transforms.video_file import PyAVVideo
from smaug.cli.command_help import command_parser


def check_video(path, num_frames=32, min_frames=1):
    """Return None if every frame of ``path`` decodes, else the reason.

    Args:
        path (str): A video file.
        num_frames (int): Decode the middles of this many segments (a test
            sampling) and the last frame with the pipelines' reader.
        min_frames (int): Fewest frames a usable video has.
    """
    try:
        results = DecordInit()(dict(video_path=path))
        total = results['total_frames']
        if total < min_frames:
            return f'{total} frames, fewer than {min_frames}'
        results = SampleClipFrames(num_frames, test_mode=True)(results)
        results['frame_inds'] = np.unique(
            np.append(results['frame_inds'], total - 1))
        DecordDecode()(results)
        PyAVVideo(path, path).check_every_frame()
    except BadMediaError as err:
        return err.reason
    return None


def check_file(item, num_frames=32, min_frames=1):
    """Check one ``(media_key, path)``; return ``(path, reason or None)``.

    Args:
        item (tuple[str, str]): ``('video' | 'image', path)``.
        num_frames (int): See :func:`check_video`.
        min_frames (int): See :func:`check_video`.
    """
    media_key, path = item
    if media_key == 'video':
        return path, check_video(path, num_frames, min_frames)
    try:
        LoadImageAsClip()(dict(img_path=path))
    except BadMediaError as err:
        return path, err.reason
    return path, None


def check_presence(item):
    """Whether the file of a ``(media_key, path)`` exists.

    Args:
        item (tuple[str, str]): ``('video' | 'image', path)``.

    Returns:
        tuple[str, str | None]: ``(path, 'file not found' or None)``.
    """
    return item[1], None if osp.isfile(item[1]) else 'file not found'


def media_files(ann_file, data_root='', video_prefix='', image_prefix=''):
    """The distinct ``(media_key, path)`` of an annotation file, in order,
    and the number of entries.

    Args:
        ann_file (str): The annotation file.
        data_root (str): Corpus root.
        video_prefix (str): Video folder under ``data_root``.
        image_prefix (str): Image folder under ``data_root``.

    Returns:
        tuple[list[tuple[str, str]], int]: The files and the entries.
    """
    prefixes = dict(video=osp.join(data_root, video_prefix),
                    image=osp.join(data_root, image_prefix))
    seen = {}
    entries = 0
    for index, entry in enumerate(iter_annotation_file(ann_file)):
        media_key, rel_path = media_of(entry, ann_file, index)
        seen.setdefault((media_key, osp.join(prefixes[media_key], rel_path)))
        entries += 1
    return list(seen), entries


def main(argv=None):
    """Command line entry point.

    Args:
        argv (list[str], optional): Arguments (default: ``sys.argv``).
    """
    parser = command_parser(__doc__)
    add_corpus_arguments(parser)
    parser.add_argument('--num-frames', type=int, default=32,
                        help='test sampling to decode (%(default)s)')
    parser.add_argument('--min-frames', type=int, default=1,
                        help='fewer frames is a failure (%(default)s; use '
                        'the training K to find videos training skips)')
    parser.add_argument('--workers', type=int, default=4,
                        help='parallel reading processes (default: 4)')
    parser.add_argument('--out', help='also write the failures here')
    parser.add_argument('--stat-only', action='store_true',
                        help='only check that each file exists (no decoding)')
    parser.add_argument('--report',
                        help='the availability report (default: '
                        f'<ann_file>{REPORT_SUFFIX})')
    args = parser.parse_args(argv)
    ann_file = args.ann_file
    if args.data_root and not osp.isabs(ann_file) and not osp.exists(
            ann_file):
        ann_file = osp.join(args.data_root, ann_file)
    items, entries = media_files(ann_file, args.data_root,
                                 args.video_prefix, args.image_prefix)
    check = check_presence if args.stat_only else partial(
        check_file, num_frames=args.num_frames, min_frames=args.min_frames)
    failures, missing, unreadable = [], [], []
    with Pool(max(args.workers, 1)) as pool:
        results = pool.imap(check, items, chunksize=16)
        for path, reason in tqdm(results, total=len(items), unit='file',
                                 desc='checking'):
            if reason is not None:
                failures.append(f'{path}: {reason}')
                if reason == 'file not found':
                    missing.append(path)
                else:
                    unreadable.append(failures[-1])
    report_failures(failures, args.out)
    print(f'{len(failures)} of {len(items)} files '
          f'{"missing" if args.stat_only else "unreadable"}',
          file=sys.stderr)
    report = write_report(
        ann_file, media_roots(args.data_root, args.video_prefix,
                              args.image_prefix),
        'stat' if args.stat_only else 'decode', entries, missing, unreadable,
        len(items), args.report)
    print(f'Availability report: {report}', file=sys.stderr)
    if items and all(line.endswith(': file not found') for line in failures
                     ) and len(failures) == len(items):
        print(f'Every file is missing (the first: {items[0][1]}): a file\'s '
              'path is --data-root / --video-prefix (or --image-prefix) / '
              'the path in the annotation; check those two options against '
              "the dataset config's data_root and data_prefix.",
              file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    raise SystemExit(main())
