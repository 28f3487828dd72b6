"""Pre-norm Transformer block in CLIP's ``ResidualAttentionBlock`` layout.

The two residual branches are exposed apart because EViT sparsifies
between them. It serves the ViT, the temporal encoder and the MAE decoder.
"""
from collections import OrderedDict

# Importing mmpretrain's model utilities registers (through mmcv) torch's
# activations such as GELU in the registries that smaug's MODELS inherits;
# importing quick_gelu registers smaug's QuickGELU, which shadows mmpretrain's.
import mmpretrain.models.utils  # noqa: F401
from torch import nn

from smaug.registry import MODELS
from . import quick_gelu  # noqa: F401
from .multihead_self_attention import MultiheadSelfAttention


class ResidualAttentionBlock(nn.Module):
    """``x + attn(ln_1(x))`` then ``x + mlp(ln_2(x))``, the MLP
    ``c_fc -> act -> c_proj`` (CLIP's names, so CLIP weights load).

    Args:
        embed_dims (int): Token width.
        num_heads (int): Attention heads.
        feedforward_channels (int): MLP width.
        act_cfg (dict): MLP activation. Defaults to QuickGELU.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-5 (CLIP's).
    """

    def __init__(self,
                 embed_dims,
                 num_heads,
                 feedforward_channels,
                 act_cfg=dict(type='QuickGELU'),
                 norm_eps=1e-5):
        super().__init__()
        self.ln_1 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.attn = MultiheadSelfAttention(embed_dims, num_heads)
        self.ln_2 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.mlp = nn.Sequential(
            OrderedDict(
                c_fc=nn.Linear(embed_dims, feedforward_channels),
                act=MODELS.build(act_cfg),
                c_proj=nn.Linear(feedforward_channels, embed_dims)))

    def attention_residual(self, x, return_cls_attention=False):
        """``x + attn(ln_1(x))`` of (R, L, C) tokens; with
        ``return_cls_attention`` also the [CLS] attention row (R, L).
        """
        if not return_cls_attention:
            return x + self.attn(self.ln_1(x))
        out, cls_attention = self.attn(self.ln_1(x), return_cls_attention=True)
        return x + out, cls_attention

    def mlp_residual(self, x):
        """``x + mlp(ln_2(x))`` of (R, L, C) tokens."""
        return x + self.mlp(self.ln_2(x))

    def forward(self, x):
        """Both residual branches on (R, L, C) tokens."""
        return self.mlp_residual(self.attention_residual(x))
