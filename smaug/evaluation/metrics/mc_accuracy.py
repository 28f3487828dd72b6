"""Multiple-choice accuracy (MSRVTT-MC)."""
from smaug.registry import METRICS
from .sample_accuracy import SampleAccuracy


@METRICS.register_module()
class MCAccuracy(SampleAccuracy):
    """Percentage of clips whose ``pred_index`` (``SMAUGMultipleChoice``)
    is their ``answer_index`` (``VideoMCDataset``).

    Args:
        collect_device (str): ``'cpu'`` or ``'gpu'``.
        prefix (str, optional): Defaults to ``'mc'``.
    """
    default_prefix = 'mc'
    pred_field = ('pred_index', 'SMAUGMultipleChoice, mode="predict"')
    truth_field = ('answer_index', 'VideoMCDataset')

    def is_right(self, prediction, truth) -> bool:
        """Whether the chosen option index is the answer's."""
        return int(prediction) == int(truth)
