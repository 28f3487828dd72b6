"""QuickGELU: CLIP's activation via SiLU, the one smaug's registry builds."""
import torch
from mmpretrain.models.utils import QuickGELU as LiteralQuickGELU

from smaug.models.backbones import QuickGELU, ResidualAttentionBlock
from smaug.registry import MODELS


def test_same_values_and_gradients_as_the_literal_formula():
    x = (torch.randn(4, 7, 64) * 4).requires_grad_()
    ours = QuickGELU()(x)
    ours.square().sum().backward()
    grad = x.grad.clone()
    x.grad = None
    literal = LiteralQuickGELU()(x)
    literal.square().sum().backward()
    torch.testing.assert_close(ours, literal)
    torch.testing.assert_close(grad, x.grad)
    expected = x * torch.sigmoid(1.702 * x)
    torch.testing.assert_close(ours, expected)


def test_registry_and_vit_blocks_build_it():
    assert isinstance(MODELS.build(dict(type='QuickGELU')), QuickGELU)
    block = ResidualAttentionBlock(32, 2, 64)
    assert isinstance(block.mlp.act, QuickGELU)
