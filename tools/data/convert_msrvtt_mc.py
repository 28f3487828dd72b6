#!/usr/bin/env python
"""Convert MSRVTT-MC (multiple choice, JSFusion's test set) to smaug's JSON.

Accepted inputs:

- JSFusion's ``MSR_MC_test.csv``: tab-separated with columns ``vid_key``
  (``msr7010``), ``a1`` ... ``a5`` (the candidate captions) and ``answer``
  (0-based index of the right one), as read by fairseq's MMPT;
- ClipBERT's ``msrvtt_retrieval_mc_test.jsonl``: one ``{"qid", "clip_name":
  "video7010", "options": [5 captions], "answer": i}`` per line.

Output: ``{"video": "video7010.mp4", "caption": [5 options], "answer": i}``
entries (``--out``).

Example::

    python tools/data/convert_msrvtt_mc.py \\
        --input data/msrvtt/raw/MSR_MC_test.csv \\
        --out data/msrvtt/annotations/mc_test.json
"""
import csv
import json

from converter_arguments import (add_destination_argument,
                                 add_video_template_argument)

from smaug.datasets import dump_annotation_file
from smaug.cli.command_help import command_parser

NUM_OPTIONS = 5


def from_jsfusion_csv(path, template):
    """Entries of JSFusion's tab-separated file.

    Args:
        path (str): ``MSR_MC_test.csv``.
        template (str): Video file name from the number in ``vid_key``.
    """
    columns = ['vid_key'] + [f'a{i}' for i in range(1, NUM_OPTIONS + 1)] + \
        ['answer']
    with open(path, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f, delimiter='\t')
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f'{path}: missing column(s) {missing}; header is '
                             f'{reader.fieldnames}')
        return [
            dict(video=template.format(int(row['vid_key'][len('msr'):])),
                 caption=[row[f'a{i}'].strip()
                          for i in range(1, NUM_OPTIONS + 1)],
                 answer=int(row['answer'])) for row in reader
        ]


def from_clipbert_jsonl(path, template):
    """Entries of ClipBERT's JSON-lines file.

    Args:
        path (str): ``msrvtt_retrieval_mc_test.jsonl``.
        template (str): Video file name from the number in ``clip_name``.
    """
    entries = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                item = json.loads(line)
                number = int(item['clip_name'][len('video'):])
                entries.append(
                    dict(video=template.format(number),
                         caption=[o.strip() for o in item['options']],
                         answer=int(item['answer'])))
    return entries


def convert(path, template='video{}.mp4'):
    """Read either format (by extension) and check every entry.

    Args:
        path (str): ``.csv`` (JSFusion) or ``.jsonl`` (ClipBERT).
        template (str): Video file name from the video number.
    """
    reader = from_clipbert_jsonl if path.endswith('.jsonl') else \
        from_jsfusion_csv
    entries = reader(path, template)
    for i, entry in enumerate(entries):
        if len(entry['caption']) != NUM_OPTIONS or not \
                0 <= entry['answer'] < NUM_OPTIONS:
            raise ValueError(f'{path}: entry {i}: needs {NUM_OPTIONS} '
                             'options and a 0-based answer index')
    return entries


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('--input', required=True,
                        help="JSFusion's MSR_MC_test.csv or ClipBERT's "
                        'msrvtt_retrieval_mc_test.jsonl (told apart by the '
                        '.jsonl extension)')
    add_destination_argument(parser, '--out')
    add_video_template_argument(parser, 'video{}.mp4', 'the video number')
    args = parser.parse_args(argv)
    entries = convert(args.input, args.video_template)
    dump_annotation_file(entries, args.out)
    print(f'{len(entries)} multiple-choice questions')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
