"""Re-exports."""
from .checkpoint_compatibility import (compare_state_dicts, format_report,
                                       revise_state_dict)
from .checkpoint_loading import (UnreadableCheckpointError,
                                 UntrustedCheckpointError,
                                 load_checkpoint_file, load_local_checkpoint,
                                 use_weights_only_loader)

__all__ = [
    'UnreadableCheckpointError', 'UntrustedCheckpointError',
    'compare_state_dicts', 'format_report', 'load_checkpoint_file',
    'load_local_checkpoint', 'revise_state_dict', 'use_weights_only_loader'
]
