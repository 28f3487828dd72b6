"""SMAUGPretrain: the pre-training model of SMAUG (paper Fig. 2, eq. 6)."""
import torch
from torch.utils.checkpoint import checkpoint

from smaug.registry import MODELS
from .smaug_base import SMAUGBase


@MODELS.register_module()
class SMAUGPretrain(SMAUGBase):
    """Sparse masked video-language pre-training with VTC, VTM, MLM and MVM.

    One step (DESIGN.md, "One pre-training step"): the clip's frames go
    through the sparse MAE ViT (tube masking, token sparsification); its
    tokens feed the MAE pixel decoder (MVM) and, after the temporal encoder,
    the VTC head together with the text encoder's [CLS]. For VTM and MLM the
    text-guided frame selector keeps kappa frames per (clip, caption) pair
    and the multimodal encoder cross-attends to their tokens. The loss is the
    plain sum of the four terms, each logged on its own.

    Exact gradient accumulation (``micro_batches=N``): the step's batch goes
    through the encoders in N micro-batches, each under activation
    checkpointing (GradCache, Gao et al. 2021, done by autograd): the
    forward pass keeps only each micro-batch's outputs (clip tokens, caption
    states, its MVM loss), and the backward pass re-runs one micro-batch at
    a time with its RNG state restored (same tube masks, dropout and Gumbel
    noise) and back-propagates the outputs' gradients. The losses that need
    the whole batch are computed on all the outputs together, so every
    term is the big batch's: VTC contrasts each clip with the whole batch
    (and, as always, the other ranks'); VTM samples its hard negatives from
    the whole batch's similarities and fuses pairs across micro-batches
    (in checkpointed chunks of pairs too); MLM masks the whole batch at
    once and averages over all its labelled tokens; MVM weighs each
    micro-batch by its masked patches. The gradient is the big batch's
    (tests/models/algorithms/test_exact_accumulation.py); the activations
    held at once are one micro-batch's (plus every micro-batch's outputs),
    at the cost of a second forward pass of the encoders and of the
    multimodal encoder. Random draws
    follow the big batch's stream on the CPU, except dropout in the
    encoders, which draws per micro-batch (as it does on CUDA, where
    every kernel draws from its own offset): the same distribution, not the
    same numbers. mmengine's ``accumulative_counts`` sums separate
    micro-batches' losses instead, which is not VTC's gradient
    (:mod:`smaug.engine.runners.contrastive_accumulation` refuses it).

    The shared parts (Q_v, Q_l, Q_m, Q_t, S) and their building blocks
    (``encode_video``, ``select_frames``, ``fuse``) are
    :class:`~smaug.models.algorithms.SMAUGBase`'s; every part is built from
    its config through the MODELS registry, so any of them can be replaced
    by a user's registered module with the same interface. Optional parts
    (``temporal_encoder``, ``frame_selector``, ``mlm_head``, ``mvm_head``)
    may be None: the dense baseline and the retrieval model are this class
    with parts switched off.

    Args:
        vtc_head (dict): ``VTCHead``.
        vtm_head (dict): ``VTMHead``.
        mlm_head (dict, optional): ``BertMLMHead``; None disables MLM.
        mvm_head (dict, optional): ``MAEPixelDecoder``; None disables MVM.
        tie_mlm_weights (bool): Share the MLM decoder weight with the word
            embeddings, as BERT does. Defaults to True.
        micro_batches (int): Split each training batch into this many
            micro-batches with exact gradient accumulation (see above);
            the dataloader still gives the whole batch. Defaults to 1.
        compile (bool | dict): Compile the Transformer components
            (``COMPILED_PARTS``) in place with ``torch.compile``
            (``nn.Module.compile``: parameter names, and so checkpoints,
            are unchanged); a dict gives torch.compile's options, e.g.
            ``dict(mode='max-autotune')``. Unlike the Runner's
            ``cfg.compile``, which compiles the whole ``train_step``, this
            leaves the tokenisation, the loss bookkeeping and the optimizer
            eager. Defaults to False.
        **kwargs: The shared parts and settings of :class:`SMAUGBase`
            (``backbone``, ``text_encoder``, ``multimodal_encoder``,
            ``temporal_encoder``, ``frame_selector``,
            ``num_selected_frames`` (kappa in training),
            ``num_test_selected_frames`` (kappa at test: retrieval
            re-ranking), ``data_preprocessor``, ``init_cfg``).
    """

    # Components that ``compile`` compiles (those that are not None).
    COMPILED_PARTS = ('backbone', 'temporal_encoder', 'text_encoder',
                      'multimodal_encoder', 'mvm_head')

    def __init__(self,
                 vtc_head,
                 vtm_head,
                 mlm_head=None,
                 mvm_head=None,
                 tie_mlm_weights=True,
                 micro_batches=1,
                 compile=False,
                 **kwargs):
        super().__init__(
            task_heads=dict(vtc_head=vtc_head, vtm_head=vtm_head,
                            mlm_head=mlm_head, mvm_head=mvm_head),
            **kwargs)
        if not isinstance(micro_batches, int) or micro_batches < 1:
            raise ValueError(
                'smaug/models/algorithms/smaug_pretrain.py: micro_batches '
                f'must be a positive integer, got {micro_batches!r}.')
        self.micro_batches = micro_batches
        if self.mlm_head is not None and tie_mlm_weights:
            self.mlm_head.tie_weights(
                self.text_encoder.embeddings.word_embeddings)
        if compile:
            options = compile if isinstance(compile, dict) else {}
            for name in self.COMPILED_PARTS:
                part = getattr(self, name)
                if part is not None:
                    part.compile(**options)

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
        host-device sync, see :meth:`mask_captions`), then the encoders
        (:meth:`encode_pairs`, in micro-batches when ``micro_batches > 1``),
        then the losses over the whole batch.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): Per-clip metadata (captions).
            text (dict): ``input_ids`` and ``attention_mask`` (B, P).

        Returns:
            dict[str, Tensor]: ``loss_vtc``, ``loss_vtm`` and, when enabled,
            ``loss_mlm`` and ``loss_mvm``, plus logged settings.
        """
        mlm = self.mask_captions(text) if self.mlm_head is not None else None
        masked_ids = None if mlm is None else mlm['masked_ids']
        if self.micro_batches > 1:
            encoded = self.encode_micro_batches(frames, text, masked_ids)
        else:
            encoded = self.encode_pairs(frames, text, masked_ids)
        video_tokens, text_hidden, masked_hidden, mvm = encoded
        text_mask = text['attention_mask']
        video_emb, text_emb = self.vtc_head(video_tokens[:, :, 0].mean(1),
                                            text_hidden[:, 0])
        losses = dict(loss_vtc=self.vtc_head.loss(video_emb, text_emb))
        losses['loss_vtm'] = self.vtm_loss(video_tokens, text_hidden,
                                           text_mask, video_emb, text_emb,
                                           data_samples)
        if mlm is not None:
            losses['loss_mlm'] = self.mlm_loss(video_tokens, masked_hidden,
                                               text_mask, mlm)
        if mvm is not None:
            losses['loss_mvm'] = mvm[0]
        losses['vtc_temperature'] = self.vtc_head.temperature.detach()
        return losses

    def encode_pairs(self, frames, text, masked_ids=None):
        """The per-pair part of a step: the encoders and the MVM loss.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            text (dict): ``input_ids`` and ``attention_mask`` (B, P).
            masked_ids (Tensor, optional): (B, P) MLM-masked copies of the
                ids.

        Returns:
            tuple: clip tokens (B, K, 1 + T, C), caption states (B, P, D),
            masked caption states (B, P, D) or None, and None without MVM,
            else the MVM loss with its weight (the number of masked
            patches it averages over).
        """
        visual, video_tokens = self.encode_video(frames)
        text_hidden, masked_hidden = self.encode_captions(text, masked_ids)
        mvm = None
        if self.mvm_head is not None:
            mvm = (self.mvm_loss(visual, frames), visual.mask.sum())
        return video_tokens, text_hidden, masked_hidden, mvm

    def micro_batch_slices(self, num):
        """Split ``num`` rows into ``micro_batches`` consecutive slices of
        near-equal sizes (fewer when ``num`` is smaller).

        Args:
            num (int): Number of rows.

        Returns:
            list[slice]: The slices, in order.
        """
        count = min(self.micro_batches, num)
        bounds = [num * index // count for index in range(count + 1)]
        return [slice(start, end) for start, end in zip(bounds, bounds[1:])]

    def encode_micro_batches(self, frames, text, masked_ids=None):
        """:meth:`encode_pairs` one checkpointed micro-batch at a time.

        The forward pass keeps each micro-batch's outputs only; the backward
        pass re-runs it, with the RNG state of its first run, and
        back-propagates its outputs' gradients.

        Args:
            frames, text, masked_ids: As :meth:`encode_pairs`.

        Returns:
            tuple: As :meth:`encode_pairs`, for the whole batch; the MVM
            loss is the mean over all masked patches.
        """
        parts = [
            checkpoint(self.encode_pairs, frames[rows],
                       {key: value[rows] for key, value in text.items()},
                       None if masked_ids is None else masked_ids[rows],
                       use_reentrant=False)
            for rows in self.micro_batch_slices(len(frames))
        ]
        video_tokens, text_hidden, masked_hidden, mvm = zip(*parts)
        masked_hidden = (None if masked_ids is None else
                         torch.cat(masked_hidden))
        if mvm[0] is not None:
            loss, num_masked = (torch.stack(values) for values in zip(*mvm))
            total = num_masked.sum()
            mvm = ((loss * num_masked).sum() / total.clamp(min=1), total)
        else:
            mvm = None
        return torch.cat(video_tokens), torch.cat(text_hidden), \
            masked_hidden, mvm

    def fuse_pairs(self, video_tokens, text_hidden, text_mask):
        """:meth:`fuse`, in checkpointed chunks of pairs (one per
        micro-batch) when ``micro_batches > 1``.

        Args:
            video_tokens (Tensor): (n, K, 1 + T, C).
            text_hidden (Tensor): (n, P, D).
            text_mask (Tensor): (n, P).

        Returns:
            Tensor: (n, P, D) fused states.
        """
        if self.micro_batches == 1:
            return self.fuse(video_tokens, text_hidden, text_mask)
        return torch.cat([
            checkpoint(self.fuse, video_tokens[rows], text_hidden[rows],
                       text_mask[rows], use_reentrant=False)
            for rows in self.micro_batch_slices(len(video_tokens))
        ])

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
            preprocessor.vocab_size, preprocessor.mask_token_id)
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
        fused = self.fuse_pairs(video_tokens[video_index],
                                text_hidden[text_index],
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
        fused = self.fuse_pairs(video_tokens, masked_hidden, text_mask)
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
