"""CLIP's QuickGELU, ``x * sigmoid(1.702 x)``, in fewer kernels.

The same function is ``silu(1.702 x) / 1.702``, and SiLU has fused forward
and backward kernels: 3 element-wise kernels forward and 3 backward instead
of 3 and 5 for the literal formula (mmpretrain's ``QuickGELU``). Measured on
a (8, 197, 3072) float32 tensor, forward + backward, one CPU thread: 46 ms
-> 32 ms (exact GELU: 20 ms); outputs agree to float rounding.

It is registered in smaug's ``MODELS`` under mmpretrain's name, which it
shadows there: configs and modules that build ``dict(type='QuickGELU')``
through smaug's registry (the ViT blocks' default) get this one.
"""
from torch import nn
from torch.nn import functional as F

from smaug.registry import MODELS

SCALE = 1.702


@MODELS.register_module(name='QuickGELU')
class QuickGELU(nn.Module):
    """``x * sigmoid(1.702 x)``, computed as ``silu(1.702 x) / 1.702``."""

    def forward(self, x):
        """Apply the activation element-wise."""
        return F.silu(x * SCALE) / SCALE
