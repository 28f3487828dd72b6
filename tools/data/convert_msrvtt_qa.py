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

from converter_arguments import add_video_template_argument
from qa_annotations import add_output_arguments, write_qa_annotations
from split_annotations import parse_and_convert_splits

INPUTS = {
    split: (f'{split}_qa.json of Xu et al. (writes qa_{split}.json)',
            split == 'train')
    for split in ('train', 'val', 'test')
}


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


def add_options(parser):
    """Add ``--out-dir``, ``--max-answers`` and ``--video-template``."""
    add_output_arguments(parser)
    add_video_template_argument(parser, 'video{}.mp4',
                                'the video_id number')


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    args, splits = parse_and_convert_splits(
        __doc__, INPUTS, add_options,
        lambda path, args: convert_split(path, args.video_template), argv)
    write_qa_annotations(splits, args.out_dir, args.max_answers)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
