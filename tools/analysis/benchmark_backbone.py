"""Token counts, FLOPs and training-step time of SparseMAEViT settings.

Compares three settings of the same backbone (same random weights):
no masking and no sparsification (a plain CLIP ViT), tube masking at 0.5,
and masking at 0.5 plus sparsification (keep rate 0.8 at layers 4, 7, 10).
It prints, per setting, the non-[CLS] tokens entering each block's attention
(and its MLP where sparsification shrinks the set in between), the forward
FLOPs of the backbone (``torch.utils.flop_counter.FlopCounterMode``; the CPU
attention kernel is counted with PyTorch's SDPA formula, which it lacks) and
the median wall time of a forward+backward step, with ratios to the first
setting. Settings alternate step by step so that drifts of the machine hit
them alike; the first ``--warmup`` rounds are not timed. Input: one clip of
``--frames`` frames (each frame is a ViT row), random pixels, training mode
(masking on). Times depend on the machine; report the device with them. On
a CPU shared with other jobs, ``--threads 1`` gives far steadier ratios than
several threads competing for the same cores.

Examples::

    python tools/analysis/benchmark_backbone.py            # ViT-B/16, 224
    python tools/analysis/benchmark_backbone.py --steps 10 --frames 4
"""
import json
import statistics
from functools import partial

import torch
from device_arguments import add_device_arguments, use_threads
from model_timing import (add_timing_arguments, alternating_rounds,
                          forward_flops, timed_step)

from smaug.cli.command_help import command_parser
from smaug.registry import MODELS

SETTINGS = (('mask 0, gamma 1', 0., 1.), ('mask 0.5, gamma 1', 0.5, 1.),
            ('mask 0.5, gamma 0.8', 0.5, 0.8))


def parse_args():
    """Parse the command line."""
    parser = command_parser(__doc__)
    parser.add_argument(
        '--arch', default='base',
        help="'base' (ViT-B, default) or a JSON dict with embed_dims, "
        'num_layers, num_heads, feedforward_channels')
    parser.add_argument('--img-size', type=int, default=224,
                        help='frame side in pixels (default: %(default)s)')
    parser.add_argument('--frames', type=int, default=2,
                        help='frames per step, each a ViT row (default: '
                        '%(default)s)')
    add_timing_arguments(parser, 5, 'timed steps per setting')
    parser.add_argument('--sparse-layers', type=int, nargs='+',
                        default=[4, 7, 10],
                        help='1-based blocks that sparsify in the third '
                        'setting (default: 4 7 10)')
    parser.add_argument('--with-cp', action='store_true',
                        help='activation checkpointing in the backbone')
    add_device_arguments(parser)
    return parser.parse_args()


def build(args, mask_ratio, keep_rate):
    """The backbone of one setting, seeded so all settings share weights."""
    torch.manual_seed(0)
    arch = json.loads(args.arch) if args.arch.startswith('{') else args.arch
    return MODELS.build(
        dict(type='SparseMAEViT', arch=arch, img_size=args.img_size,
             mask_ratio=mask_ratio, keep_rate=keep_rate,
             sparse_layers=tuple(args.sparse_layers),
             with_cp=args.with_cp)).to(args.device).train()


def token_counts(backbone, frames):
    """Non-[CLS] tokens entering each block's attention and MLP.

    Returns:
        list[tuple[int, int]]: Per block (attention tokens, MLP tokens).
    """
    seen = {}
    handles = []
    for index, layer in enumerate(backbone.layers):
        for part in ('attn', 'mlp'):
            handles.append(getattr(layer, part).register_forward_pre_hook(
                lambda module, inputs, key=(index, part): seen.__setitem__(
                    key, inputs[0].shape[1] - 1)))
    with torch.no_grad():
        backbone(frames)
    for handle in handles:
        handle.remove()
    return [(seen[(i, 'attn')], seen[(i, 'mlp')])
            for i in range(len(backbone.layers))]


def train_step(backbone, frames):
    """Wall seconds of one forward+backward step."""
    seconds, _ = timed_step(
        lambda: backbone(frames).tokens.square().mean().backward(),
        frames.device)
    backbone.zero_grad(set_to_none=True)
    return seconds


def main():
    """Measure and print the comparison."""
    args = parse_args()
    use_threads(args)
    frames = torch.randn(1, args.frames, 3, args.img_size, args.img_size,
                         device=args.device)
    backbones = [build(args, mask, keep) for _, mask, keep in SETTINGS]
    counts = [token_counts(b, frames) for b in backbones]
    flops = [forward_flops(b, frames) for b in backbones]
    times = alternating_rounds(
        {index: partial(train_step, backbone, frames)
         for index, backbone in enumerate(backbones)}, args.warmup,
        args.steps)
    medians = [statistics.median(t) for t in times.values()]

    print(f'SparseMAEViT arch={args.arch} img_size={args.img_size} '
          f'frames={args.frames} sparse_layers={tuple(args.sparse_layers)} '
          f'device={args.device} threads={torch.get_num_threads()} '
          f'steps={args.steps} (median)')
    print('non-[CLS] tokens entering attention per block '
          '(-> MLP where sparsified):')
    for (name, _, _), per_block in zip(SETTINGS, counts):
        cells = [f'{a}' if a == m else f'{a}->{m}' for a, m in per_block]
        print(f'  {name:<20} ' + ' '.join(cells))
    print(f'{"setting":<22}{"fwd GFLOPs":>11}{"ratio":>8}'
          f'{"fwd+bwd s":>11}{"ratio":>8}')
    for (name, _, _), flop, median in zip(SETTINGS, flops, medians):
        print(f'{name:<22}{flop / 1e9:>11.2f}{flop / flops[0]:>8.3f}'
              f'{median:>11.3f}{median / medians[0]:>8.3f}')


if __name__ == '__main__':
    main()
