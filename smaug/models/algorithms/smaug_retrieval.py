"""SMAUGRetrieval: text-video retrieval fine-tuning with VTC and VTM."""
from smaug.registry import MODELS
from .smaug_retrieval_base import SMAUGRetrievalBase


@MODELS.register_module()
class SMAUGRetrieval(SMAUGRetrievalBase):
    """Text-video retrieval: VTC + VTM fine-tuning (paper Sec. 4.1).

    A pre-training checkpoint loads as it is (``load_from``); its MLM and MVM
    weights are reported unused.

    Args:
        mlm_head (None): Must be None: a retrieval config switches off the
            heads of the pre-training config it inherits.
        mvm_head (None): As ``mlm_head``.
        **kwargs: See :class:`SMAUGRetrievalBase`.
    """

    def __init__(self, mlm_head=None, mvm_head=None, **kwargs):
        if mlm_head or mvm_head:
            raise ValueError(
                'smaug/models/algorithms/smaug_retrieval.py: '
                f'{type(self).__name__} trains VTC and VTM only; set '
                'mlm_head=None and mvm_head=None, or train MLM and MVM with '
                "type='SMAUGPretrain'.")
        super().__init__(**kwargs)

    def loss(self, frames, data_samples, text):
        """VTC and VTM over the whole batch.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): Captions and video paths.
            text (dict): ``input_ids`` and ``attention_mask`` (B, P).

        Returns:
            dict[str, Tensor]: ``loss_vtc``, ``loss_vtm``, ``vtc_temperature``.
        """
        feats = self.accumulation(self.encode_pairs, frames, text)
        video_emb, text_emb = self.embed_pairs(feats)
        return dict(
            loss_vtc=self.vtc_head.loss(video_emb, text_emb),
            loss_vtm=self.vtm_loss(feats, text['attention_mask'], video_emb,
                                   text_emb, data_samples),
            vtc_temperature=self.vtc_head.temperature.detach())
