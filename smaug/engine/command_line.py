"""Command-line options shared by tools/train.py and tools/test.py."""
import os
import os.path as osp

import torch.distributed as dist
from mmengine.config import DictAction

from .checkpoint_loading import TRUST_ENV_VAR


def add_common_arguments(parser):
    """Add the options every smaug tool that runs a config accepts.

    Args:
        parser (argparse.ArgumentParser): The tool's parser, changed in place.
    """
    parser.add_argument('--work-dir', help='folder for logs and outputs')
    parser.add_argument(
        '--trust-checkpoint', action='store_true',
        help='allow checkpoints that need unrestricted unpickling (only for '
        'files from a source you trust)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config entries, e.g. train_dataloader.batch_size=8')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def apply_common_arguments(cfg, args):
    """Apply the options of :func:`add_common_arguments` to a config.

    Args:
        cfg (mmengine.Config): The loaded config, changed in place.
        args (argparse.Namespace): The parsed command line (with ``config``).
    """
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.trust_checkpoint:
        os.environ[TRUST_ENV_VAR] = '1'
    cfg.setdefault('runner_type', 'SMAUGRunner')


def close_distributed():
    """End a distributed run cleanly: wait for every process, then destroy
    the process group. Without it, gloo's threads can still be running while
    the interpreter exits, and a process aborts (SIGABRT, "terminate called
    without an active exception") after its work is done. Does nothing in a
    single-process run."""
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
