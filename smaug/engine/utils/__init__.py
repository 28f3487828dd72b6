"""Re-exports."""
from .process_group import close_distributed
from .write_failures import reported_write_failure, write_failure_reason

__all__ = [
    'close_distributed', 'reported_write_failure', 'write_failure_reason'
]
