"""Draw which patches SparseMAEViT masks, keeps and fuses (EViT-style figure).

For one clip and a backbone (from a config, optionally with a checkpoint),
the figure has a row per frame: the input frame with the tube-masked patches
grey, then one panel per sparsification layer showing, after that layer, the
masked patches (grey), the patches fused into the extra token so far (faded
to white) and the kept patches (as in the frame).

The clip is a video file read by the config's test pipeline
(``--video``, :func:`smaug.apis.read_clip`; a config without datasets is
read with a ``VideoTestPipeline`` at the backbone's ``img_size``: K frames
from the middles of K equal segments, resized) or, without
``--video``, a synthetic clip of moving colour blobs. Frames are normalised
with CLIP's mean and std. The backbone runs in training mode, so tube
masking applies (set ``--mask-ratio 0`` to see sparsification alone),
without gradients; the seed fixes the mask.

The config names the backbone as ``model.backbone`` (an algorithm config),
``model`` (a backbone config) or ``backbone``. A checkpoint is read
weights-only (unless ``--trust-checkpoint``) and loaded through the CLIP
conversion, which also accepts the backbone's own keys: for a SMAUG
checkpoint pass ``--prefix backbone.``.

Example::

    python tools/analysis/visualize_sparsification.py \\
        configs/demo/smaug_tiny_synthetic.py \\
        --checkpoint work_dirs/demo/epoch_40.pth --prefix backbone. \\
        --video data/synthetic/videos/vid_00000.mp4 \\
        --out sparsification.png
"""
import os
import os.path as osp
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

import smaug.models  # noqa: E402,F401
from smaug.apis import inference_pipeline_cfg, read_clip  # noqa: E402
from smaug.apis.video_reading import DEFAULT_NUM_FRAMES  # noqa: E402
from smaug.checkpoints import load_checkpoint_file  # noqa: E402
from smaug.cli.command_help import command_parser  # noqa: E402
from smaug.cli.command_line import (  # noqa: E402
    add_cfg_options_argument, add_trust_argument)
from smaug.config import load_config  # noqa: E402
from smaug.models.backbones import load_clip_visual_weights  # noqa: E402
from smaug.registry import MODELS  # noqa: E402

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
KEPT, FUSED, MASKED = 0, 1, 2


