#!/usr/bin/env python
"""Convert MSRVTT retrieval annotations to smaug's JSON (7K train, 1K-A test).

Inputs (the files CLIP4Clip/Singularity distribute as ``msrvtt_data``):

- ``MSRVTT_data.json``: ``{"videos": [{"video_id": "video0", ...}],
  "sentences": [{"video_id": "video0", "caption": "...", "sen_id": 0}]}``
- ``MSRVTT_train.7k.csv``: one column ``video_id`` (the 7K training videos)
- ``MSRVTT_JSFUSION_test.csv``: columns ``key,vid_key,video_id,sentence``,
  one row per test video (the 1K-A split of JSFusion)

Outputs in ``--out-dir``: ``ret_train_7k.json`` (one entry per training
video with all its captions; the dataset gives one item per caption) and
``ret_test_1ka.json`` (one entry per test video with its JSFusion sentence).

Example::

    python tools/data/convert_msrvtt.py \\
        --data-json data/msrvtt/raw/MSRVTT_data.json \\
        --train-csv data/msrvtt/raw/MSRVTT_train.7k.csv \\
        --test-csv data/msrvtt/raw/MSRVTT_JSFUSION_test.csv \\
        --out-dir data/msrvtt/annotations
"""
import csv
import json
import os.path as osp
from collections import defaultdict

from converter_arguments import (add_destination_argument,
                                 add_video_template_argument)

from smaug.datasets import dump_annotation_file
from smaug.cli.command_help import command_parser


def read_csv_column(path, *columns):
    """Return the rows of ``columns`` of a CSV file, checking the header.

    Args:
        path (str): The CSV file.
        *columns (str): Column names to read.
    """
    with open(path, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f'{path}: missing column(s) {missing}; header is '
                             f'{reader.fieldnames}')
        return [tuple(row[c].strip() for c in columns) for row in reader]


def convert(data_json, train_csv, test_csv, video_template='{}.mp4'):
    """Build the train and test entries.

    Args:
        data_json (str): ``MSRVTT_data.json``.
        train_csv (str): ``MSRVTT_train.7k.csv``.
        test_csv (str): ``MSRVTT_JSFUSION_test.csv``.
        video_template (str): Video file name from the video id.

    Returns:
        dict[str, list[dict]]: ``{'ret_train_7k': [...], 'ret_test_1ka':
        [...]}``.
    """
    with open(data_json, encoding='utf-8') as f:
        data = json.load(f)
    captions = defaultdict(list)
    for i, sentence in enumerate(data['sentences']):
        if 'video_id' not in sentence or 'caption' not in sentence:
            raise ValueError(f'{data_json}: sentences[{i}] lacks video_id or '
                             'caption')
        if sentence['caption'].strip():
            captions[sentence['video_id']].append(sentence['caption'].strip())
    train = []
    for (video_id, ) in read_csv_column(train_csv, 'video_id'):
        if not captions[video_id]:
            raise ValueError(f'{train_csv}: video {video_id!r} has no '
                             f'captions in {data_json}')
        train.append(dict(video=video_template.format(video_id),
                          caption=captions[video_id]))
    test = [
        dict(video=video_template.format(video_id), caption=[sentence])
        for video_id, sentence in read_csv_column(test_csv, 'video_id',
                                                  'sentence')
    ]
    return dict(ret_train_7k=train, ret_test_1ka=test)


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('--data-json', required=True,
                        help='MSRVTT_data.json (the captions)')
    parser.add_argument('--train-csv', required=True,
                        help='MSRVTT_train.7k.csv (the training videos)')
    parser.add_argument('--test-csv', required=True,
                        help='MSRVTT_JSFUSION_test.csv (the 1K-A test '
                        'videos and sentences)')
    add_destination_argument(parser, '--out-dir')
    add_video_template_argument(parser, '{}.mp4',
                                'the video id, e.g. video0')
    args = parser.parse_args(argv)
    splits = convert(args.data_json, args.train_csv, args.test_csv,
                     args.video_template)
    for name, entries in splits.items():
        dump_annotation_file(entries, osp.join(args.out_dir, f'{name}.json'))
        print(f'{name}: {len(entries)} videos, '
              f'{sum(len(e["caption"]) for e in entries)} captions')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
