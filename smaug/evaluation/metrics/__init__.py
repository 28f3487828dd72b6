"""Re-exports."""
from .mc_accuracy import MCAccuracy
from .qa_accuracy import QAAccuracy
from .retrieval_metric import (RetrievalMetric, ground_truth_masks,
                               rank_summary, retrieval_ranks)

__all__ = [
    'MCAccuracy', 'QAAccuracy', 'RetrievalMetric', 'ground_truth_masks',
    'rank_summary', 'retrieval_ranks'
]
