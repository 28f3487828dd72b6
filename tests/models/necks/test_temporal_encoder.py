"""TemporalEncoder: identity for K=1 and at init, attention across frames."""
import torch

from smaug.registry import MODELS


def build(**kwargs):
    """A 32-d two-layer temporal encoder for 3 frames."""
    cfg = dict(type='TemporalEncoder', embed_dims=32, num_heads=2,
               feedforward_channels=64, num_frames=3)
    cfg.update(kwargs)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def randomise(module):
    """Move every parameter away from its (partly zero) initial value."""
    with torch.no_grad():
        for param in module.parameters():
            param.add_(0.1 * torch.randn_like(param))
    return module


def test_single_frame_is_identity():
    encoder = randomise(build())
    tokens = torch.randn(2, 1, 5, 32)
    assert encoder(tokens) is tokens


def test_identity_at_initialisation():
    encoder = build()
    tokens = torch.randn(2, 3, 5, 32)
    torch.testing.assert_close(encoder(tokens), tokens)


def test_attends_across_frames():
    encoder = randomise(build())
    tokens = torch.randn(2, 3, 5, 32)
    out = encoder(tokens)
    assert out.shape == tokens.shape
    changed = tokens.clone()
    changed[:, 0] += torch.randn(2, 5, 32)
    out_changed = encoder(changed)
    # Frame 2 never changed, yet its output does: it attends to frame 0.
    assert not torch.allclose(out_changed[:, 2], out[:, 2])
    # Clips stay independent.
    alone = encoder(changed[:1])
    torch.testing.assert_close(alone, out_changed[:1], rtol=0, atol=1e-5)


def test_other_frame_counts_use_an_interpolated_embedding():
    encoder = randomise(build(num_layers=0))
    tokens = torch.zeros(1, 6, 2, 32)
    out = encoder(tokens)
    assert out.shape == (1, 6, 2, 32)
    table = encoder.temporal_embedding
    torch.testing.assert_close(out[0, 0, 0], table[0])
    torch.testing.assert_close(out[0, 5, 1], table[2])
    torch.testing.assert_close(out[0, 1, 0], 0.75 * table[0] + 0.25 * table[1])


def test_gradients_reach_every_parameter():
    encoder = randomise(build())
    tokens = torch.randn(2, 3, 5, 32)
    (encoder(tokens) * torch.randn(2, 3, 5, 32)).sum().backward()
    for name, param in encoder.named_parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0, name
