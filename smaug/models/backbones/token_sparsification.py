"""Token sparsification by [CLS] attention (EViT; SMAUG Sec. 3.2, App. B)."""
import math

import torch

from .token_gather import gather_tokens


def num_kept_tokens(num_tokens, keep_rate):
    """``ceil(keep_rate * p)`` tokens kept of ``p`` (at least 1), with the
    product rounded to 9 decimals first (``0.07 * 100``,
    7.000000000000001 in floating point, keeps 7, not 8).
    """
    return max(1, math.ceil(round(keep_rate * num_tokens, 9)))


def sparsify_tokens(x, cls_attention, positions, keep_rate):
    """Keep the ``k`` most attended non-[CLS] tokens in their order and
    fuse the rest into one appended token ``sum_i a_i X_i`` (eq. 8, raw
    attention weights); unchanged when ``k == p``.

    Args:
        x (Tensor): (R, 1 + p, C), [CLS] first.
        cls_attention (Tensor): (R, 1 + p) head-averaged [CLS] attention.
        positions (Tensor): (R, p) patch index of each token, -1 if fused.
        keep_rate (float): gamma.

    Returns:
        tuple[Tensor, Tensor]: tokens (R, 1 + k + 1, C) and positions
        (R, k + 1), -1 for the fused token.
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
