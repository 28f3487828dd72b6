"""Re-exports."""
from .checkpoint_loading import (UntrustedCheckpointError,
                                 load_local_checkpoint)
from .runner import SMAUGRunner

__all__ = ['SMAUGRunner', 'UntrustedCheckpointError', 'load_local_checkpoint']
