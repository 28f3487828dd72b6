"""TemporalEncoder: self-attention across the frames of a clip (Q_t, eq. 3)."""
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from smaug.models.backbones import ResidualAttentionStack
from smaug.registry import MODELS


@MODELS.register_module()
class TemporalEncoder(BaseModule):
    """Joint self-attention over the K * (1 + T) tokens of a clip's frames,
    each frame with a learned temporal embedding (linearly interpolated for
    another K). The embedding and every block's output projections start at
    zero, so a new encoder is the identity; there is no final LayerNorm.

    Args:
        embed_dims (int): Token width. Defaults to 768.
        num_layers (int): Blocks. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 12.
        feedforward_channels (int): MLP width. Defaults to 3072.
        num_frames (int): Temporal embeddings (the training K). Defaults to 4.
        act_cfg (dict): MLP activation. Defaults to GELU.
        with_cp (bool): Activation checkpointing per block. Defaults to False.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims=768,
                 num_layers=2,
                 num_heads=12,
                 feedforward_channels=3072,
                 num_frames=4,
                 act_cfg=dict(type='GELU'),
                 with_cp=False,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.temporal_embedding = nn.Parameter(
            torch.zeros(num_frames, embed_dims))
        self.layers = ResidualAttentionStack(num_layers, embed_dims,
                                             num_heads, feedforward_channels,
                                             act_cfg, with_cp)
        for layer in self.layers:
            for projection in (layer.attn.out_proj, layer.mlp.c_proj):
                nn.init.zeros_(projection.weight)
                nn.init.zeros_(projection.bias)

    def _temporal_embedding(self, num_frames):
        """Temporal embedding (K, C), interpolated when K differs."""
        if num_frames == self.temporal_embedding.shape[0]:
            return self.temporal_embedding
        resized = F.interpolate(self.temporal_embedding.t()[None],
                                size=num_frames, mode='linear',
                                align_corners=False)
        return resized[0].t()

    def forward(self, tokens):
        """(B, K, 1 + T, C) -> (B, K, 1 + T, C); ``tokens`` when K = 1."""
        if tokens.dim() != 4:
            raise ValueError('TemporalEncoder: tokens must have shape '
                             f'(B, K, 1 + T, C), got {tuple(tokens.shape)}.')
        batch_size, num_frames, length, channels = tokens.shape
        if num_frames == 1:
            return tokens
        embedding = self._temporal_embedding(num_frames).to(tokens.dtype)
        x = (tokens + embedding[None, :, None]).reshape(
            batch_size, num_frames * length, channels)
        x = self.layers(x)
        return x.view(batch_size, num_frames, length, channels)
