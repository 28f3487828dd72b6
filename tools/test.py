"""Test a checkpoint with a config's test loop and metrics (OpenMMLab form).

Examples::

    # the checkpoint make demo keeps
    python tools/test.py configs/demo/smaug_tiny_synthetic.py \\
        work_dirs/demo/epoch_40.pth
    # the best checkpoint of a fine-tuning run (N: the epoch it is from)
    tools/dist_test.sh configs/smaug_ret_msrvtt.py \\
        work_dirs/smaug_ret_msrvtt/best_retrieval_mean_recall_epoch_N.pth 4

A checkpoint that lacks weights of the config's model (missing keys, or
keys of another shape) is refused, listing them: such a model would give
meaningless metrics. ``--allow-partial`` tests it anyway (with a warning).
"""

from mmengine.fileio import dump

from smaug.cli.command_help import command_parser
from smaug.cli.command_line import (add_common_arguments, exit_on_config_error,
                                    load_config_with_arguments)
from smaug.engine.utils.process_group import close_distributed
from smaug.registry import RUNNERS


def parse_args():
    """Parse the command line."""
    parser = command_parser(__doc__)
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out', help='dump the computed metrics to this JSON/pickle file')
    parser.add_argument(
        '--allow-partial', action='store_true',
        help='test even if the checkpoint lacks some of the model\'s '
        'weights (they keep their initial values)')
    add_common_arguments(parser)
    return parser.parse_args()


@exit_on_config_error
def main():
    """Build the runner from the config, load the checkpoint and test."""
    args = parse_args()
    cfg = load_config_with_arguments(args)
    cfg.load_from = args.checkpoint
    cfg.resume = False
    cfg.require_all_weights = not args.allow_partial
    runner = RUNNERS.build(cfg)
    metrics = runner.test()
    if args.out is not None:
        dump(metrics, args.out)
    close_distributed()


if __name__ == '__main__':
    main()
