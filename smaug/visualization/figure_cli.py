"""Command-line plumbing of the figure tools in tools/analysis/.

``visualize_reconstruction.py`` and ``visualize_frame_selection.py`` share
their arguments, the model (built from a config, weights from a checkpoint
through mmengine's ``load_checkpoint``, which smaug makes weights-only), the
clip they draw, and PNG writing; this module holds those.

The clip is either a video file (``--video``), read with smaug's own test
transforms (decord, else PyAV; K frames from the middles of K equal
segments, the short side resized to the backbone's ``img_size`` and the
centre cropped), or item ``--index`` of the config's training set through
that set's own pipeline (its training augmentation, seeded by ``--seed``),
i.e. a clip as the model saw it in training. ``--caption`` gives or
replaces the caption.
"""
import os
import os.path as osp
import random

import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from PIL import Image

from smaug.engine.checkpoint_loading import TRUST_ENV_VAR
from smaug.registry import DATASETS, MODELS


def add_figure_arguments(parser):
    """Add the arguments both figure tools take.

    Args:
        parser (argparse.ArgumentParser): The tool's parser, changed in place.
    """
    parser.add_argument('config', help='model config (with its datasets for '
                        '--index)')
    parser.add_argument('checkpoint', help='checkpoint of that model')
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--video', help='video file to draw')
    source.add_argument('--index', type=int,
                        help="item of the config's training set to draw")
    parser.add_argument('--caption', help='caption (default: the training '
                        "item's)")
    parser.add_argument('--out', required=True, help='output PNG')
    parser.add_argument('--num-frames', type=int,
                        help="frames read from --video (default: the "
                        "config's num_frames, else 4)")
    parser.add_argument('--device', default='cpu', help='e.g. cuda:0')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the tube mask and of --index sampling')
    parser.add_argument(
        '--trust-checkpoint', action='store_true',
        help='allow checkpoints that need unrestricted unpickling (only for '
        'files from a source you trust)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries (key=value)')


def _load_config(args):
    """The config with ``--cfg-options`` applied, smaug as default scope.

    Args:
        args (argparse.Namespace): Parsed :func:`add_figure_arguments`.
    """
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'smaug'))
    return cfg


def _load_model(cfg, args):
    """Build ``cfg.model`` and load the checkpoint's weights into it.

    Args:
        cfg (Config): From :func:`_load_config`.
        args (argparse.Namespace): Parsed :func:`add_figure_arguments`.

    Returns:
        torch.nn.Module: The model on ``args.device``, in eval mode.
    """
    if args.trust_checkpoint:
        os.environ[TRUST_ENV_VAR] = '1'
    model = MODELS.build(cfg.model)
    load_checkpoint(model, args.checkpoint, map_location='cpu',
                    logger='current')
    return model.to(args.device).eval()


def _video_clip(path, num_frames, size):
    """uint8 (K, 3, H, W) test-time clip of a video file."""
    pipeline = Compose([
        dict(type='DecordInit'),
        dict(type='SampleClipFrames', num_frames=num_frames, test_mode=True),
        dict(type='DecordDecode'),
        dict(type='ClipResize', scale=min(size)),
        dict(type='ClipCenterCrop', crop_size=(size[1], size[0])),
        dict(type='PackVideoTextInputs'),
    ])
    return pipeline(dict(video_path=path))['inputs']


def _load_clip(cfg, model, args):
    """The clip to draw and its caption.

    Args:
        cfg (Config): From :func:`_load_config`.
        model (torch.nn.Module): The model (its backbone's ``img_size``
            sets the frame size of ``--video`` clips).
        args (argparse.Namespace): Parsed :func:`add_figure_arguments`.

    Returns:
        tuple[Tensor, str | None]: uint8 (K, 3, H, W) clip and the caption
        (``--caption``, else the training item's, else None).
    """
    if args.video is not None:
        num_frames = args.num_frames or cfg.get('num_frames') or 4
        clip = _video_clip(args.video, num_frames, model.backbone.img_size)
        return clip, args.caption
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
    cfg = _load_config(args)
    model = _load_model(cfg, args)
    clip, caption = _load_clip(cfg, model, args)
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
