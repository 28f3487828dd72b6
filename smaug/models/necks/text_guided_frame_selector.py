"""The text-guided frame selector S (paper Sec. 3.2, eq. 5)."""
import torch
from mmengine.model import BaseModule
from torch import nn

from smaug.models.heads.linear_init import TRUNC_NORMAL_LINEAR
from smaug.registry import MODELS
from .gumbel_topk import relaxed_topk, sample_gumbel


@MODELS.register_module()
class TextGuidedFrameSelector(BaseModule):
    """Score a clip's K frames against a text and keep kappa of them.

    The projected frame [CLS] features, led by the projected text [CLS], go
    through ``num_layers`` pre-LN blocks; a linear layer scores each frame.
    :meth:`select` keeps the best kappa in temporal order: Gumbel top-kappa
    with a straight-through relaxation in training (temperature
    ``gumbel_tau``, annealed by ``GumbelTemperatureHook``), plain top-kappa
    at test.

    Args:
        video_dims (int): Width of the frame [CLS]. Defaults to 768.
        text_dims (int): Width of the text [CLS]. Defaults to 768.
        embed_dims (int): Width inside. Defaults to 256.
        num_layers (int): Blocks. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 2.
        feedforward_channels (int): FFN width. Defaults to 2048.
        dropout (float): Dropout in the blocks. Defaults to 0.
        gumbel_tau (float): Relaxation temperature. Defaults to 1.0.
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 video_dims=768,
                 text_dims=768,
                 embed_dims=256,
                 num_layers=2,
                 num_heads=2,
                 feedforward_channels=2048,
                 dropout=0.,
                 gumbel_tau=1.0,
                 init_cfg=TRUNC_NORMAL_LINEAR):
        super().__init__(init_cfg=init_cfg)
        if gumbel_tau <= 0:
            raise ValueError('smaug/models/necks/text_guided_frame_selector.py'
                             f': gumbel_tau must be > 0, got {gumbel_tau}.')
        self.gumbel_tau = gumbel_tau
        self.frame_proj = nn.Linear(video_dims, embed_dims)
        self.text_proj = nn.Linear(text_dims, embed_dims)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(
                embed_dims, num_heads, feedforward_channels, dropout,
                activation='gelu', batch_first=True, norm_first=True)
            for _ in range(num_layers))
        self.norm = nn.LayerNorm(embed_dims)
        self.score_head = nn.Linear(embed_dims, 1)

    def forward(self, frame_cls, text_cls):
        """Scores (B, K) of frame [CLS] features (B, K, video_dims) against
        text [CLS] features (B, text_dims).
        """
        tokens = torch.cat(
            [self.text_proj(text_cls)[:, None], self.frame_proj(frame_cls)],
            dim=1)
        for layer in self.layers:
            tokens = layer(tokens)
        return self.score_head(self.norm(tokens[:, 1:])).squeeze(-1)

    def select(self, frame_tokens, scores, num_selected):
        """The best frames, in temporal order.

        Args:
            frame_tokens (Tensor): (B, K, ...) per-frame features.
            scores (Tensor): (B, K) from :meth:`forward`.
            num_selected (int): kappa, ``1 <= kappa <= K``.

        Returns:
            Tensor: (B, kappa, ...).
        """
        batch, num_frames = scores.shape
        if frame_tokens.shape[:2] != scores.shape:
            raise ValueError(
                'smaug/models/necks/text_guided_frame_selector.py: '
                f'frame_tokens {tuple(frame_tokens.shape)} and scores '
                f'{tuple(scores.shape)} disagree on (B, K).')
        if not 1 <= num_selected <= num_frames:
            raise ValueError(
                'smaug/models/necks/text_guided_frame_selector.py: '
                f'num_selected must be in [1, {num_frames}], got '
                f'{num_selected}.')
        if num_selected == num_frames:
            return frame_tokens
        soft = None
        if self.training:
            index, soft = relaxed_topk(scores + sample_gumbel(scores),
                                       num_selected, self.gumbel_tau)
        else:
            index = scores.topk(num_selected, dim=1).indices.sort(dim=1).values
        flat = frame_tokens.flatten(2)
        selected = flat.gather(
            1, index[..., None].expand(-1, -1, flat.shape[2]))
        if soft is not None:
            # Straight-through: adds exactly zero, but its gradient w.r.t.
            # the scores is that of selecting with the soft rows.
            selected = selected + (soft - soft.detach()).to(flat.dtype) @ \
                flat.detach()
        return selected.view(batch, num_selected, *frame_tokens.shape[2:])
