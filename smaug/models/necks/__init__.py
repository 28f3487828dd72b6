"""Re-exports."""
from .temporal_encoder import TemporalEncoder

__all__ = ['TemporalEncoder']
