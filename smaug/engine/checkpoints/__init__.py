"""Re-exports."""
from .checkpoint_loading import (UnreadableCheckpointError,
                                 UntrustedCheckpointError,
                                 load_checkpoint_file, load_local_checkpoint,
                                 use_weights_only_loader)

__all__ = [
    'UnreadableCheckpointError', 'UntrustedCheckpointError',
    'load_checkpoint_file', 'load_local_checkpoint', 'use_weights_only_loader'
]
