"""What :class:`SparseMAEViT` returns."""
from dataclasses import dataclass, field
from typing import List

from torch import Tensor


@dataclass
class SparseViTOutput:
    """:class:`SparseMAEViT`'s output: B clips, K frames, N patches, T
    surviving non-[CLS] tokens per frame, C channels.

    Args:
        tokens (Tensor): (B, K, 1 + T, C): [CLS], kept, then fused tokens.
        token_positions (Tensor): (B, K, T) grid index (raster order) of
            each token; -1 for fused tokens.
        mask (Tensor): (B, N) bool, True at tube-masked patches.
        cls_attention (list[Tensor]): Per sparsification layer, the [CLS]
            attention over its incoming tokens (B, K, T_l), for figures.
        layer_positions (list[Tensor]): Per sparsification layer, the
            positions (B, K, T'_l) of its output tokens, for figures.
    """

    tokens: Tensor
    token_positions: Tensor
    mask: Tensor
    cls_attention: List[Tensor] = field(default_factory=list)
    layer_positions: List[Tensor] = field(default_factory=list)
