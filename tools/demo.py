"""The CPU demo: pre-train a tiny SMAUG on the synthetic corpus, then test
zero-shot text-to-video retrieval on its held-out clips.

Run by ``make demo`` (which first generates ``data/synthetic``)::

    python tools/demo.py [--config configs/demo/smaug_tiny_synthetic.py]

Prints R@1/5/10 of text-to-video retrieval beside chance level (K / number
of gallery videos) and where the logs, TensorBoard events and checkpoints
went. The run keeps one checkpoint, the last epoch's
(``work_dirs/demo/epoch_40.pth``), which the fine-tuning configs of
``configs/demo/`` start from.
"""
import os.path as osp
import time

import torch

from smaug.cli.command_help import command_parser
from smaug.config import load_config
from smaug.registry import RUNNERS

DEFAULT_CONFIG = 'configs/demo/smaug_tiny_synthetic.py'


def parse_args():
    """Parse the command line."""
    parser = command_parser(__doc__)
    parser.add_argument('--config', default=DEFAULT_CONFIG,
                        help='demo config: tiny model, synthetic corpus '
                        '(default: %(default)s)')
    parser.add_argument('--work-dir', default='work_dirs/demo',
                        help='folder for logs, TensorBoard events and '
                        'checkpoints (default: %(default)s)')
    return parser.parse_args()


def chance_recall(k, num_videos):
    """Expected text-to-video R@K (percent) of a random ranking.

    Args:
        k (int): The K of R@K.
        num_videos (int): Gallery size; each caption has one video.
    """
    return 100.0 * min(k, num_videos) / num_videos


def report(metrics, num_videos, seconds):
    """Print the text-to-video table beside chance level.

    Args:
        metrics (dict): The test loop's metrics.
        num_videos (int): Gallery size.
        seconds (float): Wall time of training and testing.
    """
    print(f'\nZero-shot text-to-video retrieval on {num_videos} held-out '
          f'synthetic clips (trained and tested in {seconds / 60:.1f} min):')
    print(f'{"":>12}{"R@1":>8}{"R@5":>8}{"R@10":>8}')
    for name, key in (('re-ranked', 't2v'), ('VTC only', 't2v_vtc')):
        row = ''.join(f'{metrics[f"retrieval/{key}/R@{k}"]:8.1f}'
                      for k in (1, 5, 10))
        print(f'{name:>12}{row}')
    chance = ''.join(f'{chance_recall(k, num_videos):8.1f}'
                     for k in (1, 5, 10))
    print(f'{"chance":>12}{chance}')


def main():
    """Train, test and report."""
    args = parse_args()
    cfg = load_config(args.config)
    cfg.work_dir = args.work_dir
    cfg.launcher = 'none'
    if not osp.exists(cfg.model.data_preprocessor.tokenizer):
        raise FileNotFoundError(
            f'{cfg.model.data_preprocessor.tokenizer} is missing: generate '
            'the synthetic corpus first (make synthetic).')
    # Two dataloader workers decode video on a 2-core machine: one compute
    # thread for the model keeps the cores from being oversubscribed.
    torch.set_num_threads(1)
    start = time.time()
    runner = RUNNERS.build(cfg)
    runner.train()
    metrics = runner.test()
    report(metrics, len(runner.test_dataloader.dataset), time.time() - start)
    print(f'\nLogs and checkpoints: {args.work_dir}  (TensorBoard: '
          f'tensorboard --logdir {args.work_dir})')


if __name__ == '__main__':
    main()
