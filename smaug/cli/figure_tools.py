"""Command-line plumbing of the figure tools in tools/analysis/: their
arguments, the model, the clip they draw and PNG writing.

The clip is a video file (``--video``, read by the config's test
pipeline) or item ``--index`` of the config's training set, through its
own augmentation (seeded by ``--seed``).
"""
import os
import os.path as osp
import random

import numpy as np
import torch
from PIL import Image

from smaug.apis import inference_pipeline_cfg, read_clip
from smaug.registry import DATASETS
from .command_line import add_seed_argument
from .model_arguments import add_model_arguments, init_model_from_args


def add_figure_arguments(parser):
    """Add the arguments both figure tools take."""
    add_model_arguments(parser)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--video', help='video file to draw')
    source.add_argument('--index', type=int,
                        help="item of the config's training set to draw")
    parser.add_argument('--caption', help='caption (default: the training '
                        "item's)")
    parser.add_argument('--out', required=True, help='output PNG')
    parser.add_argument('--num-frames', type=int,
                        help="frames read from --video (default: the "
                        "config's test pipeline's)")
    add_seed_argument(parser, 'the tube mask and of --index sampling')


def _load_clip(model, args):
    """The uint8 (K, 3, H, W) clip to draw and its caption (``--caption``,
    else the training item's, else None).
    """
    cfg = model.cfg
    if args.video is not None:
        pipeline = inference_pipeline_cfg(
            cfg, args.num_frames, default_size=model.backbone.img_size[0])
        return read_clip(args.video, pipeline), args.caption
    if 'train_dataloader' not in cfg:
        raise ValueError(f'{args.config}: --index needs a train_dataloader '
                         'with a dataset in the config.')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    if not 0 <= args.index < len(dataset):
        raise IndexError(f'{args.config}: --index {args.index} is outside '
                         f'the training set (0..{len(dataset) - 1}).')
    item = dataset[args.index]
    return item['inputs'], args.caption or item['data_samples'].get('text')


def load_figure_inputs(args):
    """The model (eval mode, on ``--device``), the clip and its caption,
    after seeding Python's, numpy's and torch's generators with ``--seed``.
    """
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    model = init_model_from_args(args)
    clip, caption = _load_clip(model, args)
    return model, clip, caption


def save_png(image, path):
    """Write a uint8 (H, W, 3) RGB image as PNG, creating its folder."""
    if osp.dirname(path):
        os.makedirs(osp.dirname(path), exist_ok=True)
    Image.fromarray(image).save(path, format='PNG')
