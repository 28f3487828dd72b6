"""Multi-head self-attention with CLIP's parameter layout.

The parameters are named and shaped as in ``torch.nn.MultiheadAttention``
(``in_proj_weight``/``in_proj_bias`` with the query, key and value rows
stacked, and ``out_proj``), which is how OpenAI CLIP and open_clip store
their attention, so CLIP weights load without reshaping. The attention itself runs
through :func:`torch.nn.functional.scaled_dot_product_attention`.

For token sparsification the module can also return the head-averaged
attention row of the first token ([CLS]). That row is computed on its own, one
query against all keys, so the full attention map is never materialised.
"""
import torch
import torch.nn.functional as F
from torch import nn


class MultiheadSelfAttention(nn.Module):
    """Self-attention over a batch-first token sequence.

    Args:
        embed_dims (int): Token dimension.
        num_heads (int): Number of attention heads; must divide
            ``embed_dims``.
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
        """Attend every token to every token.

        Args:
            x (Tensor): Tokens, shape (R, L, C).
            return_cls_attention (bool): Also return the head-averaged
                softmax attention of token 0 over all L keys. Defaults to
                False.

        Returns:
            Tensor | tuple[Tensor, Tensor]: The attended tokens (R, L, C),
            and with ``return_cls_attention`` the [CLS] attention row (R, L),
            in float32 whatever the input dtype (it ranks tokens).
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
