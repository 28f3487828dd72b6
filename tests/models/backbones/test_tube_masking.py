"""Tube masking: fixed count, one mask per clip shared by its frames."""
import pytest
import torch

from smaug.models.backbones import (SparseMAEViT, num_masked_patches,
                                    sample_tube_mask)


@pytest.mark.parametrize('num_patches, ratio, expected',
                         [(196, 0.5, 98), (16, 0.5, 8), (16, 0.3, 5),
                          (16, 0.75, 12), (196, 0.65, 127), (16, 0., 0),
                          (4, 0.99, 3)])
def test_num_masked_patches(num_patches, ratio, expected):
    assert num_masked_patches(num_patches, ratio) == expected


def test_sample_tube_mask():
    torch.manual_seed(0)
    mask, visible = sample_tube_mask(64, 16, 0.5)
    assert mask.shape == (64, 16) and visible.shape == (64, 8)
    assert (mask.sum(1) == 8).all()
    assert (visible.diff(dim=1) > 0).all()
    assert not mask.gather(1, visible).any()
    assert len({tuple(row.tolist()) for row in mask}) > 50


def test_backbone_shares_the_mask_across_frames():
    torch.manual_seed(0)
    backbone = SparseMAEViT(
        arch=dict(embed_dims=32, num_layers=1, num_heads=2,
                  feedforward_channels=64),
        img_size=64, mask_ratio=0.75, sparse_layers=()).train()
    out = backbone(torch.randn(3, 4, 3, 64, 64))
    assert out.mask.shape == (3, 16)
    assert (out.mask.sum(1) == 12).all()
    assert out.tokens.shape == (3, 4, 1 + 4, 32)
    for clip in range(3):
        visible = (~out.mask[clip]).nonzero().flatten()
        for frame in range(4):
            assert out.token_positions[clip, frame].tolist() == \
                visible.tolist()
    assert not torch.equal(out.mask[0], out.mask[1])

    backbone.eval()
    out = backbone(torch.randn(3, 4, 3, 64, 64))
    assert not out.mask.any() and out.tokens.shape == (3, 4, 17, 32)
