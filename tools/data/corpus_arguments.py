"""The command-line arguments that name an annotation file and its media,
shared by the tools that read a corpus."""
import sys


def add_corpus_arguments(parser):
    """Add the annotation file, ``--data-root`` and the media folders.

    Args:
        parser (argparse.ArgumentParser): The tool's parser.
    """
    parser.add_argument('ann_file', help='annotation file (relative to '
                        '--data-root unless it exists as given)')
    parser.add_argument('--data-root', default='', help='corpus root')
    parser.add_argument('--video-prefix', default='',
                        help="folder of the videos under --data-root (the "
                        "config's data_prefix['video'])")
    parser.add_argument('--image-prefix', default='',
                        help="folder of the images under --data-root (the "
                        "config's data_prefix['image'])")


if __name__ == '__main__':
    sys.exit('corpus_arguments.py is a module of check_corpus.py and '
             'pack_shards.py, not a command: run python '
             'tools/data/check_corpus.py --help or python '
             'tools/data/pack_shards.py --help')
