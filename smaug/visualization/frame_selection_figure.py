"""Paper Fig. 3: a clip's frames, the selector's scores, the kept frames."""
import numpy as np
import torch

from .probe_mode import probe_mode
from .tile_grid import TileGrid, zoom_for


def default_num_selected(model, num_frames):
    """kappa to draw for K = ``num_frames``: the model's test setting, else
    its training one, capped at K.
    """
    kappa = model.num_test_selected_frames or model.num_selected_frames
    return min(kappa or num_frames, num_frames)


def frame_selection(model, clips, captions, num_selected=None):
    """Score every frame of each clip against its caption and select, with
    the model's own parts (its selector's ``select`` too) under
    :func:`probe_mode`.

    Args:
        model (SMAUGPretrain): With ``frame_selector``, ``encode_video``,
            ``extract_text_feats``.
        clips (list[Tensor]): uint8 (K, 3, H, W) clips of one shape.
        captions (list[str]): One per clip.
        num_selected (int, optional): kappa (:func:`default_num_selected`).

    Returns:
        dict[str, np.ndarray]: ``frames`` (B, K, H, W, 3) uint8, ``scores``
        (B, K) and ``selected`` (B, K) bool.
    """
    if len(captions) != len(clips):
        raise ValueError(
            'smaug/visualization/frame_selection_figure.py: '
            f'{len(clips)} clips but {len(captions)} captions.')
    with probe_mode(model):
        inputs = model.data_preprocessor(dict(inputs=clips), False)['inputs']
        batch, num_frames = inputs.shape[:2]
        kappa = num_selected or default_num_selected(model, num_frames)
        _, video_tokens = model.encode_video(inputs)
        text_cls = model.extract_text_feats(list(captions))['hidden'][:, 0]
        scores = model.frame_selector(video_tokens[:, :, 0], text_cls)
        frame_ids = torch.arange(num_frames, device=scores.device)
        frame_ids = frame_ids.expand(batch, -1)[..., None].to(scores.dtype)
        kept = model.frame_selector.select(frame_ids, scores, kappa)
    selected = torch.zeros(batch, num_frames, dtype=torch.bool)
    selected.scatter_(1, kept[..., 0].round().long().cpu(), True)
    frames = torch.stack(list(clips)).movedim(-3, -1)
    return dict(frames=frames.cpu().numpy(),
                scores=scores.float().cpu().numpy(),
                selected=selected.numpy())


def frame_selection_grid(num_frames, frame_size):
    """The layout of :func:`frame_selection_figure`: one row of
    ``num_frames`` tiles of ``frame_size`` (h, w) under two caption lines.
    """
    return TileGrid(1, num_frames, frame_size, zoom=zoom_for(frame_size),
                    title_lines=2)


def frame_selection_figure(frames, scores, selected, caption):
    """One clip's Fig. 3 panel.

    Args:
        frames (np.ndarray): (K, H, W, 3) uint8.
        scores (np.ndarray): (K,) selector scores, written on the frames.
        selected (np.ndarray): (K,) bool, the kept frames (framed).
        caption (str): The title.

    Returns:
        np.ndarray: (H', W', 3) uint8 RGB.
    """
    num_frames = frames.shape[0]
    grid = frame_selection_grid(num_frames, frames.shape[1:3])
    texts = [[f'{index}: {score:+.3f}' for index, score in enumerate(scores)]]
    return grid.render(frames[None], title=caption, tile_texts=texts,
                       outlined=np.asarray(selected)[None])
