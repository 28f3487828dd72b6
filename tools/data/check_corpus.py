#!/usr/bin/env python
"""List every unreadable or damaged video or image of an annotation file.

Each distinct file is read the way training and test pipelines read it:
videos are opened with ``DecordInit`` (decord, else PyAV) and the frames of a
``--num-frames`` test sampling plus the last frame are decoded
(``DecordDecode``); then every frame is decoded with PyAV and FFmpeg's
strictest error detection, so damage anywhere in the file (bit flips that
decoders would conceal as smeared frames) is found. Images are decoded
(``LoadImageAsClip``). A file fails if it is missing, empty, not decodable,
damaged, has no frames, has fewer than ``--min-frames`` frames, or decodes
fewer than ``--min-decoded-fraction`` of the frames its container declares
(damage that ends the stream early without a decoder error). Unreadable
files are printed as ``path: reason`` (also written to ``--out``); the exit
code is 1 if there are any.

The integrity manifest, ``<annotation file>.sha256`` (or ``--manifest``),
holds the SHA-256 of every file that passed, in ``sha256sum``'s format
(:mod:`smaug.datasets.corpus_manifest`). ``--verify`` reads every file
again without decoding and lists those that are missing or differ from it
(a bit flip that decoders cannot see, a bad copy); it writes nothing.

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
    python tools/data/check_corpus.py annotations/ret_test.json \\
        --data-root data/synthetic --verify
"""
import os.path as osp
import sys
from functools import partial
from multiprocessing import Pool

import numpy as np
from corpus_arguments import (add_corpus_arguments, add_workers_argument,
                              annotation_file_path)
from failure_list import report_failures
from tqdm import tqdm

from smaug.datasets.annotation_file import iter_annotation_file, media_of
from smaug.datasets.corpus_availability import (REPORT_SUFFIX, media_roots,
                                                write_report)
from smaug.datasets.corpus_manifest import (file_sha256, manifest_path,
                                            read_manifest, write_manifest)
from smaug.datasets.transforms import (BadMediaError, DecordDecode, DecordInit,
                                       LoadImageAsClip, SampleClipFrames)
from smaug.datasets.transforms.video_file import PyAVVideo
from smaug.cli.command_help import command_parser


def check_video(path, num_frames=32, min_frames=1, min_decoded_fraction=0.9):
    """Return None if every frame of ``path`` decodes, else the reason.

    Args:
        path (str): A video file.
        num_frames (int): Decode the middles of this many segments (a test
            sampling) and the last frame with the pipelines' reader.
        min_frames (int): Fewest frames a usable video has.
        min_decoded_fraction (float): Fewest frames, as a share of those the
            container declares, that must decode.
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
        video = PyAVVideo(path, path)
        decoded = video.check_every_frame()
    except BadMediaError as err:
        return err.reason
    if decoded < min_decoded_fraction * video.num_frames:
        return (f'decodes {decoded} of the {video.num_frames} frames its '
                'container declares')
    return None


def check_file(item, num_frames=32, min_frames=1, min_decoded_fraction=0.9):
    """Check one ``(media_key, path)``.

    Args:
        item (tuple[str, str]): ``('video' | 'image', path)``.
        num_frames (int): See :func:`check_video`.
        min_frames (int): See :func:`check_video`.
        min_decoded_fraction (float): See :func:`check_video`.

    Returns:
        tuple[str, str | None, str | None]: The path, the reason it fails
        (None: it passed) and its SHA-256 (None unless it passed).
    """
    media_key, path = item
    if media_key == 'video':
        reason = check_video(path, num_frames, min_frames,
                             min_decoded_fraction)
    else:
        try:
            LoadImageAsClip()(dict(img_path=path))
            reason = None
        except BadMediaError as err:
            reason = err.reason
    return path, reason, None if reason else file_sha256(path)


def verify_file(item):
    """Compare a file with its checksum in the manifest.

    Args:
        item (tuple[str, str | None]): The path and the manifest's SHA-256
            of it (None: the manifest does not list it).

    Returns:
        tuple[str, str | None]: The path and what is wrong (None: it
        matches).
    """
    path, expected = item
    if not osp.isfile(path):
        return path, 'file not found'
    if expected is None:
        return path, ('not in the manifest (it failed the check that wrote '
                      'the manifest, or came after it)')
    if file_sha256(path) != expected:
        return path, ('its SHA-256 differs from the manifest\'s: the file '
                      'changed since it was checked (a bit flip, a bad '
                      'copy); restore it or check it again')
    return path, None


def check_presence(item):
    """Whether the file of a ``(media_key, path)`` exists.

    Args:
        item (tuple[str, str]): ``('video' | 'image', path)``.

    Returns:
        tuple[str, str | None, None]: ``(path, 'file not found' or None,
        None)`` (no checksum).
    """
    return item[1], None if osp.isfile(item[1]) else 'file not found', None


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


def parse_args(argv):
    """Parse the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    add_corpus_arguments(parser)
    parser.add_argument('--num-frames', type=int, default=32,
                        help='test sampling to decode (%(default)s)')
    parser.add_argument('--min-frames', type=int, default=1,
                        help='fewer frames is a failure (%(default)s; use '
                        'the training K to find videos training skips)')
    parser.add_argument('--min-decoded-fraction', type=float, default=0.9,
                        help='fewer decoded frames, as a share of those the '
                        'container declares, is a failure (%(default)s)')
    add_workers_argument(parser)
    parser.add_argument('--out', help='also write the failures here')
    parser.add_argument('--stat-only', action='store_true',
                        help='only check that each file exists (no decoding)')
    parser.add_argument('--verify', action='store_true',
                        help='compare every file with the integrity manifest '
                        '(no decoding; nothing written)')
    parser.add_argument('--report',
                        help='the availability report (default: '
                        f'<ann_file>{REPORT_SUFFIX})')
    parser.add_argument('--manifest',
                        help='the integrity manifest (default: '
                        '<ann_file>.sha256)')
    return parser.parse_args(argv)


