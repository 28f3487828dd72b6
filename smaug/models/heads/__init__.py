"""Re-exports."""
from .mae_pixel_decoder import MAEPixelDecoder
from .patchify import patchify, unpatchify
from .sincos_position_embedding import sincos_position_embedding_2d

__all__ = [
    'MAEPixelDecoder', 'patchify', 'sincos_position_embedding_2d', 'unpatchify'
]
