"""Re-exports."""
from .smaug_pretrain import SMAUGPretrain
from .smaug_retrieval import SMAUGRetrieval

__all__ = ['SMAUGPretrain', 'SMAUGRetrieval']
