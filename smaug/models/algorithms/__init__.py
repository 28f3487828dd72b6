"""Re-exports."""
from .smaug_pretrain import SMAUGPretrain

__all__ = ['SMAUGPretrain']
