"""The options the dataset converters (tools/data/convert_*.py) share: where
the annotations are written (``--out`` or ``--out-dir``) and
``--video-template``, the video file name made from the release's id.

A module of those commands, not a command itself.
"""
import sys


#: The help of each option a converter's output can be named by.
DESTINATIONS = {
    '--out': 'annotation file to write (.json)',
    '--out-dir': 'folder the annotation files are written to',
}


def add_destination_argument(parser, option):
    """Add the required option that says where the annotations go.

    Args:
        parser (argparse.ArgumentParser): A converter's parser, changed in
            place.
        option (str): ``'--out'``, the one annotation file a converter
            writes, or ``'--out-dir'``, the folder of its split files.
    """
    parser.add_argument(option, required=True, help=DESTINATIONS[option])


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
