"""Paper Fig. 4: original frames, masked frames, and MAE reconstructions."""
import numpy as np
import torch

from smaug.models.heads.patchify import patchify, unpatchify
from .probe_mode import probe_mode
from .tile_grid import TileGrid, zoom_for

GREY = 128
ROW_LABELS = ('original', 'masked', 'reconstruction')


def _pixels(frames):
    """(..., 3, H, W) 0-255 float or uint8 tensor -> (..., H, W, 3) uint8."""
    frames = frames.float().round().clamp(0, 255).to(torch.uint8)
    return frames.movedim(-3, -1).cpu().numpy()


def mae_reconstruction(model, clips):
    """Mask clips (the backbone in training mode draws a tube mask) and
    reconstruct the masked patches with the MVM decoder, under
    :func:`probe_mode`. With ``norm_pix_loss`` the prediction is shown at the
    original patch's mean and std, as in MAE's figures.

    Args:
        model (SMAUGPretrain): With ``backbone``, ``mvm_head`` and a data
            preprocessor's ``mean`` and ``std``.
        clips (list[Tensor]): uint8 (K, 3, H, W) clips of one shape.

    Returns:
        dict[str, np.ndarray]: ``frames``, ``masked``, ``reconstruction``
        (B, K, H, W, 3) uint8 and ``mask`` (B, N) bool.
    """
    preprocessor = model.data_preprocessor
    decoder = model.mvm_head
    patch = decoder.patch_size
    with probe_mode(model):
        inputs = preprocessor(dict(inputs=clips), False)['inputs']
        model.backbone.train()
        visual = model.backbone(inputs)
        grid = (inputs.shape[-2] // patch, inputs.shape[-1] // patch)
        pred = decoder(visual.tokens, visual.token_positions, grid)
    batch, num_frames = inputs.shape[:2]
    target = patchify(inputs.flatten(0, 1).float(), patch)
    pred = pred.flatten(0, 1).float()
    if decoder.norm_pix_loss:
        mean = target.mean(dim=-1, keepdim=True)
        std = (target.var(dim=-1, keepdim=True) + 1e-6).sqrt()
        pred = pred * std + mean
    mask = visual.mask.repeat_interleave(num_frames, dim=0)[..., None]
    pasted = unpatchify(torch.where(mask, pred, target), patch, grid)
    pasted = pasted.view(inputs.shape) * preprocessor.std + preprocessor.mean
    pixel_mask = unpatchify(
        mask.expand_as(target).float(), patch, grid).bool()
    frames = torch.stack(list(clips)).to(inputs.device)
    masked = frames.masked_fill(pixel_mask.view(inputs.shape), GREY)
    return dict(frames=_pixels(frames), masked=_pixels(masked),
                reconstruction=_pixels(pasted),
                mask=visual.mask.cpu().numpy())


def reconstruction_grid(num_frames, frame_size, with_caption=True):
    """The layout of :func:`reconstruction_figure`: 3 rows
    (``ROW_LABELS``) by ``num_frames`` tiles of ``frame_size`` (h, w), with
    two title lines when ``with_caption``.
    """
    return TileGrid(len(ROW_LABELS), num_frames, frame_size,
                    zoom=zoom_for(frame_size), row_labels=ROW_LABELS,
                    title_lines=2 if with_caption else 0)


def reconstruction_figure(frames, masked, reconstruction, caption=None):
    """One clip's Fig. 4 panel.

    Args:
        frames (np.ndarray): (K, H, W, 3) uint8 original frames.
        masked (np.ndarray): (K, H, W, 3), masked patches grey.
        reconstruction (np.ndarray): (K, H, W, 3), predictions pasted in.
        caption (str, optional): Written above.

    Returns:
        np.ndarray: (H', W', 3) uint8 RGB.
    """
    grid = reconstruction_grid(frames.shape[0], frames.shape[1:3],
                               with_caption=caption is not None)
    return grid.render(np.stack([frames, masked, reconstruction]),
                       title=caption)
