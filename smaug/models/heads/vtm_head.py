"""Video-text matching: binary head and hard-negative sampling."""
import torch
from mmengine.model import BaseModule
from torch import nn
from torch.nn import functional as F

from smaug.registry import MODELS
from .linear_init import TRUNC_NORMAL_LINEAR


def positive_pairs(num, keys, device):
    """(num, num) bool: True where pair (i, j) counts as a positive.

    Args:
        num (int): Batch size.
        keys (tuple): Sequences of ``num`` tensors or hashables (captions,
            video paths); i and j are positives where any has equal entries.
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
    """One column per row drawn from ``softmax(logits)`` over the columns
    not excluded, mixed with the uniform; -1 where all are excluded.

    The draw is ``torch.multinomial``'s (argmax of ``probs / Exp(1)``, the
    same samples from the same RNG state) without its input checks, which
    read values back to the host.

    Args:
        logits (Tensor): (R, C).
        excluded (Tensor): (R, C) bool.
        hardness (float): Weight of the softmax; the uniform gets the rest.
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
    """Matched / not-matched classifier on the fused [CLS] (class 1 =
    matched), with ALBEF-style hard-negative mining.

    Args:
        in_channels (int): Width of the multimodal encoder. Defaults to 768.
        negative_hardness (float): Share of the negatives drawn from
            ``softmax(similarity)``; the rest are uniform among the
            non-positives (``HardNegativeWarmupHook`` ramps it). Defaults to
            1.0 (ALBEF's and the paper's).
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 in_channels=768,
                 negative_hardness=1.0,
                 init_cfg=TRUNC_NORMAL_LINEAR):
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
        """Cross-entropy of the matched / not-matched logits.

        Args:
            logits (Tensor): (N, 2).
            labels (Tensor): (N,) long, 1 = matched.
            weight (Tensor, optional): (N,) pair weights, not all 0; a pair of
                weight 0 counts as absent.
        """
        if weight is None:
            return F.cross_entropy(logits, labels)
        per_pair = F.cross_entropy(logits, labels, reduction='none')
        weight = weight.to(per_pair.dtype)
        return (per_pair * weight).sum() / weight.sum()

    def sample_hard_negatives(self, sim_v2t, sim_t2v, *keys):
        """A hard negative caption per clip and a hard negative clip per
        caption, within the local batch (their tokens live on this rank).

        Args:
            sim_v2t (Tensor): (B, B) similarities, rows clips.
            sim_t2v (Tensor): (B, B) similarities, rows captions.
            *keys: Duplicates never drawn (see :func:`positive_pairs`).

        Returns:
            tuple[Tensor, Tensor]: (B,) caption index per clip and (B,) clip
            index per caption; -1 where the batch has none.
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
        """The 3B pairs of the matching loss: B positives, a hard negative
        caption per clip and a hard negative clip per caption. A missing
        negative is a stand-in of weight 0 (fixed shapes: no host-device sync).

        Args:
            sim_v2t (Tensor): (B, B) clip-caption similarities.
            *keys: See :meth:`sample_hard_negatives`.

        Returns:
            tuple[Tensor, Tensor, Tensor, Tensor]: (3B,) each: clip index,
            caption index, label (1 = matched) and weight.
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
