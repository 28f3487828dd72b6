"""smaug's registries: children of mmpretrain's, open to user modules."""
import sys

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from smaug.registry import DATASETS, MODELS


def test_registries_are_children_of_mmpretrain():
    assert MODELS.parent.scope == 'mmpretrain'
    assert MODELS.parent.parent.scope == 'mmengine'
    assert DATASETS.scope == 'smaug'


def test_config_names_mmpretrain_module():
    init_default_scope('smaug')
    vit = MODELS.build(dict(type='mmpretrain.VisionTransformer',
                            arch=dict(embed_dims=32, num_layers=1,
                                      num_heads=2, feedforward_channels=64),
                            img_size=32, patch_size=16))
    assert vit(torch.zeros(1, 3, 32, 32))[0].shape[-1] == 32


def test_user_module_registered_by_decorator(tmp_path, monkeypatch):
    package = tmp_path / 'my_project'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'my_selector.py').write_text(
        'import torch\n'
        'from smaug.registry import MODELS\n\n'
        '@MODELS.register_module()\n'
        'class PickFirstFrames(torch.nn.Module):\n'
        '    def forward(self, frames, num_selected):\n'
        '        return frames[:, :num_selected]\n')
    config = tmp_path / 'config.py'
    config.write_text(
        "custom_imports = dict(imports=['my_project.my_selector'])\n"
        "model = dict(type='PickFirstFrames')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = Config.fromfile(str(config))  # imports my_project.my_selector
    assert 'my_project.my_selector' in sys.modules
    init_default_scope('smaug')
    selector = MODELS.build(cfg.model)
    assert selector(torch.arange(8).view(2, 4), 2).tolist() == [[0, 1],
                                                                [4, 5]]
