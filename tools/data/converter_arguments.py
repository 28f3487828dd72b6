"""The options the dataset converters (tools/data/convert_*.py) share: where
the annotations are written (``--out`` or ``--out-dir``) and
``--video-template``, the video file name made from the release's id.

A module of those commands, not a command itself.
"""
import sys


def add_out_file_argument(parser):
    """Add ``--out``, the one annotation file a converter writes.

    Args:
        parser (argparse.ArgumentParser): A converter's parser, changed in
            place.
    """
    parser.add_argument('--out', required=True,
                        help='annotation file to write (.json)')


def add_out_dir_argument(parser):
    """Add ``--out-dir``, the folder the annotation files are written to.

    Args:
        parser (argparse.ArgumentParser): A converter's parser, changed in
            place.
    """
    parser.add_argument('--out-dir', required=True,
                        help='folder the annotation files are written to')


def add_video_template_argument(parser, default, source):
    """Add ``--video-template``, a ``str.format`` template that makes a
    video's file name from the release's id.

    Args:
        parser (argparse.ArgumentParser): A converter's parser, changed in
            place.
        default (str): The template of the release's video files.
        source (str): What the template is filled with, for the help (e.g.
            ``'the video number'``).
    """
    parser.add_argument('--video-template', default=default,
                        help=f'video file name from {source} '
                        '(default: %(default)s)')


if __name__ == '__main__':
    sys.exit('converter_arguments.py is a module of the converters, not a '
             'command: run python tools/data/convert_msrvtt.py --help, for '
             'example')
