"""Open-ended video QA accuracy (MSRVTT-QA, ActivityNet-QA)."""
from typing import Optional

from smaug.datasets.transforms.text_cleaning import clean_text
from smaug.registry import METRICS
from .sample_accuracy import SampleAccuracy


@METRICS.register_module()
class QAAccuracy(SampleAccuracy):
    """Percentage of questions whose ``pred_answer`` (``SMAUGQA``) equals
    the ``answer``, both cleaned as the questions are (lower case, no
    punctuation, single spaces).

    Args:
        clean (bool): Clean both before comparing. Defaults to True.
        collect_device (str): ``'cpu'`` or ``'gpu'``.
        prefix (str, optional): Defaults to ``'qa'``.
    """
    default_prefix = 'qa'
    pred_field = ('pred_answer', 'SMAUGQA, mode="predict"')
    truth_field = ('answer', 'VideoQADataset')

    def __init__(self,
                 clean: bool = True,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.clean = clean

    def is_right(self, prediction, truth) -> bool:
        """Whether the answers are equal (after cleaning, if ``clean``)."""
        if self.clean:
            prediction, truth = clean_text(prediction), clean_text(truth)
        return prediction == truth
