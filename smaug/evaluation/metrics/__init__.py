"""Re-exports."""
from .retrieval_metric import (RetrievalMetric, ground_truth_masks,
                               rank_summary, retrieval_ranks)

__all__ = [
    'RetrievalMetric', 'ground_truth_masks', 'rank_summary', 'retrieval_ranks'
]
