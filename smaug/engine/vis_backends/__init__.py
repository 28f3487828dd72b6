"""Re-exports."""
from .tensorboard_vis_backend import SMAUGTensorboardVisBackend

__all__ = ['SMAUGTensorboardVisBackend']
