"""TextGuidedFrameSelector: scores, Gumbel top-k with straight-through."""

import pytest
import torch

from smaug.models.necks import TextGuidedFrameSelector
from smaug.models.necks import text_guided_frame_selector as selector_module
from smaug.registry import MODELS

from successive_softmax import reference_rows


def build(**kwargs):
    selector = MODELS.build(
        dict(type='TextGuidedFrameSelector', video_dims=12, text_dims=10,
             embed_dims=16, feedforward_channels=32, **kwargs))
    selector.init_weights()
    return selector


def frames_with_ids(batch, num_frames):
    """(B, K, T, C) tokens whose values name the clip and the frame."""
    ids = torch.arange(batch * num_frames, dtype=torch.float32)
    return ids.view(batch, num_frames, 1, 1).expand(-1, -1, 3, 4).clone()


def test_scores_depend_on_text_and_frames():
    torch.manual_seed(0)
    selector = build()
    assert len(selector.layers) == 2 and selector.layers[0].self_attn \
        .num_heads == 2
    frame_cls, text_cls = torch.randn(2, 5, 12), torch.randn(2, 10)
    scores = selector(frame_cls, text_cls)
    assert scores.shape == (2, 5)
    assert not torch.allclose(scores, selector(frame_cls,
                                               torch.randn(2, 10)))
    assert not torch.allclose(scores[0], scores[1])


def test_test_mode_is_top_k_in_temporal_order():
    selector = build().eval()
    scores = torch.tensor([[0.1, 0.9, 0.3, 0.8], [5., -1., 2., 0.]])
    selected = selector.select(frames_with_ids(2, 4), scores, 2)
    assert selected.shape == (2, 2, 3, 4)
    # clip 0 keeps frames 1 and 3, clip 1 frames 0 and 2 (ids 4 and 6).
    assert selected[:, :, 0, 0].tolist() == [[1., 3.], [4., 6.]]


def test_train_selection_equals_test_when_noise_is_zero(monkeypatch):
    selector = build()
    torch.manual_seed(0)
    scores, tokens = torch.randn(6, 8), torch.randn(6, 8, 5, 7)
    expected = selector.eval().select(tokens, scores, 3)
    monkeypatch.setattr(selector_module, 'sample_gumbel', torch.zeros_like)
    selected = selector.train().select(tokens, scores, 3)
    assert torch.equal(selected, expected)


def test_gumbel_noise_is_seeded_and_random():
    selector = build().train()
    scores, tokens = torch.zeros(64, 6), frames_with_ids(64, 6)
    torch.manual_seed(3)
    first = selector.select(tokens, scores, 2)
    torch.manual_seed(3)
    assert torch.equal(first, selector.select(tokens, scores, 2))
    # Equal scores: the Gumbel noise alone decides, so clips differ.
    chosen = first[:, :, 0, 0] - 6 * torch.arange(64)[:, None]
    assert len({tuple(row) for row in chosen.tolist()}) > 5


def test_straight_through_gradients():
    torch.manual_seed(0)
    selector = build(gumbel_tau=0.5).train()
    frame_cls, text_cls = torch.randn(3, 6, 12), torch.randn(3, 10)
    tokens = torch.randn(3, 6, 4, 8, requires_grad=True)
    scores = selector(frame_cls, text_cls)
    scores.retain_grad()
    selected = selector.select(tokens, scores, 2)
    # Forward: exactly the tokens of two distinct frames of each clip.
    picked = [[
        next(k for k in range(6) if torch.equal(tokens[b, k], selected[b, j]))
        for j in range(2)
    ] for b in range(3)]
    assert all(row[0] < row[1] for row in picked)
    (selected * torch.randn_like(selected)).sum().backward()
    # Gradients reach the scores (through the relaxation) and the selector.
    assert scores.grad.abs().sum() > 0
    assert selector.frame_proj.weight.grad.abs().sum() > 0
    # The tokens' gradient is that of an exact one-hot selection.
    for b, row in enumerate(picked):
        for k in range(6):
            assert (tokens.grad[b, k].abs().sum() > 0) == (k in row)


def soft_selection_loss(scores, tokens, weights, tau):
    """``sum(weights * selected)`` with each selected frame replaced by the
    reference soft row's mix of all frames (what the straight-through
    backward pass differentiates).

    Args:
        scores (Tensor): (B, K) perturbed scores.
        tokens (Tensor): (B, K, ...) frame tokens.
        weights (Tensor): (B, kappa, ...) upstream gradient.
        tau (float): Temperature.
    """
    total = 0.
    for clip, row in enumerate(scores.tolist()):
        _, soft = reference_rows(row, weights.shape[1], tau)
        rows = torch.tensor(soft, dtype=tokens.dtype)
        mixed = rows @ tokens[clip].flatten(1)
        total += (mixed * weights[clip].flatten(1)).sum().item()
    return total


def test_score_gradient_is_that_of_the_reference_soft_rows(monkeypatch):
    torch.manual_seed(0)
    selector = build(gumbel_tau=0.5).train()
    noise = torch.randn(2, 5, dtype=torch.float64)
    monkeypatch.setattr(selector_module, 'sample_gumbel', lambda like: noise)
    scores = torch.randn(2, 5, dtype=torch.float64, requires_grad=True)
    tokens = torch.randn(2, 5, 3, 4, dtype=torch.float64)
    weights = torch.randn(2, 3, 3, 4, dtype=torch.float64)
    (selector.select(tokens, scores, 3) * weights).sum().backward()
    # Central differences of the reference, at the perturbed scores.
    expected = torch.zeros(2, 5, dtype=torch.float64)
    step = 1e-6
    for clip in range(2):
        for frame in range(5):
            shift = torch.zeros(2, 5, dtype=torch.float64)
            shift[clip, frame] = step
            perturbed = scores.detach() + noise
            expected[clip, frame] = (
                soft_selection_loss(perturbed + shift, tokens, weights, 0.5)
                - soft_selection_loss(perturbed - shift, tokens, weights, 0.5)
            ) / (2 * step)
    assert expected.abs().max() > 0.1
    torch.testing.assert_close(scores.grad, expected, rtol=0, atol=1e-7)


def test_kappa_equal_to_k_is_identity_and_bad_kappa_fails():
    selector = build()
    tokens, scores = torch.randn(2, 4, 3, 5), torch.randn(2, 4)
    for mode in (True, False):
        selector.train(mode)
        assert selector.select(tokens, scores, 4) is tokens
    with pytest.raises(ValueError, match='num_selected'):
        selector.select(tokens, scores, 5)
    with pytest.raises(ValueError, match='disagree'):
        selector.select(tokens[:, :3], scores, 2)
    with pytest.raises(ValueError, match='gumbel_tau'):
        TextGuidedFrameSelector(gumbel_tau=0)
