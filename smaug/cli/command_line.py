"""Command-line options shared by the tools."""
import argparse
import functools
import os
import os.path as osp
import sys

from mmengine.config import DictAction

from ..config import ConfigError, load_config


class ConfigOptionsAction(DictAction):
    """mmengine's ``DictAction`` with a usage error for an option that is
    not ``KEY=VALUE``.
    """

    def __call__(self, parser, namespace, values, option_string=None):
        """Check the form of each option, then parse them as mmengine."""
        for option in values:
            if '=' not in option or option.startswith('='):
                raise argparse.ArgumentError(
                    self, f'{option!r} is not of the form KEY=VALUE (e.g. '
                    'train_cfg.max_epochs=2)')
        super().__call__(parser, namespace, values, option_string)


def add_trust_argument(parser):
    """Add ``--trust-checkpoint``, the opt-out of weights-only loading."""
    parser.add_argument(
        '--trust-checkpoint', action='store_true',
        help='allow checkpoints that need unrestricted unpickling (only for '
        'files from a source you trust)')


def add_cfg_options_argument(parser,
                             help_text='override config entries (key=value)'):
    """Add ``--cfg-options KEY=VALUE ...``, parsed by
    :class:`ConfigOptionsAction` into the dict that
    :func:`smaug.config.load_config` applies.

    Args:
        parser (argparse.ArgumentParser): The tool's parser.
        help_text (str): The option's help (the tool's examples).
    """
    parser.add_argument('--cfg-options', nargs='+', action=ConfigOptionsAction,
                        metavar='KEY=VALUE', help=help_text)


def add_seed_argument(parser, seeded):
    """Add ``--seed`` (an int, 0 by default).

    Args:
        parser (argparse.ArgumentParser): The tool's parser.
        seeded (str): What the seed draws, for the help (e.g. ``'the
            embeddings and queries'``).
    """
    parser.add_argument('--seed', type=int, default=0,
                        help=f'seed of {seeded} (default: %(default)s)')


def add_common_arguments(parser):
    """Add the options of every tool that runs a config."""
    parser.add_argument('--work-dir', help='folder for logs and outputs')
    add_trust_argument(parser)
    add_cfg_options_argument(
        parser,
        'override config entries (train_dataloader.batch_size=8) or config '
        'variables (max_epochs=2, num_frames=8, img_size=288: every entry '
        'that takes one follows it)')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='how the processes were started: none (one process), pytorch '
        '(torchrun, as tools/dist_*.sh do), slurm, mpi (default: none)')
    parser.add_argument(
        '--local_rank', '--local-rank', type=int, default=0,
        help='rank of this process on its machine, set by the launcher '
        '(default: 0)')


def load_config_with_arguments(args):
    """``args.config`` loaded with :func:`add_common_arguments`' options
    applied.
    """
    cfg = load_config(args.config, args.cfg_options)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.trust_checkpoint:
        cfg.trust_checkpoint = True
    cfg.setdefault('runner_type', 'SMAUGRunner')
    return cfg


def exit_on_config_error(main):
    """Decorate a tool's ``main``: a :class:`ConfigError` ends it with its
    message and status 1, without a traceback.
    """
    @functools.wraps(main)
    def run():
        try:
            main()
        except ConfigError as error:
            sys.exit(f'error: {error}')

    return run
