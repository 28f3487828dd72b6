"""DualEncoderPretrain: CLIP-style image-text pre-training with BERT's MLM."""
import torch
from mmengine.model import BaseModel

from smaug.registry import MODELS


@MODELS.register_module()
class DualEncoderPretrain(BaseModel):
    """A visual and a text encoder trained side by side: contrastive on
    (frame, caption) pairs as CLIP is, and masked language modeling on the
    captions alone as BERT is. No cross-modal layer.

    It makes stand-ins for the weights SMAUG starts from when the real ones
    are out of reach (CPU studies on the synthetic corpus): its visual
    encoder exports as a CLIP visual tower and its text encoder with the MLM
    head as a Hugging Face BERT (``tools/model_converters/
    smaug_to_clip_bert.py``), which SMAUG's configs load through the same
    ``init_cfg`` as ``ViT-B-16.pt`` and ``bert-base-uncased``.

    Args:
        backbone (dict): Visual encoder (``SparseMAEViT``, dense).
        text_encoder (dict): ``BertTextEncoder`` with as many layers as the
            BERT to export (SMAUG's text plus multimodal layers).
        vtc_head (dict): ``VTCHead``.
        mlm_head (dict, optional): ``BertMLMHead``; None trains VTC alone.
        data_preprocessor (dict): ``VideoTextDataPreprocessor``.
        init_cfg (dict, optional): Initialisation of the whole model.
    """

    def __init__(self, backbone, text_encoder, vtc_head, mlm_head=None,
                 data_preprocessor=None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.text_encoder = MODELS.build(text_encoder)
        self.vtc_head = MODELS.build(vtc_head)
        self.mlm_head = MODELS.build(mlm_head) if mlm_head else None
        if self.mlm_head is not None:
            self.mlm_head.tie_weights(
                self.text_encoder.embeddings.word_embeddings)

    def forward(self, inputs, data_samples=None, text=None, mode='loss'):
        """mmengine's entry point; only ``'loss'`` (validation goes through
        the retrieval loops and :meth:`extract_video_feats`).

        Args:
            inputs (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): Unused.
            text (dict): ``input_ids`` and ``attention_mask`` (B, P).
            mode (str): ``'loss'``.
        """
        if mode != 'loss' or text is None:
            raise ValueError('DualEncoderPretrain trains on captioned frames '
                             f'(mode="loss" with text), got mode={mode!r}.')
        return self.loss(inputs, text)

    def loss(self, frames, text):
        """VTC, and MLM when the model has an MLM head.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            text (dict): ``input_ids`` and ``attention_mask`` (B, P).

        Returns:
            dict[str, Tensor]: ``loss_vtc`` and ``loss_mlm``.
        """
        ids, mask = text['input_ids'], text['attention_mask']
        video_emb = self.extract_video_feats(frames)['emb']
        if self.mlm_head is None:
            text_hidden = self.text_encoder(ids, mask)
        else:
            preprocessor = self.data_preprocessor
            masked_ids, labels = self.mlm_head.mask_tokens(
                ids, preprocessor.special_tokens_mask(ids),
                preprocessor.vocab_size, preprocessor.mask_token_id)
            text_hidden, masked_hidden = self.text_encoder(
                torch.cat([ids, masked_ids]), mask.repeat(2, 1)).chunk(2)
        text_emb = self.vtc_head.embed_text(text_hidden[:, 0])
        losses = dict(loss_vtc=self.vtc_head.loss(video_emb, text_emb))
        if self.mlm_head is not None:
            losses['loss_mlm'] = self.mlm_head.loss(masked_hidden, labels)
        return losses

    def extract_video_feats(self, inputs):
        """Unit-norm VTC embeddings of clips: the mean of the frames' [CLS].

        Args:
            inputs (Tensor): (B, K, 3, H, W) normalised frames.

        Returns:
            dict: ``emb`` (B, E).
        """
        tokens = self.backbone(inputs).tokens
        return dict(emb=self.vtc_head.embed_video(tokens[:, :, 0].mean(1)))

    def extract_text_feats(self, texts):
        """Unit-norm VTC embeddings of captions.

        Args:
            texts (list[str]): Captions.

        Returns:
            dict: ``emb`` (n, E).
        """
        text = self.data_preprocessor.tokenize(texts)
        hidden = self.text_encoder(text['input_ids'], text['attention_mask'])
        return dict(emb=self.vtc_head.embed_text(hidden[:, 0]))
