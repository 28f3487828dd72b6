"""BERT's multi-head attention block with its residual and post-LayerNorm,
as self-attention or as cross-attention to a sequence of another width.
"""
from torch import nn
from torch.nn import functional as F


def padding_to_attn_mask(padding_mask):
    """(B, S) padding mask (nonzero = real key) -> (B, 1, 1, S) bool SDPA
    mask, True where attention is allowed; None stays None.
    """
    if padding_mask is None:
        return None
    return padding_mask.bool()[:, None, None, :]


class BertAttention(nn.Module):
    """``LayerNorm(x + Dropout(Out(Attention(Q x, K y, V y))))``, with
    BERT's parameter names.

    Args:
        hidden_size (int): Width of the queries and the output.
        num_heads (int): Attention heads.
        layer_norm_eps (float): LayerNorm epsilon.
        dropout (float): Dropout on attention weights and output.
        key_width (int, optional): Width of keys and values; defaults to
            ``hidden_size``.
    """

    def __init__(self, hidden_size, num_heads, layer_norm_eps, dropout,
                 key_width=None):
        super().__init__()
        key_width = key_width or hidden_size
        self.num_heads = num_heads
        self.query = nn.Linear(hidden_size, hidden_size)
        self.key = nn.Linear(key_width, hidden_size)
        self.value = nn.Linear(key_width, hidden_size)
        self.out_proj = nn.Linear(hidden_size, hidden_size)
        self.norm = nn.LayerNorm(hidden_size, eps=layer_norm_eps)
        self.attn_dropout = dropout
        self.dropout = nn.Dropout(dropout)

    def _split_heads(self, x):
        batch, length, width = x.shape
        return x.view(batch, length, self.num_heads,
                      width // self.num_heads).transpose(1, 2)

    def forward(self, hidden, context=None, attn_mask=None):
        """Attend from ``hidden`` to ``context``.

        Args:
            hidden (Tensor): (B, P, D) queries, also the residual input.
            context (Tensor, optional): (B, S, key_width); ``hidden`` if None.
            attn_mask (Tensor, optional): bool, broadcastable to
                (B, heads, P, S), True where allowed.

        Returns:
            Tensor: (B, P, D).
        """
        context = hidden if context is None else context
        query = self._split_heads(self.query(hidden))
        key = self._split_heads(self.key(context))
        value = self._split_heads(self.value(context))
        attended = F.scaled_dot_product_attention(
            query, key, value, attn_mask=attn_mask,
            dropout_p=self.attn_dropout if self.training else 0.)
        attended = attended.transpose(1, 2).flatten(2)
        return self.norm(hidden + self.dropout(self.out_proj(attended)))
