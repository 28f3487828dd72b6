"""Pre-norm Transformer block in CLIP's ``ResidualAttentionBlock`` layout.

``x + attn(ln_1(x))`` then ``x + mlp(ln_2(x))``, with the MLP as
``c_fc -> activation -> c_proj``. Module names match CLIP's, so a CLIP block's
weights load under the same keys. The two residual branches are also exposed
separately, because token sparsification (EViT) selects tokens between them:
the attention branch provides the [CLS] attention, and the MLP then runs on
the reduced token set only.

The same block serves the ViT backbone, the temporal encoder and the MAE pixel
decoder.
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
    """A pre-norm self-attention + MLP block.

    Args:
        embed_dims (int): Token dimension.
        num_heads (int): Number of attention heads.
        feedforward_channels (int): Hidden width of the MLP.
        act_cfg (dict): Config of the MLP activation, built from ``MODELS``.
            CLIP uses ``dict(type='QuickGELU')``; ``dict(type='GELU')`` is
            the exact GELU. Defaults to ``dict(type='QuickGELU')``.
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
        """Apply ``x + attn(ln_1(x))``.

        Args:
            x (Tensor): Tokens, shape (R, L, C).
            return_cls_attention (bool): Also return the head-averaged
                attention row of token 0, shape (R, L). Defaults to False.

        Returns:
            Tensor | tuple[Tensor, Tensor]: The updated tokens, and with
            ``return_cls_attention`` the [CLS] attention row.
        """
        if not return_cls_attention:
            return x + self.attn(self.ln_1(x))
        out, cls_attention = self.attn(self.ln_1(x), return_cls_attention=True)
        return x + out, cls_attention

    def mlp_residual(self, x):
        """Apply ``x + mlp(ln_2(x))``.

        Args:
            x (Tensor): Tokens, shape (R, L, C).
        """
        return x + self.mlp(self.ln_2(x))

    def forward(self, x):
        """Run both residual branches.

        Args:
            x (Tensor): Tokens, shape (R, L, C).
        """
        return self.mlp_residual(self.attention_residual(x))
