"""Re-exports."""
from .answer_list_hook import AnswerListHook
from .auto_amp_optim_wrapper import AutoAmpOptimWrapper
from .checkpoint_loading import (UntrustedCheckpointError,
                                 load_local_checkpoint)
from .gumbel_temperature_hook import GumbelTemperatureHook
from .retrieval_loops import (RetrievalTestLoop, RetrievalValLoop,
                              gather_rows, merge_rerank_scores)
from .runner import SMAUGRunner
from .visualization_hook import PretrainVisualizationHook

__all__ = [
    'AnswerListHook',
    'GumbelTemperatureHook', 'PretrainVisualizationHook',
    'AutoAmpOptimWrapper', 'RetrievalTestLoop', 'RetrievalValLoop',
    'SMAUGRunner',
    'UntrustedCheckpointError', 'gather_rows', 'load_local_checkpoint',
    'merge_rerank_scores'
]
