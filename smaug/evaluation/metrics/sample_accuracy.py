"""Accuracy of one prediction per data sample, the base of the QA and
multiple-choice metrics."""
from typing import Dict, List, Sequence

from mmengine.evaluator import BaseMetric


class SampleAccuracy(BaseMetric):
    """Percentage of data samples whose prediction is right.

    A subclass names the prediction and ground-truth keys of a data sample
    (:attr:`pred_key`, :attr:`truth_key`), where they come from
    (:attr:`sources`, for the error of a sample that lacks one) and how the
    two compare (:meth:`is_right`). In distributed testing mmengine's
    BaseMetric gathers the per-sample results and drops the sampler's
    padding.
    """
    pred_key: str
    truth_key: str
    sources: str

    def is_right(self, prediction, truth) -> bool:
        """Whether a prediction equals its ground truth.

        Args:
            prediction: The sample's :attr:`pred_key` value.
            truth: Its :attr:`truth_key` value.
        """
        raise NotImplementedError

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Record whether each prediction is right.

        Args:
            data_batch: Unused.
            data_samples (Sequence[dict]): The model's outputs as dicts.
        """
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
        """Accuracy in percent over all samples.

        Args:
            results (list[bool]): One entry per sample.
        """
        return dict(accuracy=100.0 * sum(results) / len(results))
