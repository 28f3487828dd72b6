"""Video-text matching: binary head and hard-negative sampling."""
import torch
from mmengine.model import BaseModule
from torch import nn
from torch.nn import functional as F

from smaug.registry import MODELS


def positive_pairs(num, keys, device):
    """(num, num) bool: True where pair (i, j) counts as a positive.

    Args:
        num (int): Batch size.
        keys (tuple): Sequences of length ``num`` (tensors, or lists of
            hashables such as caption strings or video paths); i and j are
            positives when any of them has equal entries at i and j.
        device (torch.device): Device of the result.
    """
    positive = torch.eye(num, dtype=torch.bool, device=device)
    for key in keys:
        if not torch.is_tensor(key):
            ids = {}
            key = torch.tensor(
                [ids.setdefault(item, len(ids)) for item in key])
        if key.shape != (num, ):
            raise ValueError(
                'smaug/models/heads/vtm_head.py: every key sequence needs '
                f'one entry per pair ({num}), got shape {tuple(key.shape)}.')
        # Asynchronous: a blocking host-to-device copy would wait for the
        # forward pass queued so far.
        key = key.to(device, non_blocking=True)
        positive |= key[:, None] == key[None, :]
    return positive


def sample_excluding(logits, excluded, hardness=1.):
    """Sample one column per row from ``softmax(logits)`` restricted to the
    columns that are not excluded, mixed with the uniform distribution over
    them; -1 for rows where all are excluded.

    Every row is sampled (rows with nothing to sample from a uniform
    stand-in, then set to -1), so no shape depends on the data. The draw is
    ``torch.multinomial(probs, 1)``'s own algorithm, the argmax of
    ``probs / E`` with ``E ~ Exp(1)`` (the same samples from the same RNG
    state), without its input checks, which read values back to the host:
    the device never has to report back.

    Args:
        logits (Tensor): (R, C) sampling logits.
        excluded (Tensor): (R, C) bool, True where a column may not be drawn.
        hardness (float): Weight of ``softmax(logits)`` in the mixture; the
            uniform distribution over the allowed columns gets
            ``1 - hardness``. Defaults to 1.
    """
    logits = logits.detach().float().masked_fill(excluded, float('-inf'))
    empty = excluded.all(dim=1, keepdim=True)
    probs = logits.masked_fill(empty, 0.).softmax(dim=1)
    if hardness < 1:
        allowed = (~excluded).float()
        uniform = allowed / allowed.sum(dim=1, keepdim=True).clamp(min=1.)
        probs = hardness * probs + (1. - hardness) * uniform
    index = (probs / torch.empty_like(probs).exponential_()).argmax(
        dim=1, keepdim=True)
    return index.masked_fill(empty, -1).squeeze(1)


