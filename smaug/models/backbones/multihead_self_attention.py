"""Multi-head self-attention in CLIP's parameter layout
(``in_proj_weight``, ``in_proj_bias``, ``out_proj``, as
``nn.MultiheadAttention``), run by ``scaled_dot_product_attention``.
"""
import torch
import torch.nn.functional as F
from torch import nn


class MultiheadSelfAttention(nn.Module):
    """Self-attention over batch-first tokens.

    Args:
        embed_dims (int): Token width.
        num_heads (int): Attention heads; divide ``embed_dims``.
    """

    def __init__(self, embed_dims, num_heads):
        super().__init__()
        if embed_dims % num_heads:
            raise ValueError(
                f'MultiheadSelfAttention: embed_dims ({embed_dims}) must be '
                f'divisible by num_heads ({num_heads}).')
        self.embed_dims = embed_dims
        self.num_heads = num_heads
        self.head_dims = embed_dims // num_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dims,
                                                       embed_dims))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dims))
        self.out_proj = nn.Linear(embed_dims, embed_dims)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, x, return_cls_attention=False):
        """(R, L, C) tokens -> attended tokens; with ``return_cls_attention``
        also the head-averaged [CLS] attention row (R, L), computed alone (one
        query, no full map) in float32 (it ranks tokens).
        """
        rows, length, _ = x.shape
        qkv = F.linear(x, self.in_proj_weight, self.in_proj_bias)
        qkv = qkv.view(rows, length, 3, self.num_heads, self.head_dims)
        query, key, value = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        out = F.scaled_dot_product_attention(query, key, value)
        out = self.out_proj(out.transpose(1, 2).reshape(rows, length, -1))
        if not return_cls_attention:
            return out
        logits = query[:, :, :1] @ key.transpose(-2, -1)
        cls_attention = (logits.float() * self.head_dims**-0.5).softmax(-1)
        return out, cls_attention.mean(dim=1).squeeze(1)
