"""EViT token sparsification: counts, kept set, fused token (eq. 8)."""
import pytest
import torch

from smaug.models.backbones import num_kept_tokens, sparsify_tokens


@pytest.mark.parametrize('num_tokens, keep_rate, expected',
                         [(98, 0.8, 79), (80, 0.8, 64), (65, 0.8, 52),
                          (10, 0.7, 7), (196, 0.6, 118), (5, 1.0, 5),
                          (1, 0.5, 1), (100, 0.07, 7)])
def test_num_kept_tokens(num_tokens, keep_rate, expected):
    assert num_kept_tokens(num_tokens, keep_rate) == expected


def test_sparsify_tokens():
    torch.manual_seed(0)
    rows, num_tokens, dims = 4, 10, 6
    x = torch.randn(rows, 1 + num_tokens, dims)
    attention = torch.rand(rows, 1 + num_tokens).softmax(-1)
    positions = torch.arange(num_tokens).repeat(rows, 1)
    positions[:, -1] = -1  # a fused token of an earlier layer
    out, out_positions = sparsify_tokens(x, attention, positions, 0.7)
    assert out.shape == (rows, 1 + 7 + 1, dims)
    assert out_positions.shape == (rows, 8)
    torch.testing.assert_close(out[:, 0], x[:, 0])
    for row in range(rows):
        scores = attention[row, 1:]
        top = set(scores.topk(7).indices.tolist())
        rest = sorted(set(range(num_tokens)) - top)
        kept = sorted(top)
        torch.testing.assert_close(out[row, 1:8], x[row, 1:][kept])
        assert out_positions[row, :7].tolist() == positions[row][kept].tolist()
        assert out_positions[row, 7] == -1
        fused = (scores[rest, None] * x[row, 1:][rest]).sum(0)
        torch.testing.assert_close(out[row, 8], fused)


def test_nothing_to_fuse_is_a_no_op():
    x = torch.randn(2, 4, 3)
    positions = torch.arange(3).repeat(2, 1)
    out, out_positions = sparsify_tokens(x, torch.rand(2, 4), positions, 0.9)
    assert out is x and out_positions is positions
