#!/usr/bin/env python
"""Convert ActivityNet Captions to smaug's JSON (paragraph-to-video).

Inputs: ``train.json`` / ``val_1.json`` (/ ``val_2.json``), dicts of
``{"v_<id>": {"duration": s, "timestamps": [[start, end], ...],
"sentences": [...]}}``.

Outputs in ``--out-dir``: ``ret_<name>.json`` per input (named after the
option: ``ret_train.json``, ``ret_val1.json``, ``ret_val2.json``), one entry
per video with its sentences in timestamp order (the paper evaluates on
``val_1``, paragraph-to-video).

Example::

    python tools/data/convert_anet_captions.py \\
        --train data/anet/raw/train.json --val1 data/anet/raw/val_1.json \\
        --out-dir data/anet/annotations
"""
import json

from converter_arguments import (add_destination_argument,
                                 add_video_template_argument)
from split_annotations import parse_and_convert_splits, write_split_files

INPUTS = {
    'train': ("the release's train.json (writes ret_train.json)", False),
    'val1': ("the release's val_1.json (writes ret_val1.json, the paper's "
             'test split)', False),
    'val2': ("the release's val_2.json (writes ret_val2.json)", False),
}


def convert_split(path, video_template='{}.mp4'):
    """One entry per video of an ActivityNet Captions file.

    Args:
        path (str): ``train.json`` / ``val_1.json`` / ``val_2.json``.
        video_template (str): Video file name from the id (``v_...``).

    Returns:
        list[dict]: Entries in file order; videos without sentences are
        left out.
    """
    with open(path, encoding='utf-8') as f:
        videos = json.load(f)
    entries = []
    for video_id, info in videos.items():
        for key in ('timestamps', 'sentences'):
            if key not in info:
                raise ValueError(f'{path}: {video_id}: missing key {key!r}')
        if len(info['timestamps']) != len(info['sentences']):
            raise ValueError(f'{path}: {video_id}: {len(info["sentences"])} '
                             f'sentences but {len(info["timestamps"])} '
                             'timestamps')
        timed = sorted(
            (stamp[0], i, sentence.strip())
            for i, (stamp, sentence) in enumerate(
                zip(info['timestamps'], info['sentences']))
            if sentence.strip())
        if timed:
            entries.append(dict(video=video_template.format(video_id),
                                caption=[s for _, _, s in timed]))
    return entries


def add_options(parser):
    """Add ``--out-dir`` and ``--video-template``."""
    add_destination_argument(parser, '--out-dir')
    add_video_template_argument(parser, '{}.mp4',
                                'the video id, which starts with v_')


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    args, splits = parse_and_convert_splits(
        __doc__, INPUTS, add_options,
        lambda path, args: convert_split(path, args.video_template), argv)
    write_split_files(splits, args.out_dir, 'ret_{}.json', 'videos')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
