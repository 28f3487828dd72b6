"""Re-exports."""
from .answer_decoder import BertAnswerDecoder
from .mae_pixel_decoder import MAEPixelDecoder
from .mlm_head import BertMLMHead
from .patchify import patchify, unpatchify
from .sincos_position_embedding import sincos_position_embedding_2d
from .vtc_head import VTCHead
from .vtm_head import VTMHead

__all__ = [
    'BertAnswerDecoder', 'BertMLMHead', 'VTCHead', 'VTMHead',
    'MAEPixelDecoder', 'patchify', 'sincos_position_embedding_2d', 'unpatchify'
]
