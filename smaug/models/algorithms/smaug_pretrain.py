"""SMAUGPretrain: the pre-training model of SMAUG (paper Fig. 2, eq. 6)."""
import torch

from smaug.registry import MODELS
from .exact_accumulation import WeightedMean
from .smaug_retrieval_base import SMAUGRetrievalBase


@MODELS.register_module()
class SMAUGPretrain(SMAUGRetrievalBase):
    """Sparse masked video-language pre-training: VTC, VTM, MLM and MVM,
    summed, each logged on its own.

    Args:
        vtc_head (dict): ``VTCHead``.
        vtm_head (dict): ``VTMHead``.
        mlm_head (dict, optional): ``BertMLMHead``; None disables MLM.
        mvm_head (dict, optional): ``MAEPixelDecoder``; None disables MVM.
        tie_mlm_weights (bool): Share the MLM decoder weight with the word
            embeddings, as BERT. Defaults to True.
        **kwargs: See :class:`SMAUGRetrievalBase`.
    """

    def __init__(self,
                 vtc_head,
                 vtm_head,
                 mlm_head=None,
                 mvm_head=None,
                 tie_mlm_weights=True,
                 **kwargs):
        super().__init__(vtc_head, vtm_head,
                         extra_heads=dict(mlm_head=mlm_head,
                                          mvm_head=mvm_head),
                         **kwargs)
        if self.mlm_head is not None and tie_mlm_weights:
            self.mlm_head.tie_weights(
                self.text_encoder.embeddings.word_embeddings)

    def loss(self, frames, data_samples, text):
        """The four pre-training losses over the whole batch; the arguments
        are :meth:`SMAUGRetrieval.loss`'s.

        Returns:
            dict[str, Tensor]: ``loss_vtc``, ``loss_vtm``, ``loss_mlm``,
            ``loss_mvm`` (those whose head is on), ``vtc_temperature``.
        """
        # Masking first: it holds the step's one host-device sync, which
        # costs least before any work is queued.
        mlm = self.mask_captions(text) if self.mlm_head is not None else None
        feats = self.accumulation(self.encode_pairs, frames, text,
                                  None if mlm is None else mlm['masked_ids'])
        text_mask = text['attention_mask']
        video_emb, text_emb = self.embed_pairs(feats)
        losses = dict(
            loss_vtc=self.vtc_head.loss(video_emb, text_emb),
            loss_vtm=self.vtm_loss(feats, text_mask, video_emb, text_emb,
                                   data_samples))
        if mlm is not None:
            fused = self.accumulation(self.fuse, feats['video_tokens'],
                                      feats['masked_hidden'], text_mask)
            losses['loss_mlm'] = self.mlm_head.loss(fused, mlm['labels'],
                                                    mlm['labelled'])
        if self.mvm_head is not None:
            losses['loss_mvm'] = feats['loss_mvm'].mean
        losses['vtc_temperature'] = self.vtc_head.temperature.detach()
        return losses

    def mask_captions(self, text):
        """BERT masking of the captions ``text`` for MLM: ``masked_ids``
        (B, P), ``labels`` (B, P; -100 where not predicted) and ``labelled``
        (n,), the flat indices of the labelled tokens.
        """
        preprocessor = self.data_preprocessor
        input_ids = text['input_ids']
        masked_ids, labels = self.mlm_head.mask_tokens(
            input_ids, preprocessor.special_tokens_mask(input_ids),
            preprocessor.vocab_size, preprocessor.mask_token_id)
        return dict(masked_ids=masked_ids, labels=labels,
                    labelled=self.mlm_head.labelled_index(labels))

    def encode_pairs(self, frames, text, masked_ids=None):
        """The encoders over clips, captions and masked captions, and the
        MVM loss (it needs the backbone's full output).

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            text (dict): ``input_ids`` and ``attention_mask`` (B, P).
            masked_ids (Tensor, optional): (B, P) MLM-masked ids.

        Returns:
            dict: ``video_tokens`` (B, K, 1 + T, C), ``text_hidden`` and
            ``masked_hidden`` (B, P, D; None without ``masked_ids``) and, with
            MVM, ``loss_mvm`` (:class:`WeightedMean` over masked patches).
        """
        visual, video_tokens = self.encode_video(frames)
        text_hidden, masked_hidden = self.encode_captions(text, masked_ids)
        feats = dict(video_tokens=video_tokens, text_hidden=text_hidden,
                     masked_hidden=masked_hidden)
        if self.mvm_head is not None:
            feats['loss_mvm'] = WeightedMean(self.mvm_loss(visual, frames),
                                             visual.mask.sum())
        return feats

    def encode_captions(self, text, masked_ids=None):
        """Text encoder states (B, P, D) of the captions and of their masked
        copies (None without ``masked_ids``), in one batch.
        """
        input_ids, attention_mask = text['input_ids'], text['attention_mask']
        if masked_ids is None:
            return self.text_encoder(input_ids, attention_mask), None
        hidden = self.text_encoder(torch.cat([input_ids, masked_ids]),
                                   attention_mask.repeat(2, 1))
        return hidden.chunk(2)

    def mvm_loss(self, visual, frames):
        """Pixel reconstruction (MAE) of the masked patches of ``frames``
        (B, K, 3, H, W) from the backbone's ``SparseViTOutput``.
        """
        patch = self.backbone.patch_size
        grid = (frames.shape[-2] // patch, frames.shape[-1] // patch)
        pred = self.mvm_head(visual.tokens, visual.token_positions, grid)
        return self.mvm_head.loss(pred, frames, visual.mask)
