#!/usr/bin/env python
"""Convert DiDeMo annotations to smaug's JSON (paragraph-to-video retrieval).

Inputs: LocalizingMoments' ``train_data.json`` / ``val_data.json`` /
``test_data.json``, lists of ``{"annotation_id", "description", "video",
"times": [[start, end], ...], ...}`` with one description per moment.

Outputs in ``--out-dir``: ``ret_{train,val,test}.json``, one entry per video
with its descriptions ordered by the moment's earliest start (so that the
paragraph the dataset joins in ``paragraph=True`` mode reads in time order).
The video's extension is replaced by ``--video-ext`` (the compressor writes
``.mp4``).

Example::

    python tools/data/convert_didemo.py \\
        --train data/didemo/raw/train_data.json \\
        --val data/didemo/raw/val_data.json \\
        --test data/didemo/raw/test_data.json --out-dir data/didemo/annotations
"""
import json
import os.path as osp

from converter_arguments import add_destination_argument
from split_annotations import parse_and_convert_splits, write_split_files

INPUTS = {
    split: (f"LocalizingMoments' {split}_data.json (writes "
            f'ret_{split}.json)', False)
    for split in ('train', 'val', 'test')
}


def convert_split(path, video_ext='.mp4'):
    """Group one split's moment descriptions by video.

    Args:
        path (str): A ``*_data.json`` file.
        video_ext (str): Extension of the video files.

    Returns:
        list[dict]: One entry per video, in order of first appearance.
    """
    with open(path, encoding='utf-8') as f:
        moments = json.load(f)
    videos = {}
    for i, moment in enumerate(moments):
        for key in ('video', 'description', 'times'):
            if key not in moment:
                raise ValueError(f'{path}: entry {i}: missing key {key!r}')
        description = moment['description'].strip()
        if not description:
            continue
        start = min(t[0] for t in moment['times']) if moment['times'] else 0
        videos.setdefault(moment['video'], []).append((start, i, description))
    return [
        dict(video=osp.splitext(video)[0] + video_ext,
             caption=[d for _, _, d in sorted(descriptions)])
        for video, descriptions in videos.items()
    ]


def add_options(parser):
    """Add ``--out-dir`` and ``--video-ext``."""
    add_destination_argument(parser, '--out-dir')
    parser.add_argument('--video-ext', default='.mp4',
                        help="replaces the extension of the annotations' "
                        'video names (default: %(default)s)')


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    args, splits = parse_and_convert_splits(
        __doc__, INPUTS, add_options,
        lambda path, args: convert_split(path, args.video_ext), argv)
    write_split_files(splits, args.out_dir, 'ret_{}.json', 'videos')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
