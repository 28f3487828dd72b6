"""SMAUGRetrieval: the pre-training model fine-tuned for retrieval."""
from smaug.registry import MODELS
from .smaug_pretrain import SMAUGPretrain


@MODELS.register_module()
class SMAUGRetrieval(SMAUGPretrain):
    """Text-video retrieval model: VTC + VTM, no MLM or MVM (paper Sec. 4.1).

    The architecture and parameter names are the pre-training model's, so a
    pre-training checkpoint loads as it is (``load_from``); its MLM and MVM
    weights are reported as unused. MLM and MVM are off and the backbone's
    tube masking should be 0 (the configs set it) unless an experiment asks
    otherwise; frame selection and token sparsification stay as configured.
    Evaluation goes through the retrieval loops (VTC ranking, then VTM
    re-scoring of the top-k).

    Args:
        mlm_head (dict, optional): Defaults to None (no MLM).
        mvm_head (dict, optional): Defaults to None (no MVM).
        **kwargs: The other arguments of :class:`SMAUGPretrain`.
    """

    def __init__(self, mlm_head=None, mvm_head=None, **kwargs):
        super().__init__(mlm_head=mlm_head, mvm_head=mvm_head, **kwargs)
