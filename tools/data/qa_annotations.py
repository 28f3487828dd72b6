"""Writing converted open-ended QA splits and their answer list (shared by
convert_msrvtt_qa.py and convert_anet_qa.py).

A module of those commands, not a command itself.
"""
import os.path as osp
import sys
from collections import Counter

from converter_arguments import add_destination_argument
from split_annotations import write_split_files

from smaug.datasets import dump_annotation_file


def build_answer_list(answers, max_answers=None):
    """Return the distinct answers, most frequent first.

    Args:
        answers (Iterable[str]): Training answers (one per question).
        max_answers (int, optional): Keep only the most frequent ones
            (ClipBERT keeps 1500 for MSRVTT-QA); all by default.

    Returns:
        list[str]: Answers by decreasing count, ties alphabetically.
    """
    counts = Counter(a.strip() for a in answers if a.strip())
    ranked = sorted(counts, key=lambda a: (-counts[a], a))
    return ranked[:max_answers] if max_answers else ranked


def add_output_arguments(parser):
    """Add the options :func:`write_qa_annotations` takes.

    Args:
        parser (argparse.ArgumentParser): A converter's parser, changed in
            place.
    """
    add_destination_argument(parser, '--out-dir')
    parser.add_argument('--max-answers', type=int,
                        help='keep only this many of the most frequent '
                        'training answers in the answer list (default: all)')


def write_qa_annotations(splits, out_dir, max_answers=None):
    """Write ``qa_<split>.json`` per split and ``qa_answer_list.json`` built
    from the ``'train'`` split.

    Args:
        splits (dict[str, list[dict]]): Entries per split name.
        out_dir (str): Output folder.
        max_answers (int, optional): See :func:`build_answer_list`.
    """
    write_split_files(splits, out_dir, 'qa_{}.json', 'questions')
    answers = build_answer_list((e['answer'] for e in splits['train']),
                                max_answers)
    dump_annotation_file(answers, osp.join(out_dir, 'qa_answer_list.json'))
    print(f'answer list: {len(answers)} answers')


if __name__ == '__main__':
    sys.exit('qa_annotations.py is a module of convert_msrvtt_qa.py and '
             'convert_anet_qa.py, not a command: run python '
             'tools/data/convert_msrvtt_qa.py --help or python '
             'tools/data/convert_anet_qa.py --help')
