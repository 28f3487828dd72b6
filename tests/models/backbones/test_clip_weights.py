"""CLIP weight conversion: parity with open_clip's ViT and key reporting."""
from collections import OrderedDict

import open_clip
import pytest
import torch
from open_clip.transformer import QuickGELU, VisionTransformer

from smaug.models.backbones import (SparseMAEViT,
                                    convert_clip_visual_state_dict,
                                    load_clip_visual_weights, read_checkpoint)

TINY = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64)


def tiny_clip_visual(image_size=64):
    """A randomly initialised open_clip ViT in OpenAI's layout, 32-d."""
    torch.manual_seed(0)
    visual = VisionTransformer(image_size=image_size, patch_size=16, width=32,
                               layers=2, heads=2, mlp_ratio=2.0,
                               output_dim=16, act_layer=QuickGELU)
    # open_clip leaves the LayerNorms at ones/zeros; randomise them so the
    # parity checks also cover those keys.
    with torch.no_grad():
        for name, param in visual.named_parameters():
            if 'ln' in name:
                param.add_(0.1 * torch.randn_like(param))
    return visual.eval()


def tiny_backbone(img_size=64, **kwargs):
    """A 32-d SparseMAEViT with masking and sparsification off."""
    arch = dict(TINY, **kwargs)
    return SparseMAEViT(arch=arch, img_size=img_size, mask_ratio=0.,
                        sparse_layers=()).eval()


def clip_features(visual, images):
    """[CLS] and patch tokens after ln_post, before the projection."""
    visual.proj, visual.output_tokens = None, True
    with torch.no_grad():
        return visual(images)


def smaug_features(backbone, images):
    """[CLS] and patch tokens of SparseMAEViT for single-frame clips."""
    with torch.no_grad():
        tokens = backbone(images[:, None]).tokens[:, 0]
    return tokens[:, 0], tokens[:, 1:]


def test_vit_b16_parity_with_open_clip():
    torch.manual_seed(0)
    clip = open_clip.create_model('ViT-B-16', pretrained=None,
                                  force_quick_gelu=True)
    backbone = SparseMAEViT(arch='b', mask_ratio=0., keep_rate=1.).eval()
    report = load_clip_visual_weights(backbone, clip.state_dict())
    assert report.ok and report.converted == len(backbone.state_dict())
    assert 'proj' in report.ignored and 'logit_scale' in report.ignored

    images = torch.randn(2, 3, 224, 224)
    clip_cls, clip_patches = clip_features(clip.visual.eval(), images)
    cls, patches = smaug_features(backbone, images)
    cls_diff = (cls - clip_cls).abs().max().item()
    patch_diff = (patches - clip_patches).abs().max().item()
    print(f'ViT-B/16 parity max abs diff: [CLS] {cls_diff:.3g}, '
          f'patches {patch_diff:.3g}')
    assert cls_diff < 1e-5 and patch_diff < 1e-5


@pytest.mark.parametrize('wrap', ['plain', 'visual_prefix', 'module_wrapped'])
def test_state_dict_forms(wrap):
    visual = tiny_clip_visual()
    state_dict = visual.state_dict()
    if wrap == 'visual_prefix':
        state_dict = {f'visual.{k}': v for k, v in state_dict.items()}
        state_dict['logit_scale'] = torch.tensor(1.)
    elif wrap == 'module_wrapped':
        state_dict = dict(epoch=3, state_dict={
            f'module.visual.{k}': v for k, v in state_dict.items()})
    backbone = tiny_backbone()
    assert load_clip_visual_weights(backbone, state_dict).ok
    images = torch.randn(2, 3, 64, 64)
    expected = clip_features(visual, images)
    for ours, theirs in zip(smaug_features(backbone, images), expected):
        torch.testing.assert_close(ours, theirs, rtol=0, atol=1e-5)


def test_torchscript_archive(tmp_path):
    """OpenAI releases a TorchScript file; it is read with torch.jit.load."""

    class Clip(torch.nn.Module):

        def __init__(self):
            super().__init__()
            self.visual = tiny_clip_visual()

        def forward(self, images):
            return self.visual(images)

    path = tmp_path / 'ViT-tiny.pt'
    torch.jit.trace(Clip().eval(), torch.randn(1, 3, 64, 64),
                    check_trace=False).save(str(path))
    state_dict = read_checkpoint(str(path))
    assert 'visual.conv1.weight' in state_dict
    backbone = tiny_backbone()
    report = load_clip_visual_weights(backbone, str(path))
    assert report.ok and report.source == str(path)
    torch.testing.assert_close(backbone.conv1.weight,
                               state_dict['visual.conv1.weight'])


def test_unknown_and_missing_keys_are_reported():
    state_dict = OrderedDict(tiny_clip_visual().state_dict())
    del state_dict['ln_post.bias']
    state_dict['transformer.resblocks.0.ls_1.gamma'] = torch.ones(32)
    converted, report = convert_clip_visual_state_dict(state_dict)
    assert report.unknown == ['transformer.resblocks.0.ls_1.gamma']
    assert 'layers.1.mlp.c_proj.weight' in converted
    assert 'transformer.resblocks.1.mlp.c_proj.weight' not in converted

    backbone = tiny_backbone()
    with pytest.raises(RuntimeError) as error:
        load_clip_visual_weights(backbone, state_dict)
    assert 'unknown: transformer.resblocks.0.ls_1.gamma' in str(error.value)
    assert 'missing: ln_post.bias' in str(error.value)

    before = backbone.ln_post.bias.clone()
    report = load_clip_visual_weights(backbone, state_dict,
                                      allow_partial=True)
    assert report.missing == ['ln_post.bias']
    torch.testing.assert_close(backbone.ln_post.bias, before)
    torch.testing.assert_close(backbone.conv1.weight,
                               state_dict['conv1.weight'])


def test_deeper_checkpoint_layers_are_unknown():
    state_dict = tiny_clip_visual().state_dict()
    backbone = tiny_backbone(num_layers=1)
    with pytest.raises(RuntimeError, match='unknown: layers.1.ln_1.weight'):
        load_clip_visual_weights(backbone, state_dict)


def test_init_cfg_pretrained_with_prefix(tmp_path):
    visual = tiny_clip_visual()
    path = tmp_path / 'smaug.pth'
    torch.save({'state_dict': {f'backbone.{k}': v
                               for k, v in visual.state_dict().items()}},
               path)
    backbone = SparseMAEViT(
        arch=TINY, img_size=64, sparse_layers=(), init_cfg=dict(
            type='Pretrained', checkpoint=str(path), prefix='backbone.'))
    backbone.init_weights()
    torch.testing.assert_close(backbone.positional_embedding,
                               visual.positional_embedding)


def test_position_embedding_resized_at_load():
    """A 64x64 (4x4-grid) checkpoint loads into a 96x96 (6x6) model."""
    visual = tiny_clip_visual()
    backbone = tiny_backbone(img_size=96)
    load_clip_visual_weights(backbone, visual.state_dict())
    assert backbone.positional_embedding.shape == (37, 32)
    torch.testing.assert_close(backbone.positional_embedding[0],
                               visual.positional_embedding[0])
    # The 64x64 model run on 96x96 frames resizes on the fly the same way.
    small = tiny_backbone()
    load_clip_visual_weights(small, visual.state_dict())
    frames = torch.randn(1, 1, 3, 96, 96)
    with torch.no_grad():
        torch.testing.assert_close(small(frames).tokens,
                                   backbone(frames).tokens)
