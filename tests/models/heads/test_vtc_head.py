"""VTCHead in one process: embeddings, temperature, loss formula."""
import pytest
import torch
from torch.nn import functional as F

from smaug.models.heads import VTCHead
from smaug.registry import MODELS


def test_loss_is_symmetric_infonce():
    torch.manual_seed(0)
    head = MODELS.build(dict(type='VTCHead', video_dims=12, text_dims=10))
    head.init_weights()
    video_emb, text_emb = head(torch.randn(5, 12), torch.randn(5, 10))
    assert video_emb.shape == text_emb.shape == (5, 256)
    torch.testing.assert_close(video_emb.norm(dim=1), torch.ones(5))
    torch.testing.assert_close(head.embed_video(torch.ones(2, 12)),
                               head(torch.ones(2, 12), torch.ones(2, 10))[0])
    logits = video_emb @ text_emb.t() / 0.07
    targets = torch.arange(5)
    expected = (F.cross_entropy(logits, targets) +
                F.cross_entropy(logits.t(), targets)) / 2
    torch.testing.assert_close(head.loss(video_emb, text_emb), expected)
    torch.testing.assert_close(head.similarity(video_emb, text_emb), logits)
    assert not head.temperature.requires_grad
    assert 'temperature' in head.state_dict()
    with pytest.raises(ValueError, match='pair up'):
        head.loss(video_emb, text_emb[:4])


def test_learnable_temperature_is_clamped_and_trained():
    head = VTCHead(4, 4, embed_dims=3, learnable_temperature=True)
    assert head.temperature.requires_grad
    video_emb, text_emb = head(torch.randn(3, 4), torch.randn(3, 4))
    head.loss(video_emb, text_emb).backward()
    assert head.temperature.grad is not None and head.temperature.grad != 0
    with torch.no_grad():
        head.temperature.fill_(3.)
    head(torch.randn(3, 4), torch.randn(3, 4))
    assert head.temperature.item() == pytest.approx(0.5)
    with torch.no_grad():
        head.temperature.fill_(1e-5)
    head(torch.randn(3, 4), torch.randn(3, 4))
    assert head.temperature.item() == pytest.approx(0.001)
    with pytest.raises(ValueError, match='temperature'):
        VTCHead(temperature=0.7)
