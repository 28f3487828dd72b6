"""Video-text contrastive learning (paper Appendix C, eqs. 9-12)."""
import torch
from mmengine.dist import get_dist_info
from mmengine.model import BaseModule
from torch import nn
from torch.nn import functional as F

from smaug.models.distributed import gather_with_grad
from smaug.registry import MODELS
from .linear_init import TRUNC_NORMAL_LINEAR


@MODELS.register_module()
class VTCHead(BaseModule):
    """Linear projections of the video and text [CLS] to a shared space
    (L2-normalised) and the symmetric InfoNCE loss over the global batch.

    Args:
        video_dims (int): Width of the video [CLS]. Defaults to 768.
        text_dims (int): Width of the text [CLS]. Defaults to 768.
        embed_dims (int): Width of the shared space. Defaults to 256.
        temperature (float): Softmax temperature tau. Defaults to 0.07.
        learnable_temperature (bool): Learn tau (ALBEF), clamped into
            ``temperature_range`` at every :meth:`forward`. Defaults to False.
        temperature_range (tuple[float, float]): Defaults to (0.001, 0.5).
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 video_dims=768,
                 text_dims=768,
                 embed_dims=256,
                 temperature=0.07,
                 learnable_temperature=False,
                 temperature_range=(0.001, 0.5),
                 init_cfg=TRUNC_NORMAL_LINEAR):
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
        """(B, video_dims) video and (B, text_dims) text [CLS] -> their
        (B, embed_dims) unit-norm embeddings; clamps a learnable temperature.
        """
        if isinstance(self.temperature, nn.Parameter):
            with torch.no_grad():
                self.temperature.clamp_(*self.temperature_range)
        return self.embed_video(video_cls), self.embed_text(text_cls)

    def similarity(self, video_emb, text_emb):
        """Temperature-scaled similarities, (num_videos, num_texts)."""
        return video_emb @ text_emb.t() / self.temperature

    def loss(self, video_emb, text_emb):
        """Symmetric contrastive loss (eq. 12) of this rank's (B, E) pairs
        against the embeddings all-gathered with gradient from every rank.
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
