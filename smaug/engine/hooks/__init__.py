"""Re-exports."""
from .answer_list_hook import AnswerListHook
from .crash_safe_checkpoint_hook import CrashSafeCheckpointHook
from .exact_resume_hook import ExactResumeHook
from .gumbel_temperature_hook import GumbelTemperatureHook
from .hard_negative_warmup_hook import HardNegativeWarmupHook
from .keep_rate_warmup_hook import KeepRateWarmupHook
from .nonfinite_loss_hook import NonFiniteLossHook
from .preemption_hook import PreemptionHook, TrainingPreempted
from .protocol_record_hook import ProtocolRecordHook
from .rank_watchdog_hook import RankWatchdogHook
from .unmasked_tuning_hook import UnmaskedTuningHook
from .visualization_hook import PretrainVisualizationHook

__all__ = [
    'AnswerListHook', 'CrashSafeCheckpointHook', 'ExactResumeHook',
    'GumbelTemperatureHook', 'HardNegativeWarmupHook', 'KeepRateWarmupHook',
    'NonFiniteLossHook', 'PreemptionHook', 'PretrainVisualizationHook',
    'ProtocolRecordHook', 'RankWatchdogHook', 'TrainingPreempted',
    'UnmaskedTuningHook'
]
