"""Where a benchmark runs: the ``--device`` and ``--threads`` options of
benchmark_backbone.py, benchmark_pretrain.py, benchmark_retrieval_test.py
and benchmark_vit_vs_timm.py, and setting torch's thread count from them.

A module of those commands, not a command itself.
"""
import sys

import torch

#: The first GPU where there is one, else the CPU.
BEST_DEVICE = 'cuda' if torch.cuda.is_available() else 'cpu'


def add_device_arguments(parser, device='cpu'):
    """Add ``--device`` and ``--threads``.

    Args:
        parser (argparse.ArgumentParser): The benchmark's parser.
        device (str): The default device (:data:`BEST_DEVICE`: a GPU where
            there is one).
    """
    parser.add_argument('--device', default=device,
                        help='e.g. cuda:1 (default: %(default)s)')
    parser.add_argument('--threads', type=int,
                        help="torch CPU threads (default: torch's choice)")


def use_threads(args):
    """Set torch's CPU threads to ``--threads``, if given.

    Args:
        args (argparse.Namespace): Parsed with :func:`add_device_arguments`.
    """
    if args.threads:
        torch.set_num_threads(args.threads)


if __name__ == '__main__':
    sys.exit('device_arguments.py is a module of the benchmarks, not a '
             'command: run python tools/analysis/benchmark_backbone.py '
             '--help, for example')
