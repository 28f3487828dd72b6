"""One BERT layer: self-attention, optional cross-attention, feed-forward."""
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

from .bert_attention import BertAttention
from .bert_ffn import BertFFN


class BertLayer(nn.Module):
    """A post-LN BERT layer: self-attention, cross-attention when
    ``encoder_width`` is given (ALBEF's and Singularity's multimodal layers),
    FFN.

    Args:
        hidden_size (int): Token width.
        num_heads (int): Attention heads.
        intermediate_size (int): FFN width.
        layer_norm_eps (float): Defaults to 1e-12.
        dropout (float): Defaults to 0.1.
        encoder_width (int, optional): Width of the tokens cross-attended
            to; None: no cross-attention.
        with_cp (bool): Activation checkpointing in training.
            Defaults to False.
    """

    def __init__(self,
                 hidden_size,
                 num_heads,
                 intermediate_size,
                 layer_norm_eps=1e-12,
                 dropout=0.1,
                 encoder_width=None,
                 with_cp=False):
        super().__init__()
        self.with_cp = with_cp
        self.self_attn = BertAttention(hidden_size, num_heads, layer_norm_eps,
                                       dropout)
        self.cross_attn = None
        if encoder_width is not None:
            self.cross_attn = BertAttention(
                hidden_size, num_heads, layer_norm_eps, dropout,
                key_width=encoder_width)
        self.ffn = BertFFN(hidden_size, intermediate_size, layer_norm_eps,
                           dropout)

    @classmethod
    def from_arch(cls, arch, encoder_width=None, with_cp=False):
        """A layer of resolved ``arch`` settings (``resolve_bert_arch``)."""
        return cls(arch['hidden_size'], arch['num_heads'],
                   arch['intermediate_size'], arch['layer_norm_eps'],
                   arch['dropout'], encoder_width, with_cp)

    def _forward(self, hidden, attn_mask, context, context_mask):
        hidden = self.self_attn(hidden, attn_mask=attn_mask)
        if self.cross_attn is not None and context is not None:
            hidden = self.cross_attn(hidden, context, attn_mask=context_mask)
        return self.ffn(hidden)

    def forward(self, hidden, attn_mask=None, context=None,
                context_mask=None):
        """(B, P, D) -> (B, P, D).

        Args:
            hidden (Tensor): (B, P, D) tokens.
            attn_mask (Tensor, optional): bool, broadcastable to (B, h, P, P).
            context (Tensor, optional): (B, S, encoder_width) tokens to
                cross-attend to; None skips the cross-attention.
            context_mask (Tensor, optional): bool, broadcastable to
                (B, h, P, S).
        """
        if self.with_cp and self.training and torch.is_grad_enabled():
            return checkpoint(self._forward, hidden, attn_mask, context,
                              context_mask, use_reentrant=False)
        return self._forward(hidden, attn_mask, context, context_mask)
