"""Re-exports."""
from .temporal_encoder import TemporalEncoder
from .text_guided_frame_selector import TextGuidedFrameSelector

__all__ = ['TemporalEncoder', 'TextGuidedFrameSelector']
