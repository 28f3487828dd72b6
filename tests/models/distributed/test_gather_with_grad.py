"""gather_with_grad in a single process (the 2-process case is tested with
VTCHead in tests/models/heads/test_vtc_head_distributed.py)."""
import torch

from smaug.models.distributed import gather_with_grad


def test_single_process_is_identity_with_gradient():
    tensor = torch.randn(3, 4, requires_grad=True)
    gathered = gather_with_grad(tensor)
    assert torch.equal(gathered, tensor)
    (gathered * 2).sum().backward()
    torch.testing.assert_close(tensor.grad, torch.full((3, 4), 2.))
