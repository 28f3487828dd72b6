"""TemporalEncoder: self-attention across the frames of a clip (Q_t, eq. 3).

The K frames' token sequences (each [CLS] + T tokens from the ViT) get a
learned per-frame temporal embedding, are concatenated into one sequence of
K * (1 + T) tokens, and pass through pre-norm Transformer blocks (the ViT's
:class:`ResidualAttentionBlock`, attention through SDPA); the result is split
back into frames. A single frame (images, K=1) passes through unchanged.

Decisions where the paper is silent:

- The temporal embedding and the output projections of every block (attention
  ``out_proj`` and MLP ``c_proj``) start at zero, so a freshly built encoder
  is exactly the identity. Multi-frame pre-training starts from a single-frame
  model (paper Sec. 3.5), whose features the encoder then changes gradually.
  (Until the output projections move away from zero, the other weights of a
  block get no gradient.)
- The embedding has ``num_frames`` entries; clips with a different K (e.g. 12
  test frames after 4 training frames) use it linearly interpolated in time.
- No final LayerNorm: the output stays on the scale of the ViT's ``ln_post``
  features, which is what the identity start requires.
"""
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from smaug.models.backbones import ResidualAttentionStack
from smaug.registry import MODELS


@MODELS.register_module()
class TemporalEncoder(BaseModule):
    """Joint self-attention over the tokens of all frames of a clip.

    Args:
        embed_dims (int): Token dimension. Defaults to 768.
        num_layers (int): Number of Transformer blocks. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 12.
        feedforward_channels (int): MLP hidden width. Defaults to 3072.
        num_frames (int): Number of learned temporal embeddings (the
            training K). Defaults to 4.
        act_cfg (dict): MLP activation. Defaults to ``dict(type='GELU')``.
        with_cp (bool): Activation checkpointing per block in training.
            Defaults to False.
        init_cfg (dict, optional): mmengine init config. Defaults to None.
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
        """Attend across frames.

        Args:
            tokens (Tensor): Frame tokens, shape (B, K, 1 + T, C).

        Returns:
            Tensor: Shape (B, K, 1 + T, C); ``tokens`` itself when K = 1.
        """
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
