"""Draw which patches SparseMAEViT masks, keeps and fuses (EViT-style figure).

For one clip and a backbone (from a config, optionally with a checkpoint),
the figure has a row per frame: the input frame with the tube-masked patches
grey, then one panel per sparsification layer showing, after that layer, the
masked patches (grey), the patches fused into the extra token so far (faded
to white) and the kept patches (as in the frame).

The clip is a video file read as the datasets read it (``--video``; decord,
else PyAV; K frames from the middles of K equal segments, resized on the
short side and centre-cropped to the backbone's ``img_size``) or, without
``--video``, a synthetic clip of moving colour blobs. Frames are normalised
with CLIP's mean and std. The backbone runs in training mode, so tube
masking applies (set ``--mask-ratio 0`` to see sparsification alone),
without gradients; the seed fixes the mask.

The config names the backbone as ``model.backbone`` (an algorithm config),
``model`` (a backbone config) or ``backbone``. A checkpoint is loaded through
the CLIP conversion, which also accepts the backbone's own keys: for a SMAUG
checkpoint pass ``--prefix backbone.``.

Example::

    python tools/analysis/visualize_sparsification.py \\
        configs/demo/smaug_tiny_synthetic.py --checkpoint work_dirs/demo/epoch_40.pth \\
        --prefix backbone. --video data/synthetic/videos/vid_00000.mp4 \\
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
import torch.nn.functional as F  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402

import smaug.models  # noqa: E402,F401
from smaug.datasets.transforms import open_video  # noqa: E402
from smaug.engine.command_help import command_parser  # noqa: E402
from smaug.models.backbones import load_clip_visual_weights  # noqa: E402
from smaug.registry import MODELS  # noqa: E402

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
KEPT, FUSED, MASKED = 0, 1, 2


def parse_args(argv=None):
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` if None.
    """
    parser = command_parser(__doc__)
    parser.add_argument('config', help='config naming the backbone')
    parser.add_argument('--out', required=True, help='output PNG')
    parser.add_argument('--checkpoint', help='weights for the backbone')
    parser.add_argument('--prefix', help="checkpoint key prefix, e.g. "
                        "'backbone.'")
    parser.add_argument('--video', help='video file (default: synthetic)')
    parser.add_argument('--num-frames', type=int, default=4,
                        help='frames of the clip, K (default: 4)')
    parser.add_argument('--mask-ratio', type=float,
                        help='override the backbone mask_ratio')
    parser.add_argument('--keep-rate', type=float,
                        help='override the backbone keep_rate')
    parser.add_argument(
        '--seed', type=int, default=0,
        help='seed of the tube mask and the synthetic clip (default: 0)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries (key=value)')
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


def read_video(path, num_frames, size):
    """K frames from the middles of K equal segments, as uint8.

    Args:
        path (str): Video file.
        num_frames (int): K.
        size (int): Output side (short-side resize, centre crop).

    Returns:
        Tensor: (K, 3, size, size) uint8.
    """
    video = open_video(path)
    segment = video.num_frames / num_frames
    indices = [min(int(segment * (i + 0.5)), video.num_frames - 1)
               for i in range(num_frames)]
    frames = torch.from_numpy(video.frames(indices))
    frames = frames.permute(0, 3, 1, 2).float()
    height, width = frames.shape[-2:]
    scale = size / min(height, width)
    new_h, new_w = max(size, round(height * scale)), max(size,
                                                         round(width * scale))
    frames = F.interpolate(frames, size=(new_h, new_w), mode='bilinear',
                           antialias=True, align_corners=False)
    top, left = (new_h - size) // 2, (new_w - size) // 2
    frames = frames[..., top:top + size, left:left + size]
    return frames.round().clamp(0, 255).to(torch.uint8)


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


def main(argv=None):
    """Build the backbone, run the clip, draw.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` if None.

    Returns:
        int: 0 on success.
    """
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    backbone_cfg = backbone_config(cfg)
    backbone_cfg.pop('init_cfg', None)
    for key in ('mask_ratio', 'keep_rate'):
        if getattr(args, key) is not None:
            backbone_cfg[key] = getattr(args, key)
    backbone = MODELS.build(backbone_cfg)
    if args.checkpoint:
        report = load_clip_visual_weights(backbone, args.checkpoint,
                                          prefix=args.prefix)
        print(report.summary())
    size = backbone.img_size[0]
    frames = read_video(args.video, args.num_frames, size) if args.video \
        else synthetic_clip(args.num_frames, size, args.seed)
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
