"""Mixed precision on GPUs, float32 elsewhere, from one config."""
import torch
from mmengine.optim import AmpOptimWrapper, OptimWrapper

from smaug.registry import OPTIM_WRAPPERS
from .nonfinite_guard import GuardedAmpOptimWrapper, GuardedOptimWrapper


@OPTIM_WRAPPERS.register_module()
def AutoAmpOptimWrapper(dtype='bfloat16', loss_scale='dynamic',
                        max_consecutive_nonfinite=10, **kwargs):
    """Build an AMP optim wrapper when CUDA is available, a plain one if not.

    Configs name it so that AMP is on by default on GPUs while the same config
    still trains on a CPU-only machine (mmengine's AmpOptimWrapper refuses to
    run without a GPU). Both skip steps with a non-finite loss
    (:mod:`smaug.engine.optim_wrappers.nonfinite_guard`).

    Args:
        dtype (str): Autocast dtype on the GPU, ``'bfloat16'`` or
            ``'float16'``. Defaults to ``'bfloat16'``.
        loss_scale (str | float | dict): Loss scaling of the AMP wrapper.
            Defaults to ``'dynamic'``.
        max_consecutive_nonfinite (int, optional): Stop the run after this
            many steps in a row with a non-finite loss (each is skipped).
            None builds mmengine's unguarded wrappers. Defaults to 10.
        **kwargs: Passed to the wrapper (``optimizer``, ``clip_grad``,
            ``accumulative_counts``).
    """
    amp = torch.cuda.is_available()
    if amp:
        kwargs.update(dtype=dtype, loss_scale=loss_scale)
    if max_consecutive_nonfinite is None:
        return AmpOptimWrapper(**kwargs) if amp else OptimWrapper(**kwargs)
    wrapper = GuardedAmpOptimWrapper if amp else GuardedOptimWrapper
    return wrapper(max_consecutive_nonfinite=max_consecutive_nonfinite,
                   **kwargs)
