"""Multiple-choice accuracy (MSRVTT-MC)."""
from typing import Optional

from smaug.registry import METRICS
from .sample_accuracy import SampleAccuracy


@METRICS.register_module()
class MCAccuracy(SampleAccuracy):
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
    pred_key = 'pred_index'
    truth_key = 'answer_index'
    sources = ('"pred_index" (SMAUGMultipleChoice, mode="predict") and '
               '"answer_index" (VideoMCDataset)')

    def __init__(self,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)

    def is_right(self, prediction, truth) -> bool:
        """Whether the chosen option index is the answer's."""
        return int(prediction) == int(truth)
