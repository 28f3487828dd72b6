"""Re-exports."""
from .auto_amp_optim_wrapper import AutoAmpOptimWrapper
from .nonfinite_guard import (GuardedAmpOptimWrapper, GuardedOptimWrapper,
                              NonFiniteGuardMixin, NonFiniteLossError)

__all__ = [
    'AutoAmpOptimWrapper', 'GuardedAmpOptimWrapper', 'GuardedOptimWrapper',
    'NonFiniteGuardMixin', 'NonFiniteLossError'
]
