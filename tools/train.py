"""Train a model from a config (OpenMMLab form).

Examples::

    python tools/train.py configs/demo/smaug_tiny_synthetic.py
    tools/dist_train.sh configs/smaug_pretrain_17m.py 4 --amp
    python tools/train.py CONFIG --resume                # latest in work_dir
    python tools/train.py CONFIG --resume CHECKPOINT     # that checkpoint
    python tools/train.py CONFIG --cfg-options max_epochs=2  # shorter run

``--cfg-options`` sets entries the Runner reads (``train_cfg.max_epochs=2``)
or config variables (``max_epochs=2``, ``num_frames=8``, ``img_size=288``),
which the config loader writes into every pipeline, dataset and model part
that takes them (:mod:`smaug.config.config_variables`); the LR schedule ends
with the run either way. An override that would be ignored, or an invalid
value, stops the tool with a message naming the config file and the entry.
"""
import logging
import os
import sys

import torch
from mmengine.logging import print_log

from smaug.cli.command_help import command_parser
from smaug.cli.command_line import (add_common_arguments, exit_on_config_error,
                                    load_config_with_arguments)
from smaug.config import ConfigError
from smaug.datasets import AnnotationError
from smaug.engine.runners.work_dir_lock import (WorkDirInUseError,
                                                claim_work_dir)
from smaug.engine.utils.process_group import close_distributed
from smaug.engine.utils.stop_report import report_stop
from smaug.registry import RUNNERS


def parse_args():
    """Parse the command line."""
    parser = command_parser(__doc__)
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from this checkpoint, or from the latest checkpoint in '
        'the work dir when no path is given')
    parser.add_argument(
        '--amp', action='store_true',
        help='mixed precision training (GPU only; ignored on the CPU)')
    parser.add_argument(
        '--no-validate', action='store_true',
        help='skip validation during training')
    parser.add_argument(
        '--auto-scale-lr', action='store_true',
        help='scale the learning rate with the total batch size')
    add_common_arguments(parser)
    return parser.parse_args()


def enable_amp(cfg):
    """Switch the optimizer wrapper to AMP when a GPU is present.

    Args:
        cfg (Config): The config, changed in place.
    """
    if not torch.cuda.is_available():
        print_log('--amp needs a GPU; training in float32 on the CPU.',
                  logger='current', level=logging.WARNING)
        return
    wrapper_type = cfg.optim_wrapper.get('type', 'OptimWrapper')
    if wrapper_type in ('AmpOptimWrapper', 'AutoAmpOptimWrapper',
                        'GuardedAmpOptimWrapper'):
        return
    amp_types = dict(OptimWrapper='AmpOptimWrapper',
                     GuardedOptimWrapper='GuardedAmpOptimWrapper')
    if wrapper_type not in amp_types:
        raise ValueError(f'--amp cannot replace the optim wrapper '
                         f'{wrapper_type!r}; set AMP in the config instead.')
    cfg.optim_wrapper.type = amp_types[wrapper_type]
    cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')


def apply_train_arguments(cfg, args):
    """Apply the training-only options to the config.

    Args:
        cfg (Config): The loaded config, changed in place.
        args (argparse.Namespace): The parsed command line.
    """
    if args.amp:
        enable_amp(cfg)
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if args.auto_scale_lr:
        cfg.setdefault('auto_scale_lr', {})['enable'] = True


def build_runner(args):
    """Load the config, claim the work_dir (before the runner creates
    anything in it) and build the runner; a config error or a work_dir in
    use ends the tool with its message, and under torchrun ends the job
    (no restart would change it).

    Args:
        args (argparse.Namespace): The parsed command line.

    Returns:
        Runner: The runner.
    """
    try:
        cfg = load_config_with_arguments(args)
        apply_train_arguments(cfg, args)
        claim_work_dir(cfg.work_dir, os.environ)
        return RUNNERS.build(cfg)
    except (ConfigError, WorkDirInUseError) as error:
        end_for_good(error)


def end_for_good(error):
    """End the tool with the error's message and status 1; under torchrun
    end the job, which a restart would only fail again.

    Args:
        error (Exception): What stops the run.
    """
    print(f'error: {error}', file=sys.stderr, flush=True)
    report_stop(1, str(error), final=True)
    sys.exit(1)


@exit_on_config_error
def main():
    """Build the runner from the config and train; a missing or malformed
    annotation file (found when the dataloaders are built) ends it as a
    config error does."""
    runner = build_runner(parse_args())
    try:
        runner.train()
    except AnnotationError as error:
        end_for_good(error)
    close_distributed()


if __name__ == '__main__':
    main()
