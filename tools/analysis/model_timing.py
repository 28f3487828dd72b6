"""Timing models alike on one machine (shared by benchmark_backbone.py and
benchmark_vit_vs_timm.py): rounds that step every model once in turn, so
that the load of a shared machine hits them all alike, the first rounds
untimed; one step timed between device synchronisations; a model's
forward FLOPs. Also the options that set the untimed and the timed rounds
(of those two and benchmark_pretrain.py).

A module of those commands, not a command itself.
"""
import sys
import time

import torch

from flop_counting import count_flops


def add_timing_arguments(parser, rounds, rounds_help,
                         rounds_option='--steps'):
    """Add ``--warmup`` (untimed rounds, 1 by default) and the option of
    the timed rounds.

    Args:
        parser (argparse.ArgumentParser): The benchmark's parser.
        rounds (int): Default number of timed rounds.
        rounds_help (str): Help of the timed rounds' option, without the
            default.
        rounds_option (str): Name of the timed rounds' option.
    """
    parser.add_argument('--warmup', type=int, default=1,
                        help='untimed rounds first (default: %(default)s)')
    parser.add_argument(rounds_option, type=int, default=rounds,
                        help=f'{rounds_help} (default: %(default)s)')


def alternating_rounds(measures, warmup, rounds):
    """Run every measure once per round, in turn.

    Args:
        measures (dict[str, Callable[[], object]]): Name -> function that
            runs one step and returns its measurement.
        warmup (int): Untimed rounds first (their measurements are dropped).
        rounds (int): Rounds whose measurements are kept.

    Returns:
        dict[str, list]: Name -> the kept measurements, in round order.
    """
    kept = {name: [] for name in measures}
    for round_index in range(warmup + rounds):
        for name, measure in measures.items():
            measurement = measure()
            if round_index >= warmup:
                kept[name].append(measurement)
    return kept


def timed_step(step, device):
    """Wall and process CPU seconds of ``step()``, the device's queued work
    finished before and after.

    Args:
        step (Callable[[], object]): One step.
        device (torch.device): Where the step runs.

    Returns:
        tuple[float, float]: Wall seconds and process CPU seconds.
    """
    if device.type == 'cuda':
        torch.cuda.synchronize()
    wall, cpu = time.perf_counter(), time.process_time()
    step()
    if device.type == 'cuda':
        torch.cuda.synchronize()
    return time.perf_counter() - wall, time.process_time() - cpu


def forward_flops(model, inputs):
    """Forward FLOPs of one call of ``model(inputs)``, without gradients.

    Args:
        model (Callable): The model.
        inputs (torch.Tensor): Its input.
    """
    with torch.no_grad():
        return count_flops(lambda: model(inputs))


if __name__ == '__main__':
    sys.exit('model_timing.py is a module of benchmark_backbone.py and '
             'benchmark_vit_vs_timm.py, not a command: run python '
             'tools/analysis/benchmark_backbone.py --help or python '
             'tools/analysis/benchmark_vit_vs_timm.py --help')
