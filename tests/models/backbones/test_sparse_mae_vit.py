"""SparseMAEViT: explicit reference, token counts, switches, gradients."""
import math

import pytest
import torch
import torch.nn.functional as F

from smaug.models.backbones import SparseMAEViT
from smaug.registry import MODELS

TINY = dict(embed_dims=32, num_layers=3, num_heads=2, feedforward_channels=64)


def build(**kwargs):
    """A tiny 64x64 backbone (16 patches) from the registry."""
    cfg = dict(type='SparseMAEViT', arch=TINY, img_size=64, mask_ratio=0.5,
               sparse_layers=(1, 3), keep_rate=0.5)
    cfg.update(kwargs)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def reference_forward(backbone, frames, mask):
    """The same network written out with full attention matrices.

    Args:
        backbone (SparseMAEViT): Supplies weights and settings.
        frames (Tensor): (B, K, 3, H, W).
        mask (Tensor): (B, N) tube mask to apply.

    Returns:
        tuple: tokens (B*K, 1+T, C), positions (B*K, T), list of [CLS]
        attention rows per sparsification layer.
    """
    num_frames = frames.shape[1]
    x = F.conv2d(frames.flatten(0, 1), backbone.conv1.weight, stride=16)
    x = x.flatten(2).transpose(1, 2) + backbone.positional_embedding[1:]
    visible = torch.stack([(~row).nonzero().flatten() for row in mask])
    positions = visible.repeat_interleave(num_frames, dim=0)
    x = torch.stack([tokens[index] for tokens, index in zip(x, positions)])
    cls = backbone.class_embedding + backbone.positional_embedding[0]
    x = torch.cat([cls.expand(x.shape[0], 1, -1), x], dim=1)
    x = F.layer_norm(x, (32, ), backbone.ln_pre.weight, backbone.ln_pre.bias)
    attentions = []
    for index, layer in enumerate(backbone.layers, start=1):
        rows, length, dims = x.shape
        h = F.layer_norm(x, (dims, ), layer.ln_1.weight, layer.ln_1.bias)
        q, k, v = F.linear(h, layer.attn.in_proj_weight,
                           layer.attn.in_proj_bias).chunk(3, dim=-1)
        q, k, v = (t.view(rows, length, 2, 16).transpose(1, 2)
                   for t in (q, k, v))
        attn = (q @ k.transpose(-2, -1) / 4.).softmax(-1)
        out = (attn @ v).transpose(1, 2).reshape(rows, length, dims)
        x = x + layer.attn.out_proj(out)
        if index in backbone.sparse_layers:
            cls_row = attn.mean(1)[:, 0]
            attentions.append(cls_row[:, 1:])
            num_kept = math.ceil(backbone.keep_rate * (length - 1))
            new_x, new_positions = [], []
            for row in range(rows):
                scores = cls_row[row, 1:]
                top = scores.topk(num_kept).indices
                kept = top.sort().values
                rest = torch.tensor(
                    [i for i in range(length - 1) if i not in top.tolist()])
                fused = (scores[rest, None] * x[row, 1 + rest]).sum(0)
                new_x.append(torch.cat(
                    [x[row, :1], x[row, 1 + kept], fused[None]]))
                new_positions.append(torch.cat(
                    [positions[row, kept], torch.tensor([-1])]))
            x, positions = torch.stack(new_x), torch.stack(new_positions)
        h = F.layer_norm(x, (dims, ), layer.ln_2.weight, layer.ln_2.bias)
        h = layer.mlp.c_fc(h)
        x = x + layer.mlp.c_proj(h * torch.sigmoid(1.702 * h))
    x = F.layer_norm(x, (32, ), backbone.ln_post.weight,
                     backbone.ln_post.bias)
    return x, positions, attentions


def test_matches_explicit_full_attention_reference():
    backbone = build().train()
    frames = torch.randn(2, 3, 3, 64, 64)
    with torch.no_grad():
        out = backbone(frames)
        tokens, positions, attentions = reference_forward(
            backbone, frames, out.mask)
    # 16 patches -> 8 visible -> layer 1: 4 kept + 1 fused -> layer 3:
    # ceil(0.5 * 5) = 3 kept + 1 fused.
    assert out.tokens.shape == (2, 3, 1 + 4, 32)
    assert [a.shape[-1] for a in out.cls_attention] == [8, 5]
    assert [p.shape[-1] for p in out.layer_positions] == [5, 4]
    torch.testing.assert_close(out.tokens.flatten(0, 1), tokens, rtol=0,
                               atol=1e-5)
    assert torch.equal(out.token_positions.flatten(0, 1), positions)
    for ours, theirs in zip(out.cls_attention, attentions):
        torch.testing.assert_close(ours.flatten(0, 1), theirs, rtol=0,
                                   atol=1e-6)
    # Layer 3 got a fused token from layer 1 and may have fused it again;
    # every output row ends with exactly one fused token of layer 3.
    assert (out.token_positions[..., -1] == -1).all()
    assert torch.equal(out.layer_positions[-1], out.token_positions)


