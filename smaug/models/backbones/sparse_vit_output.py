"""What :class:`SparseMAEViT` returns."""
from dataclasses import dataclass, field
from typing import List

from torch import Tensor


@dataclass
class SparseViTOutput:
    """Frame features of a sparse masked ViT plus what the decoder needs.

    B clips, K frames, N patches per frame, T surviving non-[CLS] tokens per
    frame, C channels.

    Args:
        tokens (Tensor): (B, K, 1 + T, C), [CLS] then the surviving tokens
            (kept patches, then fused tokens), after the final LayerNorm.
        token_positions (Tensor): (B, K, T) long, patch-grid index (0..N-1,
            raster order) of each surviving token; -1 for fused tokens.
        mask (Tensor): (B, N) bool, True where tube masking removed the patch
            (the same for the K frames of a clip); all False without masking.
        cls_attention (list[Tensor]): Per sparsification layer, the
            head-averaged [CLS] attention over that layer's incoming non-[CLS]
            tokens, (B, K, T_l) (for figures).
        layer_positions (list[Tensor]): Per sparsification layer, the
            positions (B, K, T'_l) of the non-[CLS] tokens it outputs, as in
            ``token_positions`` (for figures).
    """

    tokens: Tensor
    token_positions: Tensor
    mask: Tensor
    cls_attention: List[Tensor] = field(default_factory=list)
    layer_positions: List[Tensor] = field(default_factory=list)