def relative_path(path, data_root):
    """A media file's path as a manifest names it.

    Args:
        path (str): The file.
        data_root (str): The corpus root.
    """
    return osp.relpath(path, data_root or '.')


def verify(items, manifest, args):
    """List the media files that are missing or differ from the manifest.

    Args:
        items (list[tuple[str, str]]): ``(media_key, path)`` of the files.
        manifest (str): The manifest.
        args (argparse.Namespace): The options.

    Returns:
        int: The exit code.
    """
    try:
        checksums = read_manifest(manifest)
    except (OSError, ValueError) as err:
        sys.exit(f'error: {err}')
    tasks = [(path, checksums.get(relative_path(path, args.data_root)))
             for _, path in items]
    with Pool(max(args.workers, 1)) as pool:
        failures = [
            f'{path}: {reason}'
            for path, reason in tqdm(pool.imap(verify_file, tasks,
                                               chunksize=16),
                                     total=len(tasks), unit='file',
                                     desc='verifying') if reason]
    report_failures(failures, args.out)
    print(f'{len(failures)} of {len(items)} files missing or not as in the '
          f'manifest {manifest}', file=sys.stderr)
    return 1 if failures else 0


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    args = parse_args(argv)
    ann_file = annotation_file_path(args)
    items, entries = media_files(ann_file, args.data_root,
                                 args.video_prefix, args.image_prefix)
    manifest = args.manifest or manifest_path(ann_file)
    if args.verify:
        return verify(items, manifest, args)
    check = check_presence if args.stat_only else partial(
        check_file, num_frames=args.num_frames, min_frames=args.min_frames,
        min_decoded_fraction=args.min_decoded_fraction)
    failures, missing, unreadable, checksums = [], [], [], {}
    with Pool(max(args.workers, 1)) as pool:
        results = pool.imap(check, items, chunksize=16)
        for path, reason, checksum in tqdm(results, total=len(items),
                                           unit='file', desc='checking'):
            if checksum is not None:
                checksums[relative_path(path, args.data_root)] = checksum
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
    if not args.stat_only:
        write_manifest(manifest, checksums)
        print(f'Integrity manifest: {manifest} (SHA-256 of the '
              f'{len(checksums)} files that passed; check them later with '
              '--verify)', file=sys.stderr)
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