@pytest.mark.parametrize('mask_ratio, keep_rate, counts', [
    (0., 1., [16, 16, 16]),
    (0.5, 1., [8, 8, 8]),
    (0.5, 0.8, [8, 8, 8]),
    (0.5, 0.5, [8, 5, 4]),
    (0., 0.6, [16, 11, 8]),
])
def test_token_counts(mask_ratio, keep_rate, counts):
    """T entering each layer's attention: ceil(gamma * p) + 1 after each
    sparsification layer (here layers 1 and 2, so layer 3 sees the output)."""
    backbone = build(mask_ratio=mask_ratio, keep_rate=keep_rate,
                     sparse_layers=(1, 2)).train()
    seen = []
    for layer in backbone.layers:
        layer.attn.register_forward_pre_hook(
            lambda module, args: seen.append(args[0].shape[1] - 1))
    out = backbone(torch.randn(2, 2, 3, 64, 64))
    assert seen == counts
    assert out.tokens.shape[2] == 1 + counts[-1]


def test_both_switches_off_is_a_plain_vit():
    plain = build(mask_ratio=0., keep_rate=1.).train()
    also_plain = build(sparse_layers=(), mask_ratio=0.).train()
    frames = torch.randn(1, 2, 3, 64, 64)
    out = plain(frames)
    assert out.tokens.shape == (1, 2, 17, 32)
    assert out.cls_attention == [] and not out.mask.any()
    assert torch.equal(out.token_positions[0, 1], torch.arange(16))
    torch.testing.assert_close(also_plain(frames).tokens, out.tokens)


@pytest.mark.parametrize('with_cp', [False, True])
def test_gradients_reach_every_parameter(with_cp):
    backbone = build(with_cp=with_cp).train()
    torch.manual_seed(1)
    out = backbone(torch.randn(2, 2, 3, 64, 64))
    (out.tokens * torch.randn_like(out.tokens)).sum().backward()
    for name, param in backbone.named_parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0, name


def test_activation_checkpointing_changes_nothing():
    frames = torch.randn(2, 2, 3, 64, 64)
    results = []
    for with_cp in (False, True):
        backbone = build(with_cp=with_cp).train()
        torch.manual_seed(2)
        out = backbone(frames)
        out.tokens.square().sum().backward()
        results.append((out.tokens, backbone.conv1.weight.grad))
    torch.testing.assert_close(results[0][0], results[1][0])
    torch.testing.assert_close(results[0][1], results[1][1])


@pytest.mark.parametrize('size', [224, 288, 336])
def test_resolutions(size):
    backbone = SparseMAEViT(
        arch=dict(embed_dims=32, num_layers=1, num_heads=2,
                  feedforward_channels=64),
        img_size=224, mask_ratio=0.5, sparse_layers=(1, ),
        keep_rate=0.8).train()
    num_patches = (size // 16)**2
    out = backbone(torch.randn(1, 1, 3, size, size))
    visible = num_patches - int(0.5 * num_patches + 0.5)
    assert out.mask.shape == (1, num_patches)
    assert out.tokens.shape == (1, 1, 1 + math.ceil(0.8 * visible) + 1, 32)
    assert out.token_positions.max() < num_patches


def test_gelu_switch():
    backbone = build(act_cfg=dict(type='GELU'))
    assert isinstance(backbone.layers[0].mlp.act, torch.nn.GELU)


@pytest.mark.parametrize('kwargs, field', [
    (dict(arch='huge'), 'arch'),
    (dict(arch=dict(embed_dims=32)), 'num_layers'),
    (dict(mask_ratio=1.), 'mask_ratio'),
    (dict(keep_rate=0.), 'keep_rate'),
    (dict(sparse_layers=(0, )), 'sparse_layers'),
    (dict(img_size=60), 'img_size'),
])
def test_bad_arguments(kwargs, field):
    with pytest.raises(ValueError, match=field):
        build(**kwargs)


def test_bad_frames():
    backbone = build()
    with pytest.raises(ValueError, match=r'\(B, K, 3, H, W\)'):
        backbone(torch.randn(2, 3, 64, 64))
    with pytest.raises(ValueError, match='patch_size'):
        backbone(torch.randn(1, 1, 3, 60, 64))


def test_runs_under_bf16_autocast():
    backbone = build().train()
    frames = torch.randn(2, 2, 3, 64, 64)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = backbone(frames)
    assert out.tokens.shape == (2, 2, 1 + 4, 32)
    assert all(a.dtype == torch.float32 for a in out.cls_attention)
    out.tokens.float().square().sum().backward()
    assert backbone.conv1.weight.grad.abs().sum() > 0
