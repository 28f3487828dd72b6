"""Multiple-choice accuracy (MSRVTT-MC)."""
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric

from smaug.registry import METRICS


@METRICS.register_module()
class MCAccuracy(BaseMetric):
    """Percentage of clips whose chosen option is the right one.

    The data samples need ``pred_index`` (from ``SMAUGMultipleChoice``'s
    predict mode) and ``answer_index`` (``VideoMCDataset``). In distributed
    testing mmengine's BaseMetric gathers the results and drops the
    sampler's padding.

    Args:
        collect_device (str): ``'cpu'`` or ``'gpu'``, for gathering.
        prefix (str, optional): Metric name prefix. Defaults to ``'mc'``.
    """
    default_prefix = 'mc'

    def __init__(self,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Record whether each choice is right.

        Args:
            data_batch: Unused.
            data_samples (Sequence[dict]): The model's outputs as dicts.
        """
        for sample in data_samples:
            missing = [key for key in ('pred_index', 'answer_index')
                       if key not in sample]
            if missing:
                raise KeyError(
                    f'MCAccuracy: a data sample lacks {missing}; it needs '
                    '"pred_index" (SMAUGMultipleChoice, mode="predict") and '
                    '"answer_index" (VideoMCDataset).')
            self.results.append(
                int(sample['pred_index']) == int(sample['answer_index']))

    def compute_metrics(self, results: List[bool]) -> Dict[str, float]:
        """Accuracy in percent over all clips.

        Args:
            results (list[bool]): One entry per clip.
        """
        return dict(accuracy=100.0 * sum(results) / len(results))
