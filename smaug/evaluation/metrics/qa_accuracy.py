"""Open-ended video QA accuracy (MSRVTT-QA, ActivityNet-QA)."""
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric

from smaug.datasets.transforms.text_cleaning import clean_text
from smaug.registry import METRICS


@METRICS.register_module()
class QAAccuracy(BaseMetric):
    """Percentage of questions whose predicted answer equals the ground truth.

    Both strings go through the same cleaning before an exact comparison:
    :func:`~smaug.datasets.transforms.text_cleaning.clean_text` (lower case,
    punctuation dropped, spaces collapsed), the cleaning of the questions.
    The data samples need ``pred_answer`` (from ``SMAUGQA``'s predict mode)
    and ``answer``. In distributed testing mmengine's BaseMetric gathers the
    per-question results and drops the sampler's padding.

    Args:
        clean (bool): Clean both answers before comparing; False compares
            them verbatim. Defaults to True.
        collect_device (str): ``'cpu'`` or ``'gpu'``, for gathering.
        prefix (str, optional): Metric name prefix. Defaults to ``'qa'``.
    """
    default_prefix = 'qa'

    def __init__(self,
                 clean: bool = True,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.clean = clean

    def _normalise(self, answer: str) -> str:
        return clean_text(answer) if self.clean else answer

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Record whether each prediction is right.

        Args:
            data_batch: Unused.
            data_samples (Sequence[dict]): The model's outputs as dicts.
        """
        for sample in data_samples:
            missing = [key for key in ('pred_answer', 'answer')
                       if key not in sample]
            if missing:
                raise KeyError(
                    f'QAAccuracy: a data sample lacks {missing}; it needs '
                    '"pred_answer" (SMAUGQA, mode="predict") and "answer" '
                    '(VideoQADataset).')
            self.results.append(
                self._normalise(sample['pred_answer']) ==
                self._normalise(sample['answer']))

    def compute_metrics(self, results: List[bool]) -> Dict[str, float]:
        """Accuracy in percent over all questions.

        Args:
            results (list[bool]): One entry per question.
        """
        return dict(accuracy=100.0 * sum(results) / len(results))
