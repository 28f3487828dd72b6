"""Convert OpenAI CLIP / open_clip visual weights for SparseMAEViT.

Reads OpenAI's released CLIP file (TorchScript, e.g. ``ViT-B-16.pt``) or a
state dict in OpenAI's / open_clip's naming (``visual.`` prefix or not,
``module.`` and ``state_dict`` wrappers), maps the visual tower's keys to the
backbone's (``smaug/models/backbones/clip_weights.py``), checks them against
a SparseMAEViT of ``--arch`` built at the checkpoint's resolution, reports
ignored, unknown and missing keys, and writes ``{'state_dict': ...,
'meta': ...}``. Unknown or missing keys are an error unless
``--allow-partial``. Tensors keep their dtype (OpenAI's are fp16; loading
casts them to the model's). A config then names the file::

    backbone=dict(type='SparseMAEViT', init_cfg=dict(
        type='Pretrained', checkpoint='checkpoints/clip_vit_b16_smaug.pth'))

(The backbone also reads the original CLIP file directly through the same
conversion; this tool makes a small, checked, visual-only copy.)

Examples::

    python tools/model_converters/clip_to_smaug.py ViT-B-16.pt \\
        checkpoints/clip_vit_b16_smaug.pth
    python tools/model_converters/clip_to_smaug.py open_clip_b16.pt out.pth \\
        --arch '{"embed_dims": 768, "num_layers": 12, "num_heads": 12,
                 "feedforward_channels": 3072}'
"""
import json
import math
import os
import os.path as osp
import sys

import torch

from smaug.checkpoints import use_weights_only_loader
from smaug.cli import add_trust_argument, command_parser
from smaug.models.backbones import (SparseMAEViT,
                                    convert_clip_visual_state_dict,
                                    load_clip_visual_weights, read_checkpoint,
                                    unwrap_state_dict)


def parse_args(argv=None):
    """Parse the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('src', help='CLIP file (TorchScript .pt or state '
                        'dict)')
    parser.add_argument('dst', help='output checkpoint (.pth)')
    parser.add_argument(
        '--arch', default='base',
        help="SparseMAEViT arch to check against: 'base' (ViT-B, default) "
        'or a JSON dict with embed_dims, num_layers, num_heads, '
        'feedforward_channels')
    parser.add_argument(
        '--allow-partial', action='store_true',
        help='write the output even if keys are unknown or missing')
    add_trust_argument(parser)
    return parser.parse_args(argv)


def target_backbone(arch, converted):
    """A SparseMAEViT of ``arch`` laid out for the checkpoint's grid.

    Args:
        arch (str): ``--arch`` as given.
        converted (dict): Converted state dict (for patch and grid size).
    """
    arch = json.loads(arch) if arch.lstrip().startswith('{') else arch
    for key in ('conv1.weight', 'positional_embedding'):
        if key not in converted:
            sys.exit(f'clip_to_smaug.py: the checkpoint has no visual {key}; '
                     'is it a CLIP model?')
    patch_size = converted['conv1.weight'].shape[-1]
    grid = math.isqrt(converted['positional_embedding'].shape[0] - 1)
    return SparseMAEViT(arch=arch, img_size=grid * patch_size,
                        patch_size=patch_size, mask_ratio=0.,
                        sparse_layers=())


def main(argv=None):
    """Read, convert, check, report and save.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` if None.

    Returns:
        int: 0 on success (errors exit with a message).
    """
    args = parse_args(argv)
    use_weights_only_loader(trust=args.trust_checkpoint)
    checkpoint = read_checkpoint(args.src)
    converted, _ = convert_clip_visual_state_dict(
        unwrap_state_dict(checkpoint))
    backbone = target_backbone(args.arch, converted)
    try:
        report = load_clip_visual_weights(backbone, checkpoint,
                                          allow_partial=args.allow_partial)
    except RuntimeError as error:
        sys.exit(f'clip_to_smaug.py: {error}')
    report.source = args.src
    print(report.summary())
    if osp.dirname(args.dst):
        os.makedirs(osp.dirname(args.dst), exist_ok=True)
    torch.save(
        dict(state_dict=converted,
             meta=dict(source=args.src, img_size=backbone.img_size[0],
                       patch_size=backbone.patch_size,
                       arch=backbone.arch_settings)), args.dst)
    print(f'saved {args.dst}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
