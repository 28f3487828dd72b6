"""The paper's Table 10 configs (MSRVTT fine-tuning at 288x288 and
336x336 frames) train and test at their frame size: every crop and resize
of their pipelines, and the ViT, whose position embedding takes a 224x224
pre-training checkpoint's (14x14 grid) at load."""
from pathlib import Path

import pytest
import torch

from smaug.config import load_config
from smaug.registry import MODELS, TRANSFORMS

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLE10 = REPO_ROOT / 'configs' / 'ablations' / 'table10_resolution'


def frame_sizes(pipeline):
    """The output frame sizes the crops and resizes of a pipeline of
    presets give, as built."""
    sizes = []
    for preset in pipeline:
        for step in TRANSFORMS.build(preset).step_cfgs:
            if step['type'] == 'ClipRandomResizedCrop':
                sizes.append((step['size'], step['size']))
            elif step['type'] == 'ClipResize':
                sizes.append(tuple(step['scale']))
    return sizes


@pytest.mark.parametrize('size', [288, 336])
def test_pipelines_and_backbone_at_the_frame_size(size):
    cfg = load_config(str(TABLE10 / f'smaug_5m_ret_msrvtt_{size}px.py'))
    assert cfg.img_size == size
    assert cfg.paper_reference.table == 'Table 10'
    assert cfg.paper_reference.row.startswith(f'{size}x{size} frames')
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        sizes = frame_sizes(cfg[loader].dataset.pipeline)
        assert sizes and set(sizes) == {(size, size)}, loader
    assert cfg.train_dataloader.dataset.pipeline[0].num_frames == 1
    assert cfg.test_dataloader.dataset.pipeline[0].num_frames == 12

    backbone = MODELS.build(cfg.model.backbone)
    grid = size // 16
    assert backbone.positional_embedding.shape[0] == 1 + grid * grid
    pretrained = dict(backbone.state_dict(),
                      positional_embedding=torch.randn(1 + 14 * 14, 768))
    backbone.load_state_dict(pretrained)
    frames = torch.randn(1, 1, 3, size, size)
    with torch.no_grad():
        assert backbone.eval()(frames).tokens.isfinite().all()


def test_frame_size_follows_cfg_options():
    """``--cfg-options img_size=N`` moves every pipeline and the ViT."""
    cfg = load_config(str(TABLE10 / 'smaug_5m_ret_msrvtt_288px.py'),
                      dict(img_size=320))
    assert cfg.model.backbone.img_size == 320
    assert set(frame_sizes(cfg.val_dataloader.dataset.pipeline)) == {
        (320, 320)}
