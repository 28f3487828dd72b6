"""Re-exports."""
from .clip_weights import (ClipWeightsReport, convert_clip_visual_state_dict,
                           load_clip_visual_weights, read_checkpoint,
                           unwrap_state_dict)
from .multihead_self_attention import MultiheadSelfAttention
from .quick_gelu import QuickGELU
from .residual_attention_stack import ResidualAttentionStack
from .sparse_mae_vit import SparseMAEViT
from .sparse_vit_output import SparseViTOutput
from .token_gather import gather_tokens
from .token_sparsification import num_kept_tokens, sparsify_tokens
from .tube_masking import num_masked_patches, sample_tube_mask
from .vit_block import ResidualAttentionBlock

__all__ = [
    'ClipWeightsReport', 'MultiheadSelfAttention', 'QuickGELU',
    'ResidualAttentionBlock', 'ResidualAttentionStack', 'SparseMAEViT',
    'SparseViTOutput', 'convert_clip_visual_state_dict',
    'gather_tokens', 'load_clip_visual_weights', 'num_kept_tokens',
    'num_masked_patches', 'read_checkpoint', 'sample_tube_mask',
    'sparsify_tokens', 'unwrap_state_dict'
]
