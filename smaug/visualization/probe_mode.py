"""Run a model for a figure without changing its training state."""
from contextlib import contextmanager

import torch


@contextmanager
def probe_mode(model):
    """Evaluation mode, no gradients, and the random state left untouched.

    Inside the block every module of ``model`` is in eval mode (a figure may
    switch a part back to training mode, e.g. the backbone to draw a tube
    mask), autograd is off, and the torch random generators may be used
    freely: on exit each module's ``training`` flag and the CPU generator's
    state, and that of the model's accelerator (e.g. its CUDA device) when
    it is on one, are put back. A training run that draws figures therefore
    continues exactly as if it had not (same masks, Gumbel noise and MLM
    masking afterwards).

    Args:
        model (torch.nn.Module): The (unwrapped) model.
    """
    flags = [(module, module.training) for module in model.modules()]
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else None
    on_accelerator = device is not None and device.type != 'cpu'
    fork = torch.random.fork_rng(
        devices=[device] if on_accelerator else [],
        device_type=device.type if on_accelerator else None)
    try:
        with fork, torch.no_grad():
            model.eval()
            yield model
    finally:
        for module, training in flags:
            module.training = training
