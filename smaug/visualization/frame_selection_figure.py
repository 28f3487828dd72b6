"""Paper Fig. 3: a clip's frames, the selector's scores, the kept frames.

:func:`frame_selection` runs the model's own parts on uint8 clips and their
captions under :func:`probe_mode` (eval mode, so no tube mask and no Gumbel
noise; no gradients; random state and module modes restored afterwards):
the data preprocessor, ``encode_video`` (visual and temporal encoders), the
text encoder's [CLS] through ``extract_text_feats``, the frame selector's
scores, and which frames the selector's own ``select`` keeps at test time
(it is given the frame indices as the "features" to select, so a user's
selector with another selection rule is drawn faithfully).

kappa defaults to the model's test-time ``num_test_selected_frames``, else
its training ``num_selected_frames`` (the usual pre-training configs set
only the latter), else every frame.

:func:`frame_selection_figure` draws one clip: its frames in temporal order,
each with its score written on it, the selected ones framed in green, the
caption as the title.
"""
import numpy as np
import torch

from .probe_mode import probe_mode
from .tile_grid import TileGrid, zoom_for


def default_num_selected(model, num_frames):
    """kappa to draw: the model's test, else training, setting, capped at K.

    Args:
        model (SMAUGPretrain): The model.
        num_frames (int): K.
    """
    kappa = model.num_test_selected_frames or model.num_selected_frames
    return min(kappa or num_frames, num_frames)


def frame_selection(model, clips, captions, num_selected=None):
    """Score every frame of each clip against its caption and select.

    Args:
        model (SMAUGPretrain): A model with ``frame_selector``,
            ``encode_video`` and ``extract_text_feats``.
        clips (list[Tensor]): uint8 clips (K, 3, H, W) of one shape.
        captions (list[str]): One caption per clip.
        num_selected (int, optional): kappa; see
            :func:`default_num_selected` when None.

    Returns:
        dict[str, np.ndarray]: ``frames`` (B, K, H, W, 3) uint8, ``scores``
        (B, K) float and ``selected`` (B, K) bool.
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
    """The layout of :func:`frame_selection_figure` for one clip.

    Args:
        num_frames (int): K, the number of columns.
        frame_size (tuple[int, int]): (height, width) of a frame.

    Returns:
        TileGrid: one row of K tiles under two caption lines.
    """
    return TileGrid(1, num_frames, frame_size, zoom=zoom_for(frame_size),
                    title_lines=2)


def frame_selection_figure(frames, scores, selected, caption):
    """Draw one clip's Fig. 3 panel.

    Args:
        frames (np.ndarray): (K, H, W, 3) uint8 frames.
        scores (np.ndarray): (K, ) selector scores.
        selected (np.ndarray): (K, ) bool, True for the kept frames.
        caption (str): The caption the frames were scored against.

    Returns:
        np.ndarray: (H', W', 3) uint8 RGB image (see
        :func:`frame_selection_grid` for the layout).
    """
    num_frames = frames.shape[0]
    grid = frame_selection_grid(num_frames, frames.shape[1:3])
    texts = [[f'{index}: {score:+.3f}' for index, score in enumerate(scores)]]
    return grid.render(frames[None], title=caption, tile_texts=texts,
                       outlined=np.asarray(selected)[None])