def parse_args(argv=None):
    """Parse the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('config', help='config naming the backbone')
    parser.add_argument('--out', required=True, help='output PNG')
    parser.add_argument('--checkpoint', help='weights for the backbone')
    add_trust_argument(parser)
    parser.add_argument('--prefix', help="checkpoint key prefix, e.g. "
                        "'backbone.'")
    parser.add_argument('--video', help='video file (default: synthetic)')
    parser.add_argument('--num-frames', type=int,
                        help="frames of the clip, K (default: the config's "
                        f'test pipeline, else {DEFAULT_NUM_FRAMES})')
    parser.add_argument('--mask-ratio', type=float,
                        help='override the backbone mask_ratio')
    parser.add_argument('--keep-rate', type=float,
                        help='override the backbone keep_rate')
    parser.add_argument(
        '--seed', type=int, default=0,
        help='seed of the tube mask and the synthetic clip (default: 0)')
    add_cfg_options_argument(parser)
    return parser.parse_args(argv)


def backbone_config(cfg):
    """The backbone's config dict inside a loaded config.

    Args:
        cfg (Config): Loaded config.
    """
    model = cfg.get('model', {})
    for candidate in (model.get('backbone'), model, cfg.get('backbone')):
        if candidate and candidate.get('type'):
            return dict(candidate)
    sys.exit(f'visualize_sparsification.py: {cfg.filename} defines no '
             'model.backbone, model or backbone with a type.')


def synthetic_clip(num_frames, size, seed):
    """A clip of two colour blobs moving over a gradient, as uint8.

    Args:
        num_frames (int): K.
        size (int): Frame side.
        seed (int): Seed of the blob colours and paths.

    Returns:
        Tensor: (K, 3, size, size) uint8.
    """
    generator = torch.Generator().manual_seed(seed)
    coords = torch.linspace(0, 1, size)
    rows, cols = torch.meshgrid(coords, coords, indexing='ij')
    background = torch.stack([0.2 + 0.3 * cols, 0.2 + 0.3 * rows,
                              0.4 * torch.ones_like(rows)])
    colours = torch.rand(2, 3, generator=generator)
    starts = torch.rand(2, 2, generator=generator) * 0.6 + 0.2
    moves = (torch.rand(2, 2, generator=generator) - 0.5) * 0.3
    frames = []
    for index in range(num_frames):
        frame = background.clone()
        for colour, start, move in zip(colours, starts, moves):
            centre = start + move * index / max(num_frames - 1, 1)
            blob = ((rows - centre[0])**2 + (cols - centre[1])**2) < 0.02
            frame[:, blob] = colour[:, None]
        frames.append(frame)
    return (torch.stack(frames) * 255).round().to(torch.uint8)


def normalise(frames):
    """uint8 (K, 3, H, W) -> CLIP-normalised float (1, K, 3, H, W)."""
    mean = torch.tensor(CLIP_MEAN).view(3, 1, 1)
    std = torch.tensor(CLIP_STD).view(3, 1, 1)
    return ((frames.float() / 255 - mean) / std)[None]


def patch_states(output, num_patches):
    """Per frame and sparsification layer, what happened to every patch.

    Args:
        output (SparseViTOutput): Backbone output for one clip (B = 1).
        num_patches (int): N.

    Returns:
        np.ndarray: (K, L, N) with KEPT (0), FUSED (1, visible but folded
        into a fused token by that layer) or MASKED (2).
    """
    num_frames = output.tokens.shape[1]
    masked = output.mask[0]
    states = []
    for positions in output.layer_positions:
        kept = torch.zeros(num_frames, num_patches + 1, dtype=torch.bool)
        slots = positions[0].masked_fill(positions[0] < 0, num_patches)
        kept.scatter_(1, slots, True)
        state = torch.full((num_frames, num_patches), FUSED)
        state[kept[:, :num_patches]] = KEPT
        state[:, masked] = MASKED
        states.append(state)
    if not states:
        return np.zeros((num_frames, 0, num_patches), dtype=np.int64)
    return torch.stack(states, dim=1).numpy()


def paint(frame, state, grid, patch_size):
    """Colour one frame's patches by state.

    Args:
        frame (np.ndarray): (H, W, 3) float in [0, 1].
        state (np.ndarray): (N, ) patch states.
        grid (tuple[int, int]): Patch grid (h, w).
        patch_size (int): Patch side.

    Returns:
        np.ndarray: (H, W, 3) painted copy.
    """
    state = state.reshape(grid).repeat(patch_size, 0).repeat(patch_size, 1)
    painted = frame.copy()
    painted[state == FUSED] = 0.25 * frame[state == FUSED] + 0.75
    painted[state == MASKED] = 0.5
    return painted


def draw(frames, states, mask, layers, patch_size, out):
    """Write the figure.

    Args:
        frames (Tensor): (K, 3, H, W) uint8 input frames.
        states (np.ndarray): (K, L, N) patch states (see
            :func:`patch_states`).
        mask (Tensor): (N, ) bool tube mask of the clip.
        layers (Sequence[int]): 1-based sparsification layer indices.
        patch_size (int): Patch side.
        out (str): Output PNG path.
    """
    images = frames.permute(0, 2, 3, 1).numpy() / 255.
    num_frames = images.shape[0]
    grid = (images.shape[1] // patch_size, images.shape[2] // patch_size)
    masked_only = np.where(mask.numpy(), MASKED, KEPT)
    columns = 1 + len(layers)
    figure, axes = plt.subplots(num_frames, columns,
                                figsize=(2.2 * columns, 2.2 * num_frames),
                                squeeze=False)
    for row in range(num_frames):
        panels = [paint(images[row], masked_only, grid, patch_size)]
        panels += [paint(images[row], states[row, index], grid, patch_size)
                   for index in range(len(layers))]
        for column, panel in enumerate(panels):
            axis = axes[row, column]
            axis.imshow(panel, interpolation='nearest')
            axis.set_xticks([])
            axis.set_yticks([])
            if row == 0:
                if column == 0:
                    title = f'input ({int(mask.sum())} masked)'
                else:
                    kept = int((states[0, column - 1] == KEPT).sum())
                    title = f'layer {layers[column - 1]} ({kept} kept)'
                axis.set_title(title, fontsize=9)
        axes[row, 0].set_ylabel(f'frame {row}', fontsize=9)
    figure.suptitle('grey: masked   faded: fused   clear: kept', fontsize=10)
    figure.tight_layout()
    if osp.dirname(out):
        os.makedirs(osp.dirname(out), exist_ok=True)
    figure.savefig(out, dpi=100)
    plt.close(figure)


def read_frames(cfg, args, size):
    """The clip to draw: ``--video`` through the config's test pipeline,
    else the synthetic clip.

    Args:
        cfg (Config): The loaded config.
        args (argparse.Namespace): Parsed :func:`parse_args`.
        size (int): The backbone's frame side.

    Returns:
        Tensor: (K, 3, size, size) uint8.
    """
    if args.video is None:
        return synthetic_clip(args.num_frames or DEFAULT_NUM_FRAMES, size,
                              args.seed)
    pipeline = inference_pipeline_cfg(cfg, args.num_frames,
                                      default_size=size)
    return read_clip(args.video, pipeline)


def main(argv=None):
    """Build the backbone, load its weights, run the clip and draw which
    patches are masked, fused and kept.

    Args:
        argv (list[str], optional): The command line without the program
            name (default: ``sys.argv[1:]``).

    Returns:
        int: Exit status 0.
    """
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    backbone_cfg = backbone_config(cfg)
    backbone_cfg.pop('init_cfg', None)
    for key in ('mask_ratio', 'keep_rate'):
        if getattr(args, key) is not None:
            backbone_cfg[key] = getattr(args, key)
    backbone = MODELS.build(backbone_cfg)
    if args.checkpoint:
        checkpoint = load_checkpoint_file(args.checkpoint,
                                          trust=args.trust_checkpoint)
        report = load_clip_visual_weights(backbone, checkpoint,
                                          prefix=args.prefix)
        report.source = args.checkpoint
        print(report.summary())
    frames = read_frames(cfg, args, backbone.img_size[0])
    torch.manual_seed(args.seed)
    backbone.train()
    with torch.no_grad():
        output = backbone(normalise(frames))
    num_patches = output.mask.shape[1]
    states = patch_states(output, num_patches)
    draw(frames, states, output.mask[0], backbone.sparse_layers,
         backbone.patch_size, args.out)
    print(f'saved {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
