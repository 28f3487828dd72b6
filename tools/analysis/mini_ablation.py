"""Table 7 in miniature: dense baseline vs. SMAUG on the synthetic corpus.

For each seed, pre-trains every config for the same number of epochs (same
data, batch and so steps), then tests zero-shot text-to-video retrieval on
the held-out clips. The configs of one seed run one after the other in one
process (in turn: A B, B A, A B, ...), so that all see the same machine.
Printed per config, over the seeds:

- ``train s``: wall time of the training loop, data loading included (the
  configs' dataloader workers, as a user runs them), mean +- standard
  deviation over seeds; ``time x``: the baseline's time over the config's,
  per seed (the runs of one seed are neighbours in time), mean +- SD;
  ``CPU x``: the same for the CPU time of the training process and its
  dataloader workers, which other jobs on a shared machine change less;
- ``GFLOP/step`` and ``FLOP x``: one training forward + backward on a
  batch of the training data, counted after training (matmuls, attention,
  convolutions; not the optimizer);
- ``R@K``: re-ranked text-to-video recall, mean over seeds +- SD over
  seeds, and in brackets a 95% interval over the test set: a bootstrap that
  resamples test videos, each with all its captions (captions of one video
  are paraphrases, so they are not independent queries), see
  ``recall_intervals.py``; then the baseline's R@K minus the config's, with
  the SD of the per-seed differences and the paired bootstrap interval of
  the mean difference.

The seed SD tells how much training randomness moves a figure; the bracket
tells how much the choice of test clips could. ``results.json`` in the work
dir keeps every run's figures::

    python tools/analysis/mini_ablation.py --epochs 10
    python tools/analysis/mini_ablation.py --epochs 1 --seeds 0 1 2 \\
        --configs configs/demo/smaug_tiny_synthetic.py \\
        configs/demo/dense_tiny_synthetic.py

The defaults are the tiny dense baseline and the tiny SMAUG of
configs/demo/ (``make synthetic`` first), both from random weights; the
second example makes SMAUG the baseline of the ratios. The
comparison under the paper's protocol (a shared pre-trained start,
fine-tuning, equal compute) is ``table7_study.py``. Wall times depend on
the machine and its load; compare ratios.
"""
import json
import os.path as osp
import time

import torch

from compute_ledger import process_tree_cpu
from flop_counting import training_batch_flops
from query_ranks import QueryRankMetric  # noqa: F401 (registers it)
from recall_intervals import recall, recall_cell, spread
from smaug.cli.command_help import command_parser
from smaug.cli.command_line import add_cfg_options_argument
from smaug.config import load_config
from smaug.registry import RUNNERS

DEFAULT_CONFIGS = ['configs/demo/dense_tiny_synthetic.py',
                   'configs/demo/smaug_tiny_synthetic.py']
TOPK = (1, 5, 10)


def parse_args():
    """Parse the command line."""
    parser = command_parser(__doc__)
    parser.add_argument('--configs', nargs='+', default=DEFAULT_CONFIGS,
                        help='configs to compare; the first is the baseline '
                        f'(default: {" ".join(DEFAULT_CONFIGS)})')
    parser.add_argument('--epochs', type=int, default=10,
                        help='pre-training epochs of every config (default: '
                        '%(default)s)')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0],
                        help='random seeds (model, data order, masks); every '
                        'config runs once per seed (default: %(default)s)')
    parser.add_argument('--threads', type=int, default=1,
                        help='intra-op threads of the training process '
                        '(default: %(default)s: on a machine shared with '
                        'other jobs, threads that wait for each other make '
                        'step time follow the load rather than the FLOPs; '
                        'the dataloader workers run beside it)')
    parser.add_argument('--work-dir', default='work_dirs/mini_ablation',
                        help='parent folder of the runs, one sub-folder per '
                        'seed and config (default: %(default)s)')
    add_cfg_options_argument(parser, 'overrides for every config, key=value')
    return parser.parse_args()


