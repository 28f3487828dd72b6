#!/usr/bin/env python
"""Convert MSRVTT-QA to smaug's JSON.

Inputs: ``train_qa.json`` / ``val_qa.json`` / ``test_qa.json`` of Xu et al.,
lists of ``{"id": int, "video_id": int, "question": str, "answer": str,
"category_id": int}`` (``video_id`` 7 means ``video7.mp4``).

Outputs in ``--out-dir``: ``qa_{train,val,test}.json`` (``{"video",
"question", "answer", "question_id"}``) and ``qa_answer_list.json``, the
training answers by frequency (``--max-answers`` keeps the most frequent).

Example::

    python tools/data/convert_msrvtt_qa.py \\
        --train data/msrvtt/raw/train_qa.json \\
        --val data/msrvtt/raw/val_qa.json \\
        --test data/msrvtt/raw/test_qa.json \\
        --out-dir data/msrvtt/annotations
"""
import json
from functools import partial

from qa_annotations import add_output_arguments, write_qa_annotations
from split_annotations import convert_given_splits

from smaug.cli.command_help import command_parser


def video_name(video_id, template='video{}.mp4'):
    """File name of an MSRVTT video from an int id or a ``videoN`` string.

    Args:
        video_id (int | str): ``7`` or ``'video7'``.
        template (str): File name from the numeric id.
    """
    number = str(video_id)
    if number.startswith('video'):
        number = number[len('video'):]
    return template.format(int(number))


def convert_split(path, template='video{}.mp4'):
    """Entries of one split.

    Args:
        path (str): ``*_qa.json``.
        template (str): Video file name from the numeric id.
    """
    with open(path, encoding='utf-8') as f:
        questions = json.load(f)
    entries = []
    for i, q in enumerate(questions):
        for key in ('id', 'video_id', 'question', 'answer'):
            if key not in q:
                raise ValueError(f'{path}: entry {i}: missing key {key!r}')
        entries.append(
            dict(video=video_name(q['video_id'], template),
                 question=q['question'].strip(), answer=q['answer'].strip(),
                 question_id=q['id']))
    return entries


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    for split, required in (('train', True), ('val', False),
                            ('test', False)):
        parser.add_argument(f'--{split}', required=required,
                            help=f'{split}_qa.json of Xu et al. (writes '
                            f'qa_{split}.json)')
    add_output_arguments(parser)
    parser.add_argument('--video-template', default='video{}.mp4',
                        help='video file name from the video_id number '
                        '(default: %(default)s)')
    args = parser.parse_args(argv)
    splits = convert_given_splits(
        args, ('train', 'val', 'test'),
        partial(convert_split, template=args.video_template))
    write_qa_annotations(splits, args.out_dir, args.max_answers)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
