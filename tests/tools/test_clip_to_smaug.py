"""tools/model_converters/clip_to_smaug.py on a tiny open_clip ViT."""
import argparse
import json
import sys

import pytest
import torch
from open_clip.transformer import QuickGELU, VisionTransformer

from smaug.models.backbones import SparseMAEViT

from tool_scripts import TOOLS, load_tool
from trust_checks import assert_refused_unless_trusted

ARCH = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64)


def write_open_clip_checkpoint(path, drop=None):
    """Save a tiny open_clip-style training checkpoint; return the ViT."""
    torch.manual_seed(0)
    visual = VisionTransformer(image_size=64, patch_size=16, width=32,
                               layers=2, heads=2, mlp_ratio=2.0,
                               output_dim=16, act_layer=QuickGELU).eval()
    state_dict = {f'module.visual.{key}': value
                  for key, value in visual.state_dict().items()
                  if key != drop}
    state_dict['module.logit_scale'] = torch.tensor(4.6)
    torch.save(dict(epoch=1, state_dict=state_dict), path)
    return visual


def test_converts_and_loads(tmp_path, capsys):
    src, dst = tmp_path / 'open_clip.pt', tmp_path / 'out' / 'smaug.pth'
    visual = write_open_clip_checkpoint(src)
    convert = load_tool('model_converters/clip_to_smaug.py').main
    assert convert([str(src), str(dst), '--arch', json.dumps(ARCH)]) == 0
    printed = capsys.readouterr().out
    assert '31 keys converted' in printed and '0 missing' in printed
    assert 'ignored: logit_scale, proj' in printed
    saved = torch.load(dst, weights_only=True)
    assert saved['meta']['img_size'] == 64
    assert 'layers.1.attn.in_proj_weight' in saved['state_dict']
    backbone = SparseMAEViT(arch=ARCH, img_size=64, sparse_layers=(),
                            init_cfg=dict(type='Pretrained',
                                          checkpoint=str(dst)))
    backbone.init_weights()
    torch.testing.assert_close(
        backbone.layers[1].mlp.c_fc.weight,
        visual.transformer.resblocks[1].mlp.c_fc.weight)


def test_missing_keys_fail_unless_allowed(tmp_path):
    src, dst = tmp_path / 'open_clip.pt', tmp_path / 'smaug.pth'
    write_open_clip_checkpoint(src, drop='ln_post.bias')
    tool = load_tool('model_converters/clip_to_smaug.py')
    with pytest.raises(SystemExit) as error:
        tool.main([str(src), str(dst), '--arch', json.dumps(ARCH)])
    assert 'missing: ln_post.bias' in str(error.value)
    assert not dst.exists()
    tool.main([str(src), str(dst), '--arch', json.dumps(ARCH),
               '--allow-partial'])
    assert 'ln_post.weight' in torch.load(dst, weights_only=True)['state_dict']


def test_wrong_arch_reports_unknown_and_missing(tmp_path):
    src, dst = tmp_path / 'open_clip.pt', tmp_path / 'smaug.pth'
    write_open_clip_checkpoint(src)
    with pytest.raises(SystemExit) as error:
        load_tool('model_converters/clip_to_smaug.py').main(
            [str(src), str(dst), '--arch',
             json.dumps(dict(ARCH, num_layers=1))])
    assert 'unknown: layers.1.ln_1.weight' in str(error.value)
    with pytest.raises(SystemExit) as error:
        load_tool('model_converters/clip_to_smaug.py').main(
            [str(src), str(dst), '--arch',
             json.dumps(dict(ARCH, num_layers=3))])
    assert 'missing: layers.2.ln_1.weight' in str(error.value)


def test_pickled_objects_need_trust(tmp_path):
    """The converter reads its input weights-only, as training does."""
    src, dst = tmp_path / 'open_clip.pt', tmp_path / 'smaug.pth'
    write_open_clip_checkpoint(src)
    checkpoint = torch.load(src, weights_only=True)
    checkpoint['args'] = argparse.Namespace(model='ViT-B-16')
    torch.save(checkpoint, src)
    command = [sys.executable, str(TOOLS / 'model_converters' /
                                   'clip_to_smaug.py'), str(src), str(dst),
               '--arch', json.dumps(ARCH)]
    assert_refused_unless_trusted(command, dst)
    assert 'conv1.weight' in torch.load(dst, weights_only=True)['state_dict']
