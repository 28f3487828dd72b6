"""Converters with one input and one annotation file per split: the
``--out-dir`` they write to, converting the splits given and writing
one file per split (shared by convert_anet_captions.py, convert_didemo.py,
convert_msrvtt.py, convert_msrvtt_qa.py and qa_annotations.py).

A module of those commands, not a command itself.
"""
import os.path as osp
import sys

from smaug.datasets import dump_annotation_file


def add_out_dir_argument(parser):
    """Add ``--out-dir``, the folder the annotation files are written to.

    Args:
        parser (argparse.ArgumentParser): A converter's parser, changed in
            place.
    """
    parser.add_argument('--out-dir', required=True,
                        help='folder the annotation files are written to')


def convert_given_splits(args, split_names, convert_split):
    """Convert the input of each split whose option was given.

    Args:
        args (argparse.Namespace): Parsed arguments with one attribute per
            split, the split's input file or None.
        split_names (Sequence[str]): The splits, in output order.
        convert_split (Callable[[str], list[dict]]): Entries of one input.

    Returns:
        dict[str, list[dict]]: Entries per given split.
    """
    return {
        split: convert_split(getattr(args, split))
        for split in split_names if getattr(args, split)
    }


def write_split_files(splits, out_dir, file_name, unit):
    """Write each split's entries and print how many there are.

    Args:
        splits (dict[str, list[dict]]): Entries per split name.
        out_dir (str): Output folder.
        file_name (str): File name from the split name, e.g.
            ``'ret_{}.json'``.
        unit (str): What an entry is, for the printed count (``'videos'``).
    """
    for split, entries in splits.items():
        dump_annotation_file(entries, osp.join(out_dir,
                                               file_name.format(split)))
        print(f'{split}: {len(entries)} {unit}')


if __name__ == '__main__':
    sys.exit('split_annotations.py is a module of convert_anet_captions.py, '
             'convert_didemo.py, convert_msrvtt.py, convert_msrvtt_qa.py and '
             'convert_anet_qa.py, not a command: run python '
             'tools/data/convert_didemo.py --help, for example')
