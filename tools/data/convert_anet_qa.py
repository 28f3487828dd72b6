#!/usr/bin/env python
"""Convert ActivityNet-QA to smaug's JSON.

Inputs: the release's ``{split}_q.json`` (``{"video_name", "question",
"question_id"}``) and ``{split}_a.json`` (``{"question_id", "answer",
"type"}``) for the splits train, val, test, found in ``--ann-dir``.
``video_name`` is the YouTube id; ActivityNet files are ``v_<id>.mp4``.

Outputs in ``--out-dir``: ``qa_{train,val,test}.json`` and
``qa_answer_list.json`` (training answers by frequency).

Example::

    python tools/data/convert_anet_qa.py \\
        --ann-dir data/anet/raw/activitynet-qa/dataset \\
        --out-dir data/anet/annotations
"""
import json
import os.path as osp

from converter_arguments import add_video_template_argument
from qa_annotations import add_output_arguments, write_qa_annotations

from smaug.cli.command_help import command_parser


def convert_split(questions_file, answers_file, template='v_{}.mp4'):
    """Join one split's questions and answers.

    Args:
        questions_file (str): ``{split}_q.json``.
        answers_file (str): ``{split}_a.json``.
        template (str): Video file name from ``video_name``.
    """
    with open(questions_file, encoding='utf-8') as f:
        questions = json.load(f)
    with open(answers_file, encoding='utf-8') as f:
        answers = {a['question_id']: a['answer'] for a in json.load(f)}
    entries = []
    for i, q in enumerate(questions):
        for key in ('video_name', 'question', 'question_id'):
            if key not in q:
                raise ValueError(
                    f'{questions_file}: entry {i}: missing key {key!r}')
        if q['question_id'] not in answers:
            raise ValueError(f'{answers_file}: no answer for question '
                             f'{q["question_id"]!r}')
        entries.append(
            dict(video=template.format(q['video_name']),
                 question=q['question'].strip(),
                 answer=str(answers[q['question_id']]).strip(),
                 question_id=q['question_id']))
    return entries


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('--ann-dir', required=True,
                        help="the release's folder of "
                        '{train,val,test}_{q,a}.json (train is required, '
                        'val and test are converted when present)')
    add_output_arguments(parser)
    add_video_template_argument(parser, 'v_{}.mp4',
                                'the YouTube id video_name')
    args = parser.parse_args(argv)
    splits = {}
    for split in ('train', 'val', 'test'):
        questions = osp.join(args.ann_dir, f'{split}_q.json')
        if split == 'train' or osp.exists(questions):
            splits[split] = convert_split(
                questions, osp.join(args.ann_dir, f'{split}_a.json'),
                args.video_template)
    write_qa_annotations(splits, args.out_dir, args.max_answers)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
