"""Converters with one input file and one annotation file per split: their
command line (an option per split's input), converting the splits given and
writing one file per split (shared by convert_anet_captions.py,
convert_didemo.py, convert_msrvtt_qa.py and qa_annotations.py).

A module of those commands, not a command itself.
"""
import os.path as osp
import sys

from smaug.cli.command_help import command_parser
from smaug.datasets import dump_annotation_file


def parse_and_convert_splits(docstring, inputs, add_options, convert_split,
                             argv=None):
    """Parse a split converter's command line and convert the input of each
    split whose option was given.

    Args:
        docstring (str): The converter's module docstring (its ``--help``).
        inputs (dict[str, tuple[str, bool]]): By split name, in output
            order: the help of the split's input option ``--<split>`` and
            whether it is required.
        add_options (Callable[[argparse.ArgumentParser], None]): Adds the
            converter's other options (the output, the video naming), after
            the inputs.
        convert_split (Callable[[str, argparse.Namespace], list[dict]]):
            Entries of one split's input file, given the parsed arguments.
        argv (list[str], optional): The command line (``sys.argv[1:]`` if
            None).

    Returns:
        tuple[argparse.Namespace, dict[str, list[dict]]]: The parsed
        arguments and the entries per given split.
    """
    parser = command_parser(docstring)
    for split, (help_text, required) in inputs.items():
        parser.add_argument(f'--{split}', required=required, help=help_text)
    add_options(parser)
    args = parser.parse_args(argv)
    splits = {
        split: convert_split(getattr(args, split), args)
        for split in inputs if getattr(args, split)
    }
    return args, splits


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
             'convert_didemo.py, convert_msrvtt_qa.py and convert_anet_qa.py, '
             'not a command: run python tools/data/convert_didemo.py --help, '
             'for example')
