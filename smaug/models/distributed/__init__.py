"""Re-exports."""
from .gather_with_grad import gather_with_grad

__all__ = ['gather_with_grad']
