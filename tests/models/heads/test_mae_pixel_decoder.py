"""MAEPixelDecoder: token placement on the grid, shapes, masked-only loss."""
import pytest
import torch

from smaug.models.heads import patchify, sincos_position_embedding_2d
from smaug.registry import MODELS


def build(**kwargs):
    """A 32-d decoder for 64x64 frames (16 patches of 16x16)."""
    cfg = dict(type='MAEPixelDecoder', in_channels=24, embed_dims=32,
               num_heads=2, feedforward_channels=64, img_size=64, depth=1)
    cfg.update(kwargs)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def test_sincos_position_embedding():
    table = sincos_position_embedding_2d((3, 4), 16)
    assert table.shape == (12, 16)
    assert len({tuple(row.tolist()) for row in table.round(decimals=4)}) == 12
    # Same row -> same first half; same column -> same second half.
    torch.testing.assert_close(table[4, :8], table[7, :8])
    torch.testing.assert_close(table[1, 8:], table[9, 8:])
    with pytest.raises(ValueError, match='multiple of 4'):
        sincos_position_embedding_2d((2, 2), 10)


def test_shapes_and_default_depth():
    decoder = build(depth=3)
    assert len(decoder.layers) == 3
    tokens = torch.randn(2, 3, 1 + 5, 24)
    positions = torch.tensor([0, 3, 7, 9, -1]).repeat(2, 3, 1)
    assert decoder(tokens, positions).shape == (2, 3, 16, 16 * 16 * 3)
    # A 96x96 frame: 6x6 grid, the sine-cosine table follows.
    positions = torch.tensor([0, 3, 20, 35, -1]).repeat(2, 3, 1)
    pred = decoder(tokens, positions, grid_size=(6, 6))
    assert pred.shape == (2, 3, 36, 768)


def test_tokens_go_to_their_positions_and_mask_tokens_elsewhere():
    """Without blocks every output patch depends on its grid slot only."""
    decoder = build(depth=0)
    tokens = torch.randn(1, 2, 1 + 4, 24)
    positions = torch.tensor([[2, 5, 11, -1], [0, 2, -1, -1]])[None]
    pred = decoder(tokens, positions)
    pos_embed = sincos_position_embedding_2d((4, 4), 32)
    for frame in range(2):
        for slot in range(16):
            listed = (positions[0, frame] == slot).nonzero().flatten()
            if len(listed):
                value = decoder.decoder_embed(tokens[0, frame, 1 + listed[0]])
            else:
                value = decoder.mask_token[0, 0]
            expected = decoder.head(decoder.norm(value + pos_embed[slot]))
            torch.testing.assert_close(pred[0, frame, slot], expected)
    # Fused tokens (-1) are dropped: changing them changes nothing.
    changed = tokens.clone()
    changed[0, 0, 4] += 5.
    changed[0, 1, 3:] += 5.
    torch.testing.assert_close(decoder(changed, positions), pred)


def test_loss_on_masked_patches_only():
    decoder = build(norm_pix_loss=False)
    frames = torch.randn(2, 2, 3, 64, 64)
    mask = torch.zeros(2, 16, dtype=torch.bool)
    mask[0, [1, 4]] = True
    mask[1, [0, 7, 15]] = True
    pred = torch.randn(2, 2, 16, 768, requires_grad=True)
    loss = decoder.loss(pred, frames, mask)
    target = patchify(frames.flatten(0, 1), 16).view(2, 2, 16, 768)
    per_patch = (pred - target).pow(2).mean(-1)
    expected = (per_patch[0][:, [1, 4]].sum() +
                per_patch[1][:, [0, 7, 15]].sum()) / (2 * 2 + 2 * 3)
    torch.testing.assert_close(loss, expected)
    loss.backward()
    assert (pred.grad[0][:, [0, 2, 3]] == 0).all()
    assert (pred.grad[0][:, [1, 4]] != 0).any()


def test_norm_pix_target():
    decoder = build()
    frames = 2 + 3 * torch.randn(1, 1, 3, 64, 64)
    target = patchify(frames[0], 16)[None]
    mean = target.mean(-1, keepdim=True)
    std = (target.var(-1, keepdim=True) + 1e-6).sqrt()
    mask = torch.ones(1, 16, dtype=torch.bool)
    assert decoder.loss((target - mean) / std, frames, mask) < 1e-10
    assert decoder.loss(target, frames, mask) > 1


def test_nothing_masked_gives_zero():
    decoder = build()
    pred = torch.randn(1, 1, 16, 768, requires_grad=True)
    loss = decoder.loss(pred, torch.randn(1, 1, 3, 64, 64),
                        torch.zeros(1, 16, dtype=torch.bool))
    loss.backward()
    assert loss.item() == 0 and (pred.grad == 0).all()


def test_end_to_end_with_backbone_gradients():
    backbone = MODELS.build(
        dict(type='SparseMAEViT', arch=dict(embed_dims=24, num_layers=2,
                                            num_heads=2,
                                            feedforward_channels=48),
             img_size=64, mask_ratio=0.5, sparse_layers=(1, ),
             keep_rate=0.5)).train()
    decoder = build()
    frames = torch.randn(2, 2, 3, 64, 64)
    out = backbone(frames)
    loss = decoder.loss(decoder(out.tokens, out.token_positions), frames,
                        out.mask)
    loss.backward()
    for name, param in decoder.named_parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0, name
    assert backbone.conv1.weight.grad.abs().sum() > 0


def test_mismatched_inputs():
    decoder = build()
    with pytest.raises(ValueError, match='token_positions'):
        decoder(torch.randn(1, 1, 5, 24), torch.zeros(1, 1, 5).long())
    with pytest.raises(ValueError, match='mask'):
        decoder.loss(torch.randn(1, 1, 16, 768), torch.randn(1, 1, 3, 64, 64),
                     torch.zeros(1, 9, dtype=torch.bool))
