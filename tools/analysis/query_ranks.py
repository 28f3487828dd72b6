"""A retrieval metric that also keeps every text query's rank, for
intervals over the test set (``recall_intervals.py``)."""
import sys

import numpy as np
import torch

from smaug.evaluation.metrics.retrieval_metric import (RetrievalMetric,
                                                       ground_truth_masks,
                                                       retrieval_ranks)
from smaug.registry import METRICS


@METRICS.register_module()
class QueryRankMetric(RetrievalMetric):
    """:class:`RetrievalMetric` that keeps, per text query, its
    text-to-video rank (``ranks``: re-ranked; ``vtc_ranks``: VTC alone) and
    its video (``query_video``)."""

    def compute_metrics(self, results):
        """Keep the ranks, then compute as usual.

        Args:
            results (list[dict]): The loop's one result.
        """
        result = results[0]
        for attribute, key in (('ranks', 't2v_scores'),
                               ('vtc_ranks', 't2v_vtc_scores')):
            scores = torch.as_tensor(result[key])
            gt = ground_truth_masks(result['text_to_video'], scores.shape[1])
            setattr(self, attribute, retrieval_ranks(scores, gt).numpy())
        self.query_video = np.array(
            [min(videos) for videos in result['text_to_video']])
        return super().compute_metrics(results)


if __name__ == '__main__':
    sys.exit('query_ranks.py is a module of mini_ablation.py and '
             'table7_study.py, not a command: run python '
             'tools/analysis/table7_study.py --help')
