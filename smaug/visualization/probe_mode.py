"""Run a model for a figure without changing its training state."""
from contextlib import contextmanager

import torch


@contextmanager
def probe_mode(model):
    """Eval mode and no gradients inside the block; on exit every module's
    ``training`` flag and the CPU's (and the model's accelerator's) random
    state are put back, so a training run that draws figures continues as if
    it had not.
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
