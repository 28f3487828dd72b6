"""SMAUGRetrievalBase: the VTC and VTM heads and the retrieval interface."""
import torch

from .exact_accumulation import ExactAccumulation
from .part_compilation import compile_parts
from .smaug_base import SMAUGBase


def duplicate_keys(data_samples):
    """Keys that make two pairs of a batch the same for VTM: the captions
    and, where every sample names one, the videos.
    """
    keys = [[sample.text for sample in data_samples]]
    if all('video_path' in sample for sample in data_samples):
        keys.append([sample.video_path for sample in data_samples])
    return keys


class SMAUGRetrievalBase(SMAUGBase):
    """:class:`SMAUGBase` with VTC and VTM heads: their losses and the
    retrieval interface, shared by :class:`SMAUGRetrieval` and
    :class:`SMAUGPretrain` (each defines ``loss``).

    Args:
        vtc_head (dict): ``VTCHead``.
        vtm_head (dict): ``VTMHead``.
        extra_heads (dict, optional): A subclass's other heads, built next.
        micro_batches (int): See :class:`ExactAccumulation`. Defaults to 1.
        compile (bool | dict): See :func:`compile_parts`. Defaults to False.
        **kwargs: See :class:`SMAUGBase`.
    """

    def __init__(self,
                 vtc_head,
                 vtm_head,
                 extra_heads=None,
                 micro_batches=1,
                 compile=False,
                 **kwargs):
        super().__init__(
            task_heads=dict(vtc_head=vtc_head, vtm_head=vtm_head,
                            **(extra_heads or {})),
            **kwargs)
        self.accumulation = ExactAccumulation(micro_batches)
        compile_parts(self, compile)

    def forward(self, inputs, data_samples=None, text=None, mode='loss'):
        """mmengine's entry point.

        Args:
            inputs (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): Per-clip metadata.
            text (dict, optional): Tokenised captions, needed for ``'loss'``.
            mode (str): ``'loss'``, or ``'predict'`` (sets ``video_emb``).
        """
        if mode == 'loss':
            if text is None:
                raise ValueError(
                    f'{type(self).__name__} needs one caption string per '
                    'clip for training (the samples\' "text" field).')
            return self.loss(inputs, data_samples, text)
        if mode == 'predict':
            video_emb = self.extract_video_feats(inputs)['emb']
            for sample, emb in zip(data_samples, video_emb):
                sample.set_field(emb, 'video_emb')
            return data_samples
        raise ValueError(f'Unsupported mode {mode!r}: use "loss" or '
                         '"predict" (retrieval uses RetrievalValLoop).')

    def encode_pairs(self, frames, text):
        """``video_tokens`` (B, K, 1 + T, C) of the clips and
        ``text_hidden`` (B, P, D) of their tokenised captions ``text``.
        """
        _, video_tokens = self.encode_video(frames)
        return dict(video_tokens=video_tokens,
                    text_hidden=self.text_encoder(text['input_ids'],
                                                  text['attention_mask']))

    def embed_pairs(self, feats):
        """VTC embeddings (B, E) of the clips (mean of the frames' [CLS])
        and of the captions, from :meth:`encode_pairs`.
        """
        return self.vtc_head(feats['video_tokens'][:, :, 0].mean(1),
                             feats['text_hidden'][:, 0])

    def vtm_loss(self, feats, text_mask, video_emb, text_emb, data_samples):
        """Matching loss over the positives and a hard negative per side.

        Args:
            feats (dict): :meth:`encode_pairs`' output.
            text_mask (Tensor): (B, P).
            video_emb (Tensor): (B, E) VTC embeddings, which choose the
                negatives with ``text_emb``.
            text_emb (Tensor): (B, E).
            data_samples (list[DataSample]): See :func:`duplicate_keys`.
        """
        with torch.no_grad():
            sim_v2t = self.vtc_head.similarity(video_emb, text_emb)
        video_index, text_index, labels, weight = self.vtm_head.sample_pairs(
            sim_v2t, *duplicate_keys(data_samples))
        fused = self.accumulation(self.fuse,
                                  feats['video_tokens'][video_index],
                                  feats['text_hidden'][text_index],
                                  text_mask[text_index])
        return self.vtm_head.loss(self.vtm_head(fused[:, 0]), labels, weight)

    # The retrieval interface (retrieval loops, smaug.apis, figures).
    def extract_video_feats(self, inputs):
        """(B, K, 3, H, W) frames -> ``emb`` (B, E) unit-norm VTC embeddings
        and ``tokens`` (B, K, 1 + T, C) for VTM re-scoring.
        """
        _, tokens = self.encode_video(inputs)
        return dict(emb=self.vtc_head.embed_video(tokens[:, :, 0].mean(1)),
                    tokens=tokens)

    def extract_text_feats(self, texts):
        """list of n texts -> ``emb`` (n, E) unit-norm VTC embeddings,
        ``hidden`` (n, P, D) and ``attention_mask`` (n, P).
        """
        text = self.data_preprocessor.tokenize(texts)
        hidden = self.text_encoder(text['input_ids'], text['attention_mask'])
        return dict(emb=self.vtc_head.embed_text(hidden[:, 0]),
                    hidden=hidden, attention_mask=text['attention_mask'])

    def score_pairs(self, video_tokens, text_hidden, text_mask):
        """VTM score of each (clip, text) pair.

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
