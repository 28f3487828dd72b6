#!/usr/bin/env python
"""Pack the videos or images of an annotation file into tar shards
(webdataset layout) that a dataset reads by index (wids).

Entry ``i`` of the annotation file becomes the sample with the key
``000000042`` (its index, 9 digits): ``<key>.json`` (the entry, its index,
its media path and the SHA-256 of the packed media, which training compares
when it reads them) and the media, by ``--media``:

- ``original``: the file as it is, under its own extension (``<key>.mp4``,
  ``<key>.jpg``, ...);
- ``reencoded``: a video re-encoded by ``compress_videos.py``'s encoder
  (``--short-side``, ``--fps``), ``<key>.mp4``;
- ``frames``: ``--num-frames`` frames of a video (the middles of equal
  segments, a test sampling) as JPEG, ``<key>.frame0.jpg``,
  ``<key>.frame1.jpg``, ..., which training reads without decoding video.

Images are packed as they are in every mode. The shards
``--out/shard-000000.tar``, ... hold the samples in entry order, up to
``--shard-size`` bytes each (a larger sample gets a shard of its own).
``--out/shardindex.json`` is wids' shard index (shard names, sample counts)
with the entries not packed: set it as the dataset's ``shard_index`` (the
configs' ``media_format = 'shards'``) and entry ``i`` is read from its
sample, so samplers and exact resume work as with loose files.

Media that are missing or unreadable (a video neither decord nor PyAV
opens, an image that does not decode) are not packed: they are listed with
the reason (also in ``--out/unpacked.txt``) and counted in the summary, and
training skips them as it skips a missing file.

Resumable and idempotent: a shard is written to a temporary name and
renamed when complete; a run keeps the complete shards and packs the
entries after them, so a killed run continues, and a finished run, run
again, writes nothing. Tar headers are fixed (mtime 0, uid and gid 0, files
in key order) and where a shard ends depends only on the inputs and the
options, so the shards are the same bytes however often a run was
interrupted. Give another ``--out`` for other options.

Round-trip check: at the end of every run, the key and the JSON of every
sample of every shard are read back and compared with the annotation
entry they stand for, and the media with their SHA-256; a mismatch names
shard and key, and the exit code is 1. ``--check`` runs it alone, e.g. to
verify shards copied to another file system.

Example (WebVid's annotations name files inside ``videos/``)::

    python tools/data/pack_shards.py \\
        data/webvid/annotations/webvid_train.json --data-root data/webvid \\
        --video-prefix videos --out data/webvid/shards/webvid_train \\
        --media reencoded --workers 16
"""
import glob
import io
import json
import os
import os.path as osp
import re
import sys
import tarfile
import tempfile
from functools import partial
from multiprocessing import Pool

import cv2
from compress_videos import encode
from corpus_arguments import (add_corpus_arguments, add_workers_argument,
                              annotation_file_path)
from tqdm import tqdm

from smaug.datasets import load_annotation_file
from smaug.datasets.annotation_file import media_of
from smaug.datasets.shard_index import (KEY_DIGITS, MEDIA_MODES,
                                        check_member, frame_member,
                                        media_checksums, sample_key,
                                        shard_index_content)
from smaug.datasets.transforms import (BadMediaError, DecordDecode, DecordInit,
                                       LoadImageAsClip, SampleClipFrames,
                                       open_video)
from smaug.cli.command_help import command_parser

SHARD_NAME = 'shard-{:06d}.tar'
SHARD_PATTERN = re.compile(r'shard-(\d{6})\.tar')
INDEX_NAME = 'shardindex.json'
UNPACKED_NAME = 'unpacked.txt'
TAR_BLOCK = 512


class RoundTripError(Exception):
    """A sample of the shards that does not stand for its entry."""


