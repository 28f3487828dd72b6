"""Re-exports."""
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
    'AnswerListHook', 'AutoAmpOptimWrapper',
    'CrashSafeCheckpointHook', 'ExactResumeHook', 'GuardedAmpOptimWrapper',
    'GuardedOptimWrapper', 'GumbelTemperatureHook', 'HardNegativeWarmupHook',
    'NonFiniteGuardMixin', 'NonFiniteLossError', 'NonFiniteLossHook',
    'PreemptionHook', 'PretrainVisualizationHook', 'ProtocolRecordHook',
    'RetrievalTestLoop', 'RetrievalValLoop', 'SMAUGRunner',
    'SMAUGTensorboardVisBackend', 'TrainingPreempted', 'WorkDirInUseError',
    'gather_rows'
]
