"""Video-text contrastive learning (paper Appendix C, eqs. 9-12)."""
import torch
from mmengine.dist import get_dist_info
from mmengine.model import BaseModule
from torch import nn
from torch.nn import functional as F

from smaug.models.distributed import gather_with_grad
from smaug.registry import MODELS


@MODELS.register_module()
class VTCHead(BaseModule):
    """Projections of the video and text [CLS] features to a shared space,
    and the symmetric InfoNCE loss over the global batch.

    Both projections are single linear layers followed by L2
    normalisation. The loss all-gathers the embeddings of every rank with
    gradient, so each rank's clips and captions are contrasted with the whole
    global batch; with DDP's gradient averaging, N ranks of batch B/N train
    exactly like one process of batch B.

    Args:
        video_dims (int): Width of the video [CLS] feature. Defaults to 768.
        text_dims (int): Width of the text [CLS] feature. Defaults to 768.
        embed_dims (int): Width of the shared space. Defaults to 256.
        temperature (float): Softmax temperature tau. Defaults to 0.07.
        learnable_temperature (bool): Learn tau (ALBEF's practice); it is
            clamped into ``temperature_range`` in place at every
            :meth:`forward`. Defaults to False (fixed, as in the paper).
        temperature_range (tuple[float, float]): Clamp range of a learnable
            tau. Defaults to (0.001, 0.5).
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 video_dims=768,
                 text_dims=768,
                 embed_dims=256,
                 temperature=0.07,
                 learnable_temperature=False,
                 temperature_range=(0.001, 0.5),
                 init_cfg=dict(
                     type='TruncNormal', layer='Linear', std=0.02, bias=0.)):
        super().__init__(init_cfg=init_cfg)
        low, high = temperature_range
        if not 0 < low <= temperature <= high:
            raise ValueError(
                'smaug/models/heads/vtc_head.py: need 0 < temperature_range[0]'
                ' <= temperature <= temperature_range[1], got temperature='
                f'{temperature}, temperature_range={temperature_range}.')
        self.temperature_range = (low, high)
        self.video_proj = nn.Linear(video_dims, embed_dims)
        self.text_proj = nn.Linear(text_dims, embed_dims)
        value = torch.tensor(float(temperature))
        if learnable_temperature:
            self.temperature = nn.Parameter(value)
        else:
            self.register_buffer('temperature', value)

    def embed_video(self, video_cls):
        """(B, video_dims) video [CLS] -> (B, embed_dims) unit-norm."""
        return F.normalize(self.video_proj(video_cls), dim=-1)

    def embed_text(self, text_cls):
        """(B, text_dims) text [CLS] -> (B, embed_dims) unit-norm."""
        return F.normalize(self.text_proj(text_cls), dim=-1)

    def forward(self, video_cls, text_cls):
        """Project and L2-normalise both sides (training entry point; a
        learnable temperature is clamped here, once per step).

        Args:
            video_cls (Tensor): (B, video_dims), e.g. the mean over frames of
                the temporal encoder's [CLS] outputs.
            text_cls (Tensor): (B, text_dims) text encoder [CLS].

        Returns:
            tuple[Tensor, Tensor]: video and text embeddings, (B, embed_dims)
            each, unit norm.
        """
        if isinstance(self.temperature, nn.Parameter):
            with torch.no_grad():
                self.temperature.clamp_(*self.temperature_range)
        return self.embed_video(video_cls), self.embed_text(text_cls)

    def similarity(self, video_emb, text_emb):
        """Temperature-scaled similarities, (num_videos, num_texts)."""
        return video_emb @ text_emb.t() / self.temperature

    def loss(self, video_emb, text_emb):
        """Symmetric contrastive loss, eq. 12, over the global batch.

        Args:
            video_emb (Tensor): (B, E) this rank's video embeddings, pair i
                with ``text_emb[i]``.
            text_emb (Tensor): (B, E) this rank's text embeddings.

        Returns:
            Tensor: scalar, ``(L_v2t + L_t2v) / 2``, averaged over this
            rank's pairs.
        """
        if video_emb.shape != text_emb.shape:
            raise ValueError(
                'smaug/models/heads/vtc_head.py: video_emb and text_emb must '
                f'pair up, got {tuple(video_emb.shape)} and '
                f'{tuple(text_emb.shape)}.')
        all_video = gather_with_grad(video_emb)
        all_text = gather_with_grad(text_emb)
        batch = video_emb.shape[0]
        targets = torch.arange(batch, device=video_emb.device) + \
            get_dist_info()[0] * batch
        v2t = self.similarity(video_emb, all_text)
        t2v = self.similarity(all_video, text_emb).t()
        return (F.cross_entropy(v2t, targets) +
                F.cross_entropy(t2v, targets)) / 2
