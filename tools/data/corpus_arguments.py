"""The command-line arguments that name an annotation file and its media
and the processes that read them, shared by the tools that read a corpus,
and the annotation file they name."""
import os.path as osp
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


def add_workers_argument(parser):
    """Add ``--workers``, the processes that read the media (4 by default).

    Args:
        parser (argparse.ArgumentParser): The tool's parser.
    """
    parser.add_argument('--workers', type=int, default=4,
                        help='parallel reading processes (default: '
                        '%(default)s)')


def annotation_file_path(args):
    """The annotation file the arguments name: as given if it exists or is
    absolute, else under ``--data-root``.

    Args:
        args (argparse.Namespace): Arguments parsed with
            :func:`add_corpus_arguments`.
    """
    ann_file = args.ann_file
    if args.data_root and not osp.isabs(ann_file) and not osp.exists(
            ann_file):
        ann_file = osp.join(args.data_root, ann_file)
    return ann_file


if __name__ == '__main__':
    sys.exit('corpus_arguments.py is a module of check_corpus.py and '
             'pack_shards.py, not a command: run python '
             'tools/data/check_corpus.py --help or python '
             'tools/data/pack_shards.py --help')
