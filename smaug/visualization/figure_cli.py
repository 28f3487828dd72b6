"""Command-line plumbing of the figure tools in tools/analysis/.

``visualize_reconstruction.py`` and ``visualize_frame_selection.py`` share
their arguments, the model (:func:`smaug.apis.init_model`: built from a
config, weights read weights-only from a checkpoint unless
``--trust-checkpoint``), the clip they draw, and PNG writing; this module
holds those.

The clip is either a video file (``--video``), read by the config's test
pipeline (:func:`smaug.apis.read_clip`: the frames the model sees at test
time; ``--num-frames`` replaces the pipeline's frame count), or item
``--index`` of the config's training set through that set's own pipeline
(its training augmentation, seeded by ``--seed``), i.e. a clip as the model
saw it in training. ``--caption`` gives or replaces the caption.
"""
import os
import os.path as osp
import random

import numpy as np
import torch
from PIL import Image

from smaug.apis import (add_model_arguments, inference_pipeline_cfg,
                        init_model_from_args, read_clip)
from smaug.registry import DATASETS


def add_figure_arguments(parser):
    """Add the arguments both figure tools take.

    Args:
        parser (argparse.ArgumentParser): The tool's parser, changed in place.
    """
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
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the tube mask and of --index sampling')


def _load_clip(model, args):
    """The clip to draw and its caption.

    Args:
        model (torch.nn.Module): The model, its config as ``model.cfg``
            (whose test pipeline reads ``--video``; a config without one is
            read with a ``VideoTestPipeline`` at the backbone's
            ``img_size``).
        args (argparse.Namespace): Parsed :func:`add_figure_arguments`.

    Returns:
        tuple[Tensor, str | None]: uint8 (K, 3, H, W) clip and the caption
        (``--caption``, else the training item's, else None).
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
    """Everything a figure tool draws from, reproducibly.

    Python's, numpy's and torch's generators are seeded with ``--seed``
    first, so the training item's augmentation and the tube mask are the
    same at every run.

    Args:
        args (argparse.Namespace): Parsed :func:`add_figure_arguments`.

    Returns:
        tuple: the model (eval mode, on ``--device``), the uint8 clip
        (K, 3, H, W) and its caption (str or None).
    """
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    model = init_model_from_args(args)
    clip, caption = _load_clip(model, args)
    return model, clip, caption


def save_png(image, path):
    """Write a uint8 (H, W, 3) RGB image as PNG, creating its folder.

    Args:
        image (np.ndarray): The figure.
        path (str): Output file.
    """
    if osp.dirname(path):
        os.makedirs(osp.dirname(path), exist_ok=True)
    Image.fromarray(image).save(path, format='PNG')