def frames_as_jpeg(path, num_frames, quality):
    """The test sampling of ``num_frames`` frames of a video, as JPEG.

    Args:
        path (str): The video.
        num_frames (int): Frames to sample.
        quality (int): JPEG quality.

    Returns:
        tuple[list[bytes], dict]: The JPEG files, and the sample's JSON
        fields ``frame_inds`` and ``frames_fps`` (the rate of the frames
        kept).
    """
    results = DecordInit()(dict(video_path=path))
    results = SampleClipFrames(num_frames, test_mode=True)(results)
    imgs = DecordDecode()(results)['imgs']
    jpegs = []
    for img in imgs:
        _, data = cv2.imencode('.jpg', cv2.cvtColor(img, cv2.COLOR_RGB2BGR),
                               [cv2.IMWRITE_JPEG_QUALITY, quality])
        jpegs.append(data.tobytes())
    total, fps = results['total_frames'], results['avg_fps']
    return jpegs, dict(frame_inds=results['frame_inds'].tolist(),
                       frames_fps=fps * num_frames / total)


def reencoded(path, **options):
    """The bytes of ``path`` re-encoded by ``compress_videos.py``.

    Args:
        path (str): The video.
        **options: ``compress_videos.encode`` options.
    """
    with tempfile.TemporaryDirectory() as folder:
        out = osp.join(folder, 'video.mp4')
        encode(path, out, **options)
        with open(out, 'rb') as f:
            return f.read()


def read_original(media_key, path):
    """The bytes of a video or image that the pipelines can read.

    Args:
        media_key (str): ``'video'`` or ``'image'``.
        path (str): The file.
    """
    if media_key == 'video':
        open_video(path)
    else:
        LoadImageAsClip()(dict(img_path=path))
    with open(path, 'rb') as f:
        return f.read()


def pack_entry(task, media, num_frames, quality, short_side, fps):
    """The tar members of one entry, or why it cannot be packed.

    Args:
        task (tuple): ``(index, entry, media_key, rel_path, path)``.
        media (str): One of ``MEDIA_MODES``.
        num_frames (int): Frames per video in ``'frames'`` mode.
        quality (int): JPEG quality in ``'frames'`` mode.
        short_side (int): Short side in ``'reencoded'`` mode.
        fps (int): Frame rate in ``'reencoded'`` mode.

    Returns:
        tuple[int, list | str]: The index, and the ``(name, bytes)``
        members, or the reason (a string).
    """
    index, entry, media_key, rel_path, path = task
    key = sample_key(index)
    fields = dict(index=index, media=rel_path, entry=entry)
    try:
        if media_key == 'image' or media == 'original':
            ext = osp.splitext(path)[1].lower() or f'.{media_key}'
            members = [(key + ext, read_original(media_key, path))]
        elif media == 'reencoded':
            members = [(key + '.mp4',
                        reencoded(path, short_side=short_side, fps=fps))]
        else:
            jpegs, more = frames_as_jpeg(path, num_frames, quality)
            members = [(frame_member(key, i), jpeg)
                       for i, jpeg in enumerate(jpegs)]
            fields.update(more)
    except BadMediaError as err:
        return index, err.reason
    except Exception as err:  # re-encoding: any FFmpeg failure
        return index, f'{type(err).__name__}: {err}'
    fields['sha256'] = media_checksums(key, members)
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return index, members + [(key + '.json', text.encode())]


