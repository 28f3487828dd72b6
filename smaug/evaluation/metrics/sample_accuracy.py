"""Accuracy of one prediction per data sample, the base of the QA and
multiple-choice metrics."""
from typing import Dict, List, Sequence, Tuple

from mmengine.evaluator import BaseMetric


class SampleAccuracy(BaseMetric):
    """Percentage of data samples whose prediction is right. Subclasses name
    :attr:`pred_field` and :attr:`truth_field`, each a data sample key and
    what fills it (for the error of a sample lacking one), and
    :meth:`is_right`.
    """
    pred_field: Tuple[str, str]
    truth_field: Tuple[str, str]

    def is_right(self, prediction, truth) -> bool:
        """Whether ``prediction`` equals ``truth``."""
        raise NotImplementedError

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Record whether each sample's prediction is right."""
        (pred_key, pred_source), (truth_key, truth_source) = (
            self.pred_field, self.truth_field)
        for sample in data_samples:
            missing = [key for key in (pred_key, truth_key)
                       if key not in sample]
            if missing:
                raise KeyError(
                    f'{type(self).__name__}: a data sample lacks {missing}; '
                    f'it needs "{pred_key}" ({pred_source}) and '
                    f'"{truth_key}" ({truth_source}).')
            self.results.append(
                self.is_right(sample[pred_key], sample[truth_key]))

    def compute_metrics(self, results: List[bool]) -> Dict[str, float]:
        """Accuracy in percent over the recorded samples."""
        return dict(accuracy=100.0 * sum(results) / len(results))
