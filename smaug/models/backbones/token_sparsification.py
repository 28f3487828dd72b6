"""Token sparsification by [CLS] attention (EViT; SMAUG Sec. 3.2, App. B).

Given the tokens after a block's attention branch and the head-averaged [CLS]
attention row ``a`` of that block, the ``k = ceil(keep_rate * p)`` non-[CLS]
tokens with the largest attention are kept ("attentive"), and the other
``p - k`` are fused into one token ``sum_i a_i X_i`` (eq. 8; the weights are
the softmax attention values, not renormalised), which is appended after the
kept tokens. ``p`` counts all current non-[CLS] tokens, including fused
tokens of earlier layers; a fused token that is not kept is fused again.

Because ``k`` depends only on ``p``, every row of the batch keeps the same
number of tokens and shapes stay rectangular. Kept tokens stay in their
incoming relative order. When ``k == p`` there is nothing to fuse and the
tokens pass through unchanged (no empty fused token is appended).
"""
import math

import torch

from .token_gather import gather_tokens


def num_kept_tokens(num_tokens, keep_rate):
    """How many of ``p`` non-[CLS] tokens a sparsification layer keeps.

    Args:
        num_tokens (int): Current non-[CLS] tokens, p.
        keep_rate (float): Keep rate gamma, in (0, 1].

    Returns:
        int: ``ceil(keep_rate * p)``, computed with the product rounded to
        9 decimals first so that, e.g., ``0.07 * 100`` (7.000000000000001 in
        floating point) gives 7 and not 8; at least 1.
    """
    return max(1, math.ceil(round(keep_rate * num_tokens, 9)))


def sparsify_tokens(x, cls_attention, positions, keep_rate):
    """Keep the attentive tokens and fuse the rest into one token.

    Args:
        x (Tensor): Tokens with [CLS] first, shape (R, 1 + p, C).
        cls_attention (Tensor): Head-averaged [CLS] attention over the same
            1 + p tokens, shape (R, 1 + p).
        positions (Tensor): Patch index of each non-[CLS] token (-1 for fused
            tokens), shape (R, p), long.
        keep_rate (float): Keep rate gamma.

    Returns:
        tuple[Tensor, Tensor]: Tokens (R, 1 + k + 1, C) ([CLS], kept tokens,
        fused token) and their positions (R, k + 1) with -1 for the fused
        token; unchanged inputs when ``k == p``.
    """
    num_tokens = x.shape[1] - 1
    num_kept = num_kept_tokens(num_tokens, keep_rate)
    if num_kept == num_tokens:
        return x, positions
    patches, attention = x[:, 1:], cls_attention[:, 1:]
    order = attention.argsort(dim=1, descending=True)
    kept = order[:, :num_kept].sort(dim=1).values
    fused_index = order[:, num_kept:]
    weights = gather_tokens(attention, fused_index).to(x.dtype)
    fused = (gather_tokens(patches, fused_index) * weights.unsqueeze(-1)).sum(
        dim=1, keepdim=True)
    x = torch.cat([x[:, :1], gather_tokens(patches, kept), fused], dim=1)
    positions = torch.cat(
        [gather_tokens(positions, kept),
         positions.new_full((positions.shape[0], 1), -1)], dim=1)
    return x, positions
