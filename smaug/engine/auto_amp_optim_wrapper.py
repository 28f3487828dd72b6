"""Mixed precision on GPUs, float32 elsewhere, from one config."""
import torch
from mmengine.optim import AmpOptimWrapper, OptimWrapper

from smaug.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
def AutoAmpOptimWrapper(dtype='bfloat16', loss_scale='dynamic', **kwargs):
    """Build an AMP optim wrapper when CUDA is available, a plain one if not.

    Configs name it so that AMP is on by default on GPUs while the same config
    still trains on a CPU-only machine (mmengine's AmpOptimWrapper refuses to
    run without a GPU).

    Args:
        dtype (str): Autocast dtype on the GPU, ``'bfloat16'`` or
            ``'float16'``. Defaults to ``'bfloat16'``.
        loss_scale (str | float | dict): Loss scaling of the AMP wrapper.
            Defaults to ``'dynamic'``.
        **kwargs: Passed to the wrapper (``optimizer``, ``clip_grad``,
            ``accumulative_counts``).
    """
    if torch.cuda.is_available():
        return AmpOptimWrapper(dtype=dtype, loss_scale=loss_scale, **kwargs)
    return OptimWrapper(**kwargs)