@MODELS.register_module()
class VTMHead(BaseModule):
    """Binary matched / not-matched classifier on the fused [CLS] token
    (class 1 = matched), with ALBEF-style hard-negative mining.

    Args:
        in_channels (int): Width of the multimodal encoder. Defaults to 768.
        negative_hardness (float): Share of the negatives drawn from
            ``softmax(similarity)`` (hard ones); the rest are drawn uniformly
            among the non-positives. 1 is ALBEF's and the paper's
            hard-negative mining.
            :class:`~smaug.engine.HardNegativeWarmupHook` ramps it from 0
            to 1. Defaults to 1.0.
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 in_channels=768,
                 negative_hardness=1.0,
                 init_cfg=dict(
                     type='TruncNormal', layer='Linear', std=0.02, bias=0.)):
        super().__init__(init_cfg=init_cfg)
        if not 0 <= negative_hardness <= 1:
            raise ValueError(
                'smaug/models/heads/vtm_head.py: negative_hardness must lie '
                f'in [0, 1], got {negative_hardness}.')
        self.negative_hardness = negative_hardness
        self.classifier = nn.Linear(in_channels, 2)

    def forward(self, fused_cls):
        """(N, in_channels) fused [CLS] -> (N, 2) logits."""
        return self.classifier(fused_cls)

    def loss(self, logits, labels, weight=None):
        """Cross-entropy of (N, 2) logits against (N,) 0/1 labels.

        Args:
            logits (Tensor): (N, 2).
            labels (Tensor): (N,) long, 1 = matched.
            weight (Tensor, optional): (N,) per-pair weights, not all zero;
                the loss is the weighted mean. Pairs of weight 0 (stand-ins
                for missing negatives) then count exactly as if absent.
                None weighs every pair 1.
        """
        if weight is None:
            return F.cross_entropy(logits, labels)
        per_pair = F.cross_entropy(logits, labels, reduction='none')
        weight = weight.to(per_pair.dtype)
        return (per_pair * weight).sum() / weight.sum()

    def sample_hard_negatives(self, sim_v2t, sim_t2v, *keys):
        """One hard negative caption per clip and one hard negative clip per
        caption, drawn from softmax(similarity) over the non-positives (with
        probability ``negative_hardness``, uniformly otherwise).

        Sampling is within the local batch (the negatives' token features
        live on this rank), with torch's global RNG. A pair counts as a
        positive when it is the pair itself or when any of ``keys`` matches,
        e.g. ``sample_hard_negatives(s_v2t, s_t2v, captions, video_paths)``
        never pairs a clip with an identical caption from elsewhere in the
        batch, nor with another caption of the same video.

        Args:
            sim_v2t (Tensor): (B, B) video-to-text similarities (rows clips).
            sim_t2v (Tensor): (B, B) text-to-video similarities (rows
                captions).
            *keys: Sequences of length B (tensors of ids or lists of
                hashables, e.g. caption strings); see :func:`positive_pairs`.

        Returns:
            tuple[Tensor, Tensor]: (B,) caption index for each clip and (B,)
            clip index for each caption; -1 where the batch has no negative
            (callers drop those pairs).
        """
        num = sim_v2t.shape[0]
        if sim_v2t.shape != (num, num) or sim_t2v.shape != (num, num):
            raise ValueError(
                'smaug/models/heads/vtm_head.py: sample_hard_negatives needs '
                f'square local similarities, got {tuple(sim_v2t.shape)} and '
                f'{tuple(sim_t2v.shape)}.')
        positive = positive_pairs(num, keys, sim_v2t.device)
        hardness = self.negative_hardness
        return (sample_excluding(sim_v2t, positive, hardness),
                sample_excluding(sim_t2v, positive, hardness))

    def sample_pairs(self, sim_v2t, *keys):
        """The 3B pairs of the matching loss: the B positives, a hard
        negative caption per clip and a hard negative clip per caption.

        Where the batch has no negative, the pair is a stand-in (the
        positive, labelled 0) of weight 0, which :meth:`loss` counts as
        absent: fixed shapes keep the step free of host-device syncs.

        Args:
            sim_v2t (Tensor): (B, B) clip-caption similarities.
            *keys: See :meth:`sample_hard_negatives`.

        Returns:
            tuple[Tensor, Tensor, Tensor, Tensor]: (3B,) each: clip index,
            caption index, label (1 = matched) and weight of every pair.
        """
        batch = sim_v2t.shape[0]
        neg_text, neg_video = self.sample_hard_negatives(
            sim_v2t, sim_v2t.t(), *keys)
        pairs = torch.arange(batch, device=sim_v2t.device)
        has_neg_text, has_neg_video = neg_text >= 0, neg_video >= 0
        video_index = torch.cat(
            [pairs, pairs, torch.where(has_neg_video, neg_video, pairs)])
        text_index = torch.cat(
            [pairs, torch.where(has_neg_text, neg_text, pairs), pairs])
        labels = torch.zeros_like(video_index)
        labels[:batch] = 1
        weight = torch.cat(
            [torch.ones_like(has_neg_text), has_neg_text, has_neg_video])
        return video_index, text_index, labels, weight
