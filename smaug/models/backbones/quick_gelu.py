"""CLIP's QuickGELU, ``x * sigmoid(1.702 x)``, computed as
``silu(1.702 x) / 1.702`` (fused SiLU kernels). Registered in smaug's
MODELS under mmpretrain's name, which it shadows there.
"""
from torch import nn
from torch.nn import functional as F

from smaug.registry import MODELS

SCALE = 1.702


@MODELS.register_module(name='QuickGELU')
class QuickGELU(nn.Module):
    """``x * sigmoid(1.702 x)``, computed as ``silu(1.702 x) / 1.702``."""

    def forward(self, x):
        """Element-wise activation."""
        return F.silu(x * SCALE) / SCALE
