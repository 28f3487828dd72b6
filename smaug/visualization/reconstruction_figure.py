"""Paper Fig. 4: original frames, masked frames, and MAE reconstructions.

:func:`mae_reconstruction` runs the model's own parts on uint8 clips: its
data preprocessor, the backbone in training mode (so that it draws a tube
mask at its ``mask_ratio``; the backbone has no dropout, so nothing else
changes) and the MVM decoder, under :func:`probe_mode` (no gradients, the
random state and every module's mode restored afterwards).
:func:`reconstruction_figure` draws one clip: a row of original frames, a
row with the masked patches grey, and a row with the decoder's prediction
pasted into the masked patches and the visible patches as they were (MAE's
presentation; visible patches pruned by token sparsification were still
seen by the encoder, so they count as visible).

With ``norm_pix_loss`` the decoder predicts each patch normalised by its own
mean and standard deviation. As in MAE's visualisation, the prediction is
shown de-normalised with the statistics of the original patch, i.e. the
figure shows the predicted structure at the true patch's brightness and
contrast (the same normalisation as the loss target: unbiased variance plus
1e-6); a flat original patch is therefore drawn flat, whatever the decoder
predicted for it. Pixels then go back from CLIP normalisation to 0-255 with the data
preprocessor's ``mean`` and ``std``.
"""
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
    """Mask clips, reconstruct the masked patches with the MVM decoder.

    Args:
        model (SMAUGPretrain): A model with ``backbone``, ``mvm_head`` and a
            data preprocessor with ``mean`` and ``std`` (0-255 scale).
        clips (list[Tensor]): uint8 clips (K, 3, H, W) of one shape, as the
            dataloader gives them.

    Returns:
        dict[str, np.ndarray]: ``frames``, ``masked`` and ``reconstruction``
        (B, K, H, W, 3) uint8, and ``mask`` (B, N) bool (True at masked
        patches, raster order over the patch grid).
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
    """The layout of :func:`reconstruction_figure` for one clip.

    Args:
        num_frames (int): K, the number of columns.
        frame_size (tuple[int, int]): (height, width) of a frame.
        with_caption (bool): Reserve two title lines for the caption.

    Returns:
        TileGrid: 3 rows (``ROW_LABELS``) by K columns.
    """
    return TileGrid(len(ROW_LABELS), num_frames, frame_size,
                    zoom=zoom_for(frame_size), row_labels=ROW_LABELS,
                    title_lines=2 if with_caption else 0)


def reconstruction_figure(frames, masked, reconstruction, caption=None):
    """Draw one clip's Fig. 4 panel.

    Args:
        frames (np.ndarray): (K, H, W, 3) uint8 original frames.
        masked (np.ndarray): (K, H, W, 3) uint8, masked patches grey.
        reconstruction (np.ndarray): (K, H, W, 3) uint8, predictions in the
            masked patches.
        caption (str, optional): Written above the rows.

    Returns:
        np.ndarray: (H', W', 3) uint8 RGB image (see
        :func:`reconstruction_grid` for the layout).
    """
    grid = reconstruction_grid(frames.shape[0], frames.shape[1:3],
                               with_caption=caption is not None)
    return grid.render(np.stack([frames, masked, reconstruction]),
                       title=caption)
