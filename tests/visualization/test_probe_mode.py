"""probe_mode leaves modes, gradients and the random state as they were."""
import pytest
import torch
from torch import nn

from smaug.visualization import probe_mode


def test_restores_modes_and_random_state_even_on_error():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    model.train()
    model[0].eval()
    state = torch.get_rng_state()
    with pytest.raises(RuntimeError, match='boom'):
        with probe_mode(model):
            assert not model.training and not model[1].training
            assert not torch.is_grad_enabled()
            torch.rand(10)
            model[1].train()
            raise RuntimeError('boom')
    assert model.training and model[1].training and not model[0].training
    assert torch.is_grad_enabled()
    assert torch.equal(torch.get_rng_state(), state)
