"""Our dense ViT-B/16 against timm's, forward + backward on the same input.

``SparseMAEViT`` with masking and sparsification off (``mask_ratio=0``,
``keep_rate=1.0``: CLIP's visual tower, the dense baseline's backbone) and
timm's ``vit_base_patch16_224`` (random init, ``pretrained=False``, no
classifier) get the same random frames. One round times a training-mode
forward + backward of each, the models alternating so that drifts of a
shared machine hit both alike; after ``--warmup`` untimed rounds, the median
of ``--reps`` rounds is printed, in wall time and in the process's CPU
time (on a CPU shared with other jobs, with ``--threads 1``, CPU time leaves
out the time the process waits for a core), with the per-round ratios
ours/timm (below 1: ours is faster), and the forward FLOPs of each
(``torch.utils.flop_counter.FlopCounterMode``), which show they do the same
work. The architectures differ only where CLIP's does: our blocks use
QuickGELU (CLIP's activation) where timm uses GELU, ours has CLIP's
``ln_pre``, and our patch embedding has no bias. A third model, timm's with
our QuickGELU (``act_layer``), separates the activation's cost from the
implementation's.

Needs timm (``pip install -r requirements/benchmark.txt``).

Example::

    python tools/analysis/benchmark_vit_vs_timm.py --batch-size 4 --reps 5
"""
import statistics
from functools import partial

import timm
import torch
from device_arguments import (BEST_DEVICE, add_device_arguments,
                              use_threads)
from model_timing import (add_timing_arguments, alternating_rounds,
                          forward_flops, timed_step)

from smaug.cli.command_help import command_parser
from smaug.models.backbones import QuickGELU, SparseMAEViT


def parse_args(argv=None):
    """Parse the command line."""
    parser = command_parser(__doc__)
    parser.add_argument('--batch-size', type=int, default=4,
                        help='frames per step (default: %(default)s)')
    parser.add_argument('--img-size', type=int, default=224,
                        help='frame side in pixels (default: %(default)s)')
    add_timing_arguments(parser, 5, 'timed rounds; the median is printed',
                         '--reps')
    add_device_arguments(parser, BEST_DEVICE)
    return parser.parse_args(argv)


def build_models(img_size, device):
    """Our dense backbone and timm's ViT-B/16, both random and training.

    Returns:
        dict[str, Callable]: name -> function of frames (N, 3, H, W) giving
        the output tokens.
    """
    torch.manual_seed(0)
    ours = SparseMAEViT(arch='base', img_size=img_size, mask_ratio=0.,
                        keep_rate=1.0).to(device).train()
    theirs, theirs_quick = (
        timm.create_model('vit_base_patch16_224', pretrained=False,
                          num_classes=0, img_size=img_size,
                          **extra).to(device).train()
        for extra in ({}, dict(act_layer=QuickGELU)))
    return {
        'ours (SparseMAEViT dense)': lambda x: ours(x[:, None]).tokens,
        'timm vit_base_patch16_224': theirs.forward_features,
        'timm, our QuickGELU': theirs_quick.forward_features,
    }


def forward_backward(model, frames):
    """Wall and process CPU seconds of one forward + backward."""
    return timed_step(
        lambda: model(frames).float().square().mean().backward(),
        frames.device)


def main(argv=None):
    """Measure and print."""
    args = parse_args(argv)
    use_threads(args)
    models = build_models(args.img_size, args.device)
    frames = torch.randn(args.batch_size, 3, args.img_size, args.img_size,
                         device=args.device)
    flops = {name: forward_flops(model, frames)
             for name, model in models.items()}
    times = alternating_rounds(
        {name: partial(forward_backward, model, frames)
         for name, model in models.items()}, args.warmup, args.reps)
    where = (torch.cuda.get_device_name() if args.device.startswith('cuda')
             else f'cpu, {torch.get_num_threads()} threads')
    print(f'device: {where}; torch {torch.__version__}; timm '
          f'{timm.__version__}; batch {args.batch_size} frames at '
          f'{args.img_size}; float32; median of {args.reps} alternating '
          'rounds')
    print(f'{"model":<28}{"fwd GFLOP":>10}{"wall s":>9}{"CPU s":>9}'
          '  wall s of every round')
    for name in models:
        wall, cpu = zip(*times[name])
        rounds = ' '.join(f'{value:.3f}' for value in wall)
        print(f'{name:<28}{flops[name] / 1e9:>10.1f}'
              f'{statistics.median(wall):>9.3f}{statistics.median(cpu):>9.3f}'
              f'  {rounds}')
    ours, *others = times
    for other in others:
        for clock, label in ((0, 'wall'), (1, 'process CPU')):
            ratios = [mine[clock] / theirs[clock]
                      for mine, theirs in zip(times[ours], times[other])]
            print(f'ours / {other}, {label} time: median of per-round '
                  f'ratios {statistics.median(ratios):.3f} (min '
                  f'{min(ratios):.3f}, max {max(ratios):.3f})')


if __name__ == '__main__':
    main()
