"""MultiheadSelfAttention: CLIP's layout, SDPA output, separate [CLS] row."""
import torch
from torch import nn

from smaug.models.backbones import MultiheadSelfAttention


def test_matches_torch_multihead_attention():
    torch.manual_seed(0)
    ours = MultiheadSelfAttention(32, 4)
    reference = nn.MultiheadAttention(32, 4, batch_first=True)
    reference.load_state_dict(ours.state_dict())
    x = torch.randn(3, 7, 32)
    expected, weights = reference(x, x, x, need_weights=True)
    out, cls_attention = ours(x, return_cls_attention=True)
    torch.testing.assert_close(out, expected, rtol=0, atol=1e-6)
    # need_weights averages over heads by default: row 0 is the [CLS] row.
    torch.testing.assert_close(cls_attention, weights[:, 0], rtol=0,
                               atol=1e-6)
    torch.testing.assert_close(cls_attention.sum(-1), torch.ones(3))


def test_indivisible_heads_rejected():
    try:
        MultiheadSelfAttention(30, 4)
    except ValueError as error:
        assert 'num_heads' in str(error)
    else:
        raise AssertionError('expected a ValueError')
