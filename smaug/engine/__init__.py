"""Re-exports."""
from .config import ConfigError, check_config
from .hooks import (AnswerListHook, CrashSafeCheckpointHook, ExactResumeHook,
                    GumbelTemperatureHook, HardNegativeWarmupHook,
                    NonFiniteLossHook, PreemptionHook, TrainingPreempted,
                    ProtocolRecordHook, PretrainVisualizationHook)
from .loops import RetrievalTestLoop, RetrievalValLoop, gather_rows
from .optim_wrappers import (AutoAmpOptimWrapper, GuardedAmpOptimWrapper,
                             GuardedOptimWrapper, NonFiniteGuardMixin,
                             NonFiniteLossError)
from .runners import SMAUGRunner, WorkDirInUseError
from .vis_backends import SMAUGTensorboardVisBackend

__all__ = [
    'AnswerListHook', 'AutoAmpOptimWrapper', 'ConfigError',
    'CrashSafeCheckpointHook', 'ExactResumeHook', 'GuardedAmpOptimWrapper',
    'GuardedOptimWrapper', 'GumbelTemperatureHook', 'HardNegativeWarmupHook',
    'NonFiniteGuardMixin', 'NonFiniteLossError', 'NonFiniteLossHook',
    'PreemptionHook', 'PretrainVisualizationHook', 'ProtocolRecordHook',
    'RetrievalTestLoop', 'RetrievalValLoop', 'SMAUGRunner',
    'SMAUGTensorboardVisBackend', 'TrainingPreempted', 'WorkDirInUseError',
    'check_config', 'gather_rows'
]
