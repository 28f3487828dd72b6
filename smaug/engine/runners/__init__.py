"""Re-exports."""
from .runner import SMAUGRunner
from .work_dir_lock import WorkDirInUseError

__all__ = ['SMAUGRunner', 'WorkDirInUseError']
