"""Accuracy of one prediction per data sample, the base of the QA and
multiple-choice metrics."""
from typing import Dict, List, Sequence

from mmengine.evaluator import BaseMetric


class SampleAccuracy(BaseMetric):
    """Percentage of data samples whose prediction is right. Subclasses name
    :attr:`pred_key`, :attr:`truth_key`, their :attr:`sources` (for the
    error of a sample lacking one) and :meth:`is_right`.
    """
    pred_key: str
    truth_key: str
    sources: str

    def is_right(self, prediction, truth) -> bool:
        """Whether ``prediction`` equals ``truth``."""
        raise NotImplementedError

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Record whether each sample's prediction is right."""
        for sample in data_samples:
            missing = [key for key in (self.pred_key, self.truth_key)
                       if key not in sample]
            if missing:
                raise KeyError(
                    f'{type(self).__name__}: a data sample lacks {missing}; '
                    f'it needs {self.sources}.')
            self.results.append(
                self.is_right(sample[self.pred_key], sample[self.truth_key]))

    def compute_metrics(self, results: List[bool]) -> Dict[str, float]:
        """Accuracy in percent over the recorded samples."""
        return dict(accuracy=100.0 * sum(results) / len(results))