def tar_size(members):
    """Bytes the members take in a tar file (headers and padding).

    Args:
        members (list[tuple[str, bytes]]): ``(name, bytes)`` pairs.
    """
    return sum(TAR_BLOCK + -(-len(data) // TAR_BLOCK) * TAR_BLOCK
               for _, data in members)


def write_shard(path, samples):
    """Write a tar shard atomically, with fixed headers.

    Args:
        path (str): The shard.
        samples (list[list[tuple[str, bytes]]]): Each sample's members.
    """
    tmp = f'{path}.{os.getpid()}.tmp'
    try:
        with tarfile.open(tmp, 'w', format=tarfile.USTAR_FORMAT) as tar:
            for members in samples:
                for name, data in members:
                    info = tarfile.TarInfo(name)
                    info.size, info.mtime, info.mode = len(data), 0, 0o644
                    info.uid = info.gid = 0
                    info.uname = info.gname = ''
                    tar.addfile(info, fileobj=io.BytesIO(data))
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.unlink(tmp)


def shard_keys(path):
    """The sample keys of a tar shard, in order (headers only).

    Args:
        path (str): The shard.
    """
    keys = []
    with tarfile.open(path) as tar:
        for name in tar.getnames():
            key = osp.basename(name).split('.', 1)[0]
            if not keys or keys[-1] != key:
                keys.append(key)
    return keys


def complete_shards(out):
    """The complete shards of ``out``, numbered from 0 without gaps.

    Args:
        out (str): The output folder.

    Returns:
        list[str]: Their paths, in order.
    """
    numbers = sorted(
        int(match.group(1)) for match in map(
            SHARD_PATTERN.fullmatch, os.listdir(out)) if match)
    if numbers != list(range(len(numbers))):
        raise SystemExit(f'{out}: shards {numbers} are not numbered 0, 1, '
                         '...; use an empty --out')
    return [osp.join(out, SHARD_NAME.format(n)) for n in numbers]


def write_if_changed(path, text):
    """Write ``text`` to ``path`` atomically unless it holds it already.

    Args:
        path (str): The file.
        text (str): Its content.
    """
    if osp.exists(path):
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    tmp = f'{path}.{os.getpid()}.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


def check_round_trip(index_path, entries):
    """Check that every sample of the shards stands for its entry.

    Args:
        index_path (str): The ``shardindex.json``.
        entries (list[dict]): The annotation entries.

    Raises:
        RoundTripError: Naming the shard and the key.
    """
    with open(index_path, encoding='utf-8') as f:
        content = json.load(f)
    unpacked = set(content['smaug']['unpacked'])
    packed = iter([i for i in range(len(entries)) if i not in unpacked])
    folder = osp.dirname(index_path)
    for shard in content['shardlist']:
        path = osp.join(folder, shard['url'])
        with tarfile.open(path) as tar:
            files = {member.name: tar.extractfile(member).read()
                     for member in tar}
        fields_of = {name.split('.', 1)[0]: json.loads(data)
                     for name, data in files.items()
                     if name.endswith('.json')}
        for name, data in files.items():
            key, suffix = name[:KEY_DIGITS], name[KEY_DIGITS:]
            reason = suffix != '.json' and check_member(
                fields_of.get(key, {}), suffix, data)
            if reason:
                raise RoundTripError(f'{path}: {name}: {reason}')
        keys = shard_keys(path)
        if len(keys) != shard['nsamples']:
            raise RoundTripError(
                f'{path}: {len(keys)} samples, the index {index_path} '
                f'says {shard["nsamples"]}')
        for key in keys:
            index = next(packed, None)
            fields = fields_of.get(key, dict(index=None, media=None))
            if index is None or key != sample_key(index) or \
                    fields.get('entry') != entries[index]:
                raise RoundTripError(
                    f'{path}: sample {key} holds entry {fields["index"]} '
                    f'({fields["media"]}), but its position stands for '
                    f'entry {index} of the annotation file')
    missing = next(packed, None)
    if missing is not None:
        raise RoundTripError(f'{index_path}: entry {missing} is neither in '
                             'a shard nor listed as not packed')


def parse_args(argv):
    """Parse the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    add_corpus_arguments(parser)
    parser.add_argument('--out', required=True,
                        help='folder of the shards and their index')
    parser.add_argument('--media', choices=MEDIA_MODES, default='original',
                        help='what a video sample holds (%(default)s)')
    parser.add_argument('--shard-size', type=int, default=10**9,
                        help='largest shard in bytes (%(default)s)')
    parser.add_argument('--num-frames', type=int, default=4,
                        help="frames per video with --media frames "
                        "(%(default)s; the config's num_frames)")
    parser.add_argument('--jpeg-quality', type=int, default=90,
                        help='JPEG quality of --media frames (%(default)s)')
    parser.add_argument('--short-side', type=int, default=224,
                        help='short side of --media reencoded (%(default)s)')
    parser.add_argument('--fps', type=int, default=3,
                        help='frame rate of --media reencoded (%(default)s)')
    add_workers_argument(parser)
    parser.add_argument('--check', action='store_true',
                        help='only run the round-trip check of --out')
    return parser.parse_args(argv)


def pack_tasks(ann_file, entries, args):
    """The ``pack_entry`` tasks of all entries.

    Args:
        ann_file (str): The annotation file (for messages).
        entries (list[dict]): Its entries.
        args (argparse.Namespace): The options.
    """
    prefixes = dict(video=osp.join(args.data_root, args.video_prefix),
                    image=osp.join(args.data_root, args.image_prefix))
    tasks = []
    for index, entry in enumerate(entries):
        media_key, rel_path = media_of(entry, ann_file, index)
        tasks.append((index, entry, media_key, rel_path,
                      osp.join(prefixes[media_key], rel_path)))
    return tasks


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    args = parse_args(argv)
    ann_file = annotation_file_path(args)
    entries = load_annotation_file(ann_file)
    index_path = osp.join(args.out, INDEX_NAME)
    if not args.check:
        pack(ann_file, entries, index_path, args)
    try:
        check_round_trip(index_path, entries)
    except RoundTripError as err:
        print(f'Round-trip check failed: {err}', file=sys.stderr)
        return 1
    return 0


def pack(ann_file, entries, index_path, args):
    """Pack the entries into shards and write their index (see the module
    docstring).

    Args:
        ann_file (str): The annotation file.
        entries (list[dict]): Its entries.
        index_path (str): The index to write.
        args (argparse.Namespace): The options.
    """
    tasks = pack_tasks(ann_file, entries, args)
    os.makedirs(args.out, exist_ok=True)
    for stale in glob.glob(osp.join(args.out, '*.tmp')):
        os.unlink(stale)  # left by a killed run
    shards = complete_shards(args.out)
    counts = [len(shard_keys(path)) for path in shards]
    start = int(shard_keys(shards[-1])[-1]) + 1 if shards else 0
    pack_one = partial(pack_entry, media=args.media,
                       num_frames=args.num_frames, quality=args.jpeg_quality,
                       short_side=args.short_side, fps=args.fps)
    packed_before = {int(key) for path in shards for key in shard_keys(path)}
    redo = [task for task in tasks[:start] if task[0] not in packed_before]
    unpacked, pending, size = {}, [], 0
    with Pool(max(args.workers, 1)) as pool:
        # the entries before `start` are in complete shards, but those
        # not packed there are checked again for the list of reasons
        for index, result in pool.imap(pack_one, redo, chunksize=16):
            unpacked[index] = result if isinstance(result, str) else \
                'readable now, but not when its shard was packed'
        results = pool.imap(pack_one, tasks[start:], chunksize=4)
        for index, result in tqdm(results, total=len(tasks) - start,
                                  unit='entry', desc='packing'):
            if isinstance(result, str):
                unpacked[index] = result
                continue
            if pending and size + tar_size(result) > args.shard_size:
                shards.append(osp.join(args.out,
                                       SHARD_NAME.format(len(shards))))
                write_shard(shards[-1], pending)
                counts.append(len(pending))
                pending, size = [], 0
            pending.append(result)
            size += tar_size(result)
    if pending:
        shards.append(osp.join(args.out, SHARD_NAME.format(len(shards))))
        write_shard(shards[-1], pending)
        counts.append(len(pending))
    shard_list = [
        dict(url=osp.basename(path), nsamples=count,
             filesize=osp.getsize(path))
        for path, count in zip(shards, counts)
    ]
    content = shard_index_content(
        shard_list, osp.basename(ann_file), len(entries), args.media,
        args.num_frames if args.media == 'frames' else None, list(unpacked))
    write_if_changed(index_path, json.dumps(content, indent=1) + '\n')
    lines = [f'{index}\t{tasks[index][4]}: {reason}'
             for index, reason in sorted(unpacked.items())]
    write_if_changed(osp.join(args.out, UNPACKED_NAME),
                     ''.join(line + '\n' for line in lines))
    for line in lines:
        print(line)
    total = sum(shard['filesize'] for shard in shard_list)
    print(f'{len(entries)} entries: {sum(counts)} packed into {len(shards)} '
          f'shards ({total / 1e6:.1f} MB, {args.media}), {len(unpacked)} '
          f'not packed (missing or unreadable, listed in '
          f'{osp.join(args.out, UNPACKED_NAME)}); index: {index_path}',
          file=sys.stderr)


if __name__ == '__main__':
    raise SystemExit(main())