def run(config, epochs, seed, work_dir, cfg_options):
    """Train and test one config.

    Args:
        config (str): Config path.
        epochs (int): Pre-training epochs.
        seed (int): Random seed.
        work_dir (str): The run's folder.
        cfg_options (dict | None): Config overrides (entries or config
            variables such as ``data_root``).

    Returns:
        dict: ``seconds`` (training wall time), ``cpu_seconds`` (its CPU
        time, dataloader workers included), ``flops`` (per step),
        ``steps``, the test metrics, ``ranks`` and ``query_video`` (per
        text query).
    """
    cfg = load_config(config, cfg_options)
    cfg.work_dir = work_dir
    cfg.launcher = 'none'
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.train_cfg.max_epochs = epochs
    # No validation inside the timed training (mmengine validates after
    # the last epoch whatever val_interval says); test once, after it.
    cfg.train_cfg.val_begin = epochs + 1
    cfg.param_scheduler[-1]['end'] = epochs
    cfg.test_evaluator = dict(cfg.test_evaluator, type='QueryRankMetric')
    runner = RUNNERS.build(cfg)
    cpu_before = process_tree_cpu()
    start = time.perf_counter()
    runner.train()
    seconds = time.perf_counter() - start
    cpu = process_tree_cpu() - cpu_before
    runner.model.train()
    flops = training_batch_flops(runner.model,
                                 next(iter(runner.train_dataloader)))
    metrics = runner.test()
    metric = runner.test_evaluator.metrics[0]
    return dict(seconds=seconds, cpu_seconds=cpu, flops=flops,
                steps=runner.iter,
                ranks=metric.ranks.tolist(),
                query_video=metric.query_video.tolist(), **metrics)


def print_table(results, seeds):
    """Print every run, then the summary over seeds.

    Args:
        results (dict[str, list[dict]]): Config name to its runs, in seed
            order; the first config is the baseline.
        seeds (list[int]): The seeds.
    """
    print(f'\n{"config":<24}{"seed":>5}{"steps":>7}{"train s":>9}'
          f'{"CPU s":>9}' + ''.join(f'{f"R@{k}":>7}' for k in TOPK))
    for name, runs in results.items():
        for seed, result in zip(seeds, runs):
            print(f'{name:<24}{seed:>5}{result["steps"]:>7}'
                  f'{result["seconds"]:>9.1f}{result["cpu_seconds"]:>9.1f}'
                  + ''.join(f'{recall(result["ranks"], k):>7.1f}'
                            for k in TOPK))
    base_name, base = next(iter(results.items()))
    print(f'\nover {len(seeds)} seeds, mean +- SD\n{"config":<24}'
          f'{"steps":>6}{"train s":>17}{"time x":>14}{"CPU x":>14}'
          f'{"GFLOP/step":>12}{"FLOP x":>8}')
    for name, runs in results.items():
        ratios = [spread([b[key] / r[key] for b, r in zip(base, runs)], 2)
                  for key in ('seconds', 'cpu_seconds')]
        print(f'{name:<24}{runs[0]["steps"]:>6}'
              f'{spread([r["seconds"] for r in runs], 1):>17}'
              f'{ratios[0]:>14}{ratios[1]:>14}'
              f'{runs[0]["flops"] / 1e9:>12.2f}'
              f'{base[0]["flops"] / runs[0]["flops"]:>8.2f}')
    num_queries = len(base[0]['ranks'])
    num_videos = len(set(base[0]['query_video']))
    print(f'\nzero-shot text-to-video R@K (%, re-ranked) over {num_queries} '
          f'captions of {num_videos} test videos: mean +- SD over seeds '
          '[95% bootstrap interval over test videos]')
    print(f'{"config":<24}' + ''.join(f'{f"R@{k}":<29}' for k in TOPK))
    mean = [1 / len(seeds)] * len(seeds)
    for name, runs in results.items():
        print(f'{name:<24}' + ''.join(f'{recall_cell(runs, mean, k):<28} '
                                      for k in TOPK))
    for name, runs in list(results.items())[1:]:
        label = f'{base_name.split("_")[0]} - {name.split("_")[0]}'
        weights = mean + [-w for w in mean]
        print(f'{label:<24}' + ''.join(
            f'{recall_cell(base + runs, weights, k):<28} ' for k in TOPK))
    print('time x, CPU x, FLOP x: the baseline\'s over each config\'s '
          '(higher is cheaper).')


def main():
    """Run every config for every seed and print the comparison."""
    args = parse_args()
    torch.set_num_threads(args.threads)
    names = [osp.splitext(osp.basename(c))[0] for c in args.configs]
    results = {name: [] for name in names}
    for turn, seed in enumerate(args.seeds):
        order = list(zip(names, args.configs))
        for name, config in order[::-1] if turn % 2 else order:
            results[name].append(run(
                config, args.epochs, seed,
                osp.join(args.work_dir, f'seed{seed}', name),
                args.cfg_options))
            # After every run, so that an interrupted comparison keeps
            # what it measured.
            with open(osp.join(args.work_dir, 'results.json'), 'w') as file:
                json.dump(dict(seeds=args.seeds, epochs=args.epochs,
                               threads=args.threads, results=results), file)
    print_table(results, args.seeds)


if __name__ == '__main__':
    main()
