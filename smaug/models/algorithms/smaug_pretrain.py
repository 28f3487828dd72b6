"""SMAUGPretrain: the pre-training model of SMAUG (paper Fig. 2, eq. 6)."""
import torch
from mmengine.model import BaseModel

from smaug.registry import MODELS


@MODELS.register_module()
class SMAUGPretrain(BaseModel):
    """Sparse masked video-language pre-training with VTC, VTM, MLM and MVM.

    One step (DESIGN.md, "One pre-training step"): the clip's frames go
    through the sparse MAE ViT (tube masking, token sparsification); its
    tokens feed the MAE pixel decoder (MVM) and, after the temporal encoder,
    the VTC head together with the text encoder's [CLS]. For VTM and MLM the
    text-guided frame selector keeps kappa frames per (clip, caption) pair
    and the multimodal encoder cross-attends to their tokens. The loss is the
    plain sum of the four terms, each logged on its own.

    Every component is built from its config through the MODELS registry,
    so any of them can be replaced by a user's registered module with the
    same interface. Optional parts (``temporal_encoder``, ``frame_selector``,
    ``mlm_head``, ``mvm_head``) may be None: the dense baseline and the
    retrieval model are this class with parts switched off.

    Args:
        backbone (dict): Visual encoder Q_v (``SparseMAEViT``).
        text_encoder (dict): Text encoder Q_l (``BertTextEncoder``).
        multimodal_encoder (dict): Q_m (``BertMultimodalEncoder``).
        vtc_head (dict): ``VTCHead``.
        vtm_head (dict): ``VTMHead``.
        mlm_head (dict, optional): ``BertMLMHead``; None disables MLM.
        mvm_head (dict, optional): ``MAEPixelDecoder``; None disables MVM.
        temporal_encoder (dict, optional): Q_t (``TemporalEncoder``); None
            for single-frame models.
        frame_selector (dict, optional): S (``TextGuidedFrameSelector``);
            None keeps every frame.
        num_selected_frames (int, optional): kappa in training; None keeps
            every frame.
        num_test_selected_frames (int, optional): kappa at test (retrieval
            re-ranking, QA); None keeps every frame.
        tie_mlm_weights (bool): Share the MLM decoder weight with the word
            embeddings, as BERT does. Defaults to True.
        compile (bool | dict): Compile the Transformer components
            (``COMPILED_PARTS``) in place with ``torch.compile``
            (``nn.Module.compile``: parameter names, and so checkpoints,
            are unchanged); a dict gives torch.compile's options, e.g.
            ``dict(mode='max-autotune')``. Unlike the Runner's
            ``cfg.compile``, which compiles the whole ``train_step``, this
            leaves the tokenizer, the loss bookkeeping and the optimizer
            eager. Defaults to False.
        data_preprocessor (dict): ``VideoTextDataPreprocessor``.
        init_cfg (dict, optional): Initialisation of the whole model.
    """

    # Components that ``compile`` compiles (those that are not None).
    COMPILED_PARTS = ('backbone', 'temporal_encoder', 'text_encoder',
                      'multimodal_encoder', 'mvm_head')

    def __init__(self,
                 backbone,
                 text_encoder,
                 multimodal_encoder,
                 vtc_head,
                 vtm_head,
                 mlm_head=None,
                 mvm_head=None,
                 temporal_encoder=None,
                 frame_selector=None,
                 num_selected_frames=None,
                 num_test_selected_frames=None,
                 tie_mlm_weights=True,
                 compile=False,
                 data_preprocessor=None,
                 init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.text_encoder = MODELS.build(text_encoder)
        self.multimodal_encoder = MODELS.build(multimodal_encoder)
        self.vtc_head = MODELS.build(vtc_head)
        self.vtm_head = MODELS.build(vtm_head)
        self.mlm_head = MODELS.build(mlm_head) if mlm_head else None
        self.mvm_head = MODELS.build(mvm_head) if mvm_head else None
        self.temporal_encoder = (MODELS.build(temporal_encoder)
                                 if temporal_encoder else None)
        self.frame_selector = (MODELS.build(frame_selector)
                               if frame_selector else None)
        self.num_selected_frames = num_selected_frames
        self.num_test_selected_frames = num_test_selected_frames
        if self.mlm_head is not None and tie_mlm_weights:
            self.mlm_head.tie_weights(
                self.text_encoder.embeddings.word_embeddings)
        if compile:
            options = compile if isinstance(compile, dict) else {}
            for name in self.COMPILED_PARTS:
                part = getattr(self, name)
                if part is not None:
                    part.compile(**options)

    @property
    def may_leave_parameters_unused(self):
        """Whether a training step can leave parameters without gradient:
        a one-frame clip (an image) passes the temporal encoder and the frame
        selector by. DDP must then look for unused parameters every step,
        which :class:`~smaug.engine.SMAUGRunner` sets from this property;
        steps that skip them then leave their gradients None, as without
        DDP (a zero loss term would let AdamW move them instead)."""
        return (self.temporal_encoder is not None
                or self.frame_selector is not None)

    # ------------------------------------------------------------------
    # Building blocks shared by training and the retrieval contract
    # ------------------------------------------------------------------
    def encode_video(self, frames):
        """Visual encoder then temporal encoder.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.

        Returns:
            tuple[SparseViTOutput, Tensor]: the backbone's output and the
            temporally encoded tokens (B, K, 1 + T, C).
        """
        visual = self.backbone(frames)
        tokens = visual.tokens
        if self.temporal_encoder is not None:
            tokens = self.temporal_encoder(tokens)
        return visual, tokens

    def select_frames(self, video_tokens, text_cls):
        """Keep the frames the selector ranks best for each caption.

        Args:
            video_tokens (Tensor): (n, K, 1 + T, C), one clip per pair.
            text_cls (Tensor): (n, D) the paired captions' [CLS].

        Returns:
            Tensor: (n, kappa, 1 + T, C).
        """
        kappa = (self.num_selected_frames
                 if self.training else self.num_test_selected_frames)
        num_frames = video_tokens.shape[1]
        if self.frame_selector is None or kappa is None or \
                kappa >= num_frames:
            return video_tokens
        scores = self.frame_selector(video_tokens[:, :, 0], text_cls)
        return self.frame_selector.select(video_tokens, scores, kappa)

    def fuse(self, video_tokens, text_hidden, text_mask):
        """Multimodal encoder over each (clip, caption) pair.

        Args:
            video_tokens (Tensor): (n, K, 1 + T, C).
            text_hidden (Tensor): (n, P, D) text encoder output.
            text_mask (Tensor): (n, P) attention mask of the captions.

        Returns:
            Tensor: (n, P, D) fused states; [CLS] first.
        """
        selected = self.select_frames(video_tokens, text_hidden[:, 0])
        return self.multimodal_encoder(text_hidden, text_mask,
                                       selected.flatten(1, 2))

    # ------------------------------------------------------------------
    # Training
    # ------------------------------------------------------------------
    def forward(self, inputs, data_samples=None, text=None, mode='loss'):
        """mmengine's entry point.

        Args:
            inputs (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): Per-clip metadata.
            text (dict, optional): Tokenised captions (``input_ids``,
                ``attention_mask``) from the data preprocessor.
            mode (str): ``'loss'`` for training; ``'predict'`` returns the
                data samples with their VTC ``video_emb``.
        """
        if mode == 'loss':
            if text is None:
                raise ValueError(
                    'SMAUGPretrain needs one caption string per clip for '
                    'training (the samples\' "text" field).')
            return self.loss(inputs, data_samples, text)
        if mode == 'predict':
            video_emb = self.extract_video_feats(inputs)['emb']
            for sample, emb in zip(data_samples, video_emb):
                sample.set_field(emb, 'video_emb')
            return data_samples
        raise ValueError(f'Unsupported mode {mode!r}: use "loss" or '
                         '"predict" (retrieval uses RetrievalValLoop).')

    def loss(self, frames, data_samples, text):
        """The four pre-training losses.

        Order of work: the MLM masking first (it has the step's only
        host-device sync, see :meth:`mask_captions`), then the visual side,
        then one text-encoder pass over the captions and their masked copies
        together.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): Per-clip metadata (captions).
            text (dict): ``input_ids`` and ``attention_mask`` (B, P).

        Returns:
            dict[str, Tensor]: ``loss_vtc``, ``loss_vtm`` and, when enabled,
            ``loss_mlm`` and ``loss_mvm``, plus logged settings.
        """
        mlm = self.mask_captions(text) if self.mlm_head is not None else None
        visual, video_tokens = self.encode_video(frames)
        text_mask = text['attention_mask']
        text_hidden, masked_hidden = self.encode_captions(
            text, None if mlm is None else mlm['masked_ids'])
        video_emb, text_emb = self.vtc_head(video_tokens[:, :, 0].mean(1),
                                            text_hidden[:, 0])
        losses = dict(loss_vtc=self.vtc_head.loss(video_emb, text_emb))
        losses['loss_vtm'] = self.vtm_loss(video_tokens, text_hidden,
                                           text_mask, video_emb, text_emb,
                                           data_samples)
        if mlm is not None:
            losses['loss_mlm'] = self.mlm_loss(video_tokens, masked_hidden,
                                               text_mask, mlm)
        if self.mvm_head is not None:
            losses['loss_mvm'] = self.mvm_loss(visual, frames)
        losses['vtc_temperature'] = self.vtc_head.temperature.detach()
        return losses

    def mask_captions(self, text):
        """BERT masking of the captions for MLM.

        The labelled tokens' indices are gathered here too: their number
        depends on the random draw, so the host has to wait for the device,
        which costs least at the start of the step, before the forward pass
        is queued.

        Args:
            text (dict): ``input_ids`` and ``attention_mask`` (B, P).

        Returns:
            dict: ``masked_ids`` (B, P), ``labels`` (B, P) (-100 where not
            predicted) and ``labelled`` (n,) flat indices of the labelled
            tokens.
        """
        preprocessor = self.data_preprocessor
        input_ids = text['input_ids']
        masked_ids, labels = self.mlm_head.mask_tokens(
            input_ids, preprocessor.special_tokens_mask(input_ids),
            len(preprocessor.tokenizer), preprocessor.tokenizer.mask_token_id)
        return dict(masked_ids=masked_ids, labels=labels,
                    labelled=self.mlm_head.labelled_index(labels))

    def encode_captions(self, text, masked_ids=None):
        """Text encoder over the captions and, in the same batch, their
        MLM-masked copies (rows are independent, so this equals two passes,
        with larger matrix products and one embedding backward).

        Args:
            text (dict): ``input_ids`` and ``attention_mask`` (B, P).
            masked_ids (Tensor, optional): (B, P) masked copies of the ids.

        Returns:
            tuple[Tensor, Tensor | None]: hidden states (B, P, D) of the
            captions and of the masked captions (None without them).
        """
        input_ids, attention_mask = text['input_ids'], text['attention_mask']
        if masked_ids is None:
            return self.text_encoder(input_ids, attention_mask), None
        hidden = self.text_encoder(torch.cat([input_ids, masked_ids]),
                                   attention_mask.repeat(2, 1))
        return hidden.chunk(2)

    def vtm_loss(self, video_tokens, text_hidden, text_mask, video_emb,
                 text_emb, data_samples):
        """Matching loss over positives and one hard negative per side.

        The multimodal encoder always sees 3B pairs: the B positives, a
        negative caption per clip and a negative clip per caption. Where the
        batch has no negative for a clip or caption, its pair is a stand-in
        (the positive, labelled 0) of weight 0, which leaves the loss as if
        the pair were absent; fixed shapes keep the step free of host-device
        syncs.

        Args:
            video_tokens (Tensor): (B, K, 1 + T, C).
            text_hidden (Tensor): (B, P, D).
            text_mask (Tensor): (B, P).
            video_emb (Tensor): (B, E) VTC embeddings of the clips.
            text_emb (Tensor): (B, E) VTC embeddings of the captions.
            data_samples (list[DataSample]): Captions and video paths, so
                that duplicates are never sampled as negatives.
        """
        batch = video_tokens.shape[0]
        with torch.no_grad():
            sim_v2t = self.vtc_head.similarity(video_emb, text_emb)
        keys = [[sample.text for sample in data_samples]]
        if all('video_path' in sample for sample in data_samples):
            keys.append([sample.video_path for sample in data_samples])
        neg_text, neg_video = self.vtm_head.sample_hard_negatives(
            sim_v2t, sim_v2t.t(), *keys)
        pairs = torch.arange(batch, device=video_tokens.device)
        has_neg_text, has_neg_video = neg_text >= 0, neg_video >= 0
        video_index = torch.cat(
            [pairs, pairs, torch.where(has_neg_video, neg_video, pairs)])
        text_index = torch.cat(
            [pairs, torch.where(has_neg_text, neg_text, pairs), pairs])
        labels = torch.zeros_like(video_index)
        labels[:batch] = 1
        weight = torch.cat(
            [torch.ones_like(has_neg_text), has_neg_text, has_neg_video])
        fused = self.fuse(video_tokens[video_index], text_hidden[text_index],
                          text_mask[text_index])
        return self.vtm_head.loss(self.vtm_head(fused[:, 0]), labels, weight)

    def mlm_loss(self, video_tokens, masked_hidden, text_mask, mlm):
        """Masked language modeling conditioned on the clip.

        Args:
            video_tokens (Tensor): (B, K, 1 + T, C).
            masked_hidden (Tensor): (B, P, D) text encoder output of the
                masked captions.
            text_mask (Tensor): (B, P) attention mask of the captions.
            mlm (dict): Output of :meth:`mask_captions`.
        """
        fused = self.fuse(video_tokens, masked_hidden, text_mask)
        return self.mlm_head.loss(fused, mlm['labels'], mlm['labelled'])

    def mvm_loss(self, visual, frames):
        """Pixel reconstruction of the masked patches (MAE).

        Args:
            visual (SparseViTOutput): The backbone's output.
            frames (Tensor): (B, K, 3, H, W) normalised frames.
        """
        patch = self.backbone.patch_size
        grid = (frames.shape[-2] // patch, frames.shape[-1] // patch)
        pred = self.mvm_head(visual.tokens, visual.token_positions, grid)
        return self.mvm_head.loss(pred, frames, visual.mask)

    # ------------------------------------------------------------------
    # Retrieval evaluation contract (used by the retrieval loops)
    # ------------------------------------------------------------------
    def extract_video_feats(self, inputs):
        """Embed clips for retrieval.

        Args:
            inputs (Tensor): (B, K, 3, H, W) normalised frames.

        Returns:
            dict: ``emb`` (B, E) unit-norm VTC embeddings and ``tokens``
            (B, K, 1 + T, C) for VTM re-scoring.
        """
        _, tokens = self.encode_video(inputs)
        return dict(emb=self.vtc_head.embed_video(tokens[:, :, 0].mean(1)),
                    tokens=tokens)

    def extract_text_feats(self, texts):
        """Embed captions for retrieval.

        Args:
            texts (list[str]): Captions (or paragraphs).

        Returns:
            dict: ``emb`` (n, E) unit-norm VTC embeddings, ``hidden``
            (n, P, D) and ``attention_mask`` (n, P).
        """
        text = self.data_preprocessor.tokenize(texts)
        hidden = self.text_encoder(text['input_ids'], text['attention_mask'])
        return dict(emb=self.vtc_head.embed_text(hidden[:, 0]),
                    hidden=hidden, attention_mask=text['attention_mask'])

    def score_pairs(self, video_tokens, text_hidden, text_mask):
        """VTM match score of each (clip, caption) pair.

        Args:
            video_tokens (Tensor): (n, K, 1 + T, C).
            text_hidden (Tensor): (n, P, D).
            text_mask (Tensor): (n, P).

        Returns:
            Tensor: (n,) logit of "matched" minus logit of "not matched".
        """
        fused = self.fuse(video_tokens, text_hidden, text_mask)
        logits = self.vtm_head(fused[:, 0])
        return logits[:, 1] - logits[:, 0]
