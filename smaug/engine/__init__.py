"""Re-exports."""
from .answer_list_hook import AnswerListHook
from .auto_amp_optim_wrapper import AutoAmpOptimWrapper
from .checkpoint_loading import (UnreadableCheckpointError,
                                 UntrustedCheckpointError,
                                 load_checkpoint_file, load_local_checkpoint,
                                 use_weights_only_loader)
from .config_validation import ConfigError, check_config
from .crash_safe_checkpoint_hook import CrashSafeCheckpointHook
from .exact_resume_hook import ExactResumeHook
from .gumbel_temperature_hook import GumbelTemperatureHook
from .hard_negative_warmup_hook import HardNegativeWarmupHook
from .nonfinite_guard import (GuardedAmpOptimWrapper, GuardedOptimWrapper,
                              NonFiniteGuardMixin, NonFiniteLossError)
from .nonfinite_loss_hook import NonFiniteLossHook
from .preemption_hook import PreemptionHook, TrainingPreempted
from .protocol_record_hook import ProtocolRecordHook
from .retrieval_loops import RetrievalTestLoop, RetrievalValLoop, gather_rows
from .runner import SMAUGRunner
from .tensorboard_vis_backend import SMAUGTensorboardVisBackend
from .visualization_hook import PretrainVisualizationHook
from .work_dir_lock import WorkDirInUseError

__all__ = [
    'ConfigError', 'CrashSafeCheckpointHook', 'ExactResumeHook',
    'GuardedAmpOptimWrapper', 'GuardedOptimWrapper', 'NonFiniteGuardMixin',
    'NonFiniteLossError', 'NonFiniteLossHook', 'check_config',
    'AnswerListHook',
    'GumbelTemperatureHook', 'HardNegativeWarmupHook',
    'PreemptionHook', 'PretrainVisualizationHook', 'ProtocolRecordHook',
    'AutoAmpOptimWrapper', 'RetrievalTestLoop', 'RetrievalValLoop',
    'SMAUGRunner', 'SMAUGTensorboardVisBackend', 'TrainingPreempted',
    'UnreadableCheckpointError', 'UntrustedCheckpointError',
    'WorkDirInUseError', 'gather_rows', 'load_checkpoint_file',
    'load_local_checkpoint', 'use_weights_only_loader'
]
