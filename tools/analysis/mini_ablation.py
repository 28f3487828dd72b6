"""Table 7 in miniature: dense baseline vs. SMAUG on the synthetic corpus.

Pre-trains each config for the same number of epochs (same data, batch and so
steps), then tests zero-shot text-to-video retrieval on the held-out clips,
and prints side by side: training wall time, FLOPs per training step
(forward + backward, counted on the first batch) and R@1/R@5::

    python tools/analysis/mini_ablation.py --epochs 10

The defaults are the tiny dense baseline and the tiny SMAUG of
configs/demo/ (``make synthetic`` first). Wall times are measured in one run
so that both see the same machine; compare their ratio, not the seconds.
"""
import os.path as osp
import time

from mmengine.config import Config

from smaug.engine.command_help import command_parser
from smaug.engine.flop_counting import count_flops
from smaug.registry import RUNNERS

DEFAULT_CONFIGS = ['configs/demo/dense_tiny_synthetic.py',
                   'configs/demo/smaug_tiny_synthetic.py']


def parse_args():
    """Parse the command line."""
    parser = command_parser(__doc__)
    parser.add_argument('--configs', nargs='+', default=DEFAULT_CONFIGS,
                        help='configs to compare; the first is the baseline '
                        f'(default: {" ".join(DEFAULT_CONFIGS)})')
    parser.add_argument('--epochs', type=int, default=10,
                        help='pre-training epochs of every config (default: '
                        '%(default)s)')
    parser.add_argument('--work-dir', default='work_dirs/mini_ablation',
                        help='parent folder of the runs, one sub-folder per '
                        'config (default: %(default)s)')
    return parser.parse_args()


def step_flops(runner):
    """FLOPs of one training forward + backward on the first batch.

    Args:
        runner (Runner): A built runner (its model and train dataloader).
    """
    model = runner.model
    batch = next(iter(runner.train_dataloader))
    model.train()

    def forward_backward():
        data = model.data_preprocessor(batch, True)
        losses = model(**data, mode='loss')
        loss, _ = model.parse_losses(losses)
        loss.backward()

    flops = count_flops(forward_backward)
    model.zero_grad(set_to_none=True)
    return flops


def run(config, epochs, work_dir):
    """Train and test one config.

    Args:
        config (str): Config path.
        epochs (int): Pre-training epochs.
        work_dir (str): The run's folder.

    Returns:
        dict: ``seconds`` (training), ``flops`` (per step), ``steps`` and
        the test metrics.
    """
    cfg = Config.fromfile(config)
    cfg.work_dir = work_dir
    cfg.launcher = 'none'
    cfg.train_cfg.max_epochs = epochs
    cfg.train_cfg.val_interval = epochs + 1  # test once, after training
    cfg.param_scheduler[-1]['end'] = epochs
    runner = RUNNERS.build(cfg)
    flops = step_flops(runner)
    start = time.perf_counter()
    runner.train()
    seconds = time.perf_counter() - start
    metrics = runner.test()
    return dict(seconds=seconds, flops=flops, steps=runner.iter, **metrics)


def main():
    """Run every config and print the comparison."""
    args = parse_args()
    results = {}
    for config in args.configs:
        name = osp.splitext(osp.basename(config))[0]
        results[name] = run(config, args.epochs,
                            osp.join(args.work_dir, name))
    base = next(iter(results.values()))
    print(f'\n{"config":<24}{"steps":>6}{"train s":>9}{"time x":>8}'
          f'{"GFLOP/step":>12}{"FLOP x":>8}{"R@1":>7}{"R@5":>7}'
          f'{"R@1 VTC":>9}')
    for name, result in results.items():
        print(f'{name:<24}{result["steps"]:>6}{result["seconds"]:>9.1f}'
              f'{base["seconds"] / result["seconds"]:>8.2f}'
              f'{result["flops"] / 1e9:>12.2f}'
              f'{base["flops"] / result["flops"]:>8.2f}'
              f'{result["retrieval/t2v/R@1"]:>7.1f}'
              f'{result["retrieval/t2v/R@5"]:>7.1f}'
              f'{result["retrieval/t2v_vtc/R@1"]:>9.1f}')
    print('time x / FLOP x: the baseline\'s over each config\'s (higher is '
          'cheaper); R@K: zero-shot text-to-video on the held-out clips.')


if __name__ == '__main__':
    main()
