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
        key = key.to(device)
        positive |= key[:, None] == key[None, :]
    return positive


def sample_excluding(logits, excluded):
    """Sample one column per row from ``softmax(logits)`` restricted to the
    columns that are not excluded; -1 for rows where all are excluded."""
    logits = logits.detach().float().masked_fill(excluded, float('-inf'))
    index = torch.full((logits.shape[0], ), -1, dtype=torch.long,
                       device=logits.device)
    valid = ~excluded.all(dim=1)
    if valid.any():
        probs = logits[valid].softmax(dim=1)
        index[valid] = torch.multinomial(probs, 1).squeeze(1)
    return index


@MODELS.register_module()
class VTMHead(BaseModule):
    """Binary matched / not-matched classifier on the fused [CLS] token
    (class 1 = matched), with ALBEF-style hard-negative mining.

    Args:
        in_channels (int): Width of the multimodal encoder. Defaults to 768.
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 in_channels=768,
                 init_cfg=dict(
                     type='TruncNormal', layer='Linear', std=0.02, bias=0.)):
        super().__init__(init_cfg=init_cfg)
        self.classifier = nn.Linear(in_channels, 2)

    def forward(self, fused_cls):
        """(N, in_channels) fused [CLS] -> (N, 2) logits."""
        return self.classifier(fused_cls)

    def loss(self, logits, labels):
        """Cross-entropy of (N, 2) logits against (N,) 0/1 labels."""
        return F.cross_entropy(logits, labels)

    def sample_hard_negatives(self, sim_v2t, sim_t2v, *keys):
        """One hard negative caption per clip and one hard negative clip per
        caption, drawn from softmax(similarity) over the non-positives.

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
        return (sample_excluding(sim_v2t, positive),
                sample_excluding(sim_t2v, positive))
