"""configs/_base_/datasets: every dataloader builds; the synthetic ones run."""
import copy
from pathlib import Path

import pytest
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from smaug.config import load_config
from smaug.registry import DATASETS

CONFIGS = Path(__file__).resolve().parents[2] / 'configs/_base_/datasets'
REAL = ['pretrain_5m', 'pretrain_17m', 'msrvtt_ret', 'didemo_ret', 'anet_ret',
        'msrvtt_qa', 'anet_qa', 'msrvtt_mc']
SYNTHETIC = ['synthetic_pretrain', 'synthetic_ret', 'synthetic_qa',
             'synthetic_mc']
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def datasets_of(cfg):
    """The leaf dataset configs of a dataloader config."""
    dataset = cfg['dataset']
    return dataset['datasets'] if dataset['type'] == 'ConcatDataset' else [
        dataset
    ]


@pytest.mark.parametrize('name', REAL)
def test_real_data_configs_build_lazily(name):
    """Without the data, datasets and pipelines still build (lazy_init)."""
    init_default_scope('smaug')
    cfg = load_config(CONFIGS / f'{name}.py')
    assert cfg.img_size == 224
    for key in LOADERS:
        if cfg.get(key) is None:
            assert name == 'msrvtt_mc' and key == 'train_dataloader'
            continue
        loader = cfg[key]
        for dataset in datasets_of(loader):
            assert dataset['data_root'].startswith('data/')
            test_mode = dataset.get('test_mode', False)
            assert test_mode == (key != 'train_dataloader')
            built = DATASETS.build(dict(copy.deepcopy(dataset),
                                        lazy_init=True))
            sampling = [t for preset in built.pipeline.transforms
                        for t in preset.transforms
                        if type(t).__name__ == 'SampleClipFrames']
            assert all(s.test_mode == test_mode for s in sampling)
        if key != 'train_dataloader':
            assert loader['sampler'] == dict(type='DefaultSampler',
                                             shuffle=False)


def test_frame_counts_and_corpora():
    cfg = load_config(CONFIGS / 'pretrain_17m.py')
    assert [d['data_root'] for d in datasets_of(cfg.train_dataloader)] == [
        f'data/{n}' for n in ('webvid', 'cc3m', 'cc12m', 'sbu', 'vg', 'coco')
    ]
    assert cfg.train_dataloader.batch_sampler.type == 'CorpusBatchSampler'
    anet = load_config(CONFIGS / 'anet_ret.py')
    assert anet.test_dataloader.dataset.pipeline[0].num_frames == 32
    assert anet.test_dataloader.dataset.paragraph
    assert anet.test_dataloader.dataset.ann_file.endswith('ret_val1.json')
    didemo = load_config(CONFIGS / 'didemo_ret.py')
    assert didemo.val_dataloader.dataset.ann_file.endswith('ret_val.json')
    assert didemo.test_dataloader.dataset.ann_file.endswith('ret_test.json')
    assert didemo.test_dataloader.dataset.pipeline[0].num_frames == 12


@pytest.mark.parametrize('name', SYNTHETIC)
def test_synthetic_configs_load_batches(name, synthetic_root):
    init_default_scope('smaug')
    cfg = load_config(CONFIGS / f'{name}.py')
    for key in LOADERS:
        if cfg.get(key) is None:
            continue
        loader = copy.deepcopy(cfg[key].to_dict())
        loader.update(num_workers=0, persistent_workers=False, batch_size=2)
        for dataset in datasets_of(loader):
            dataset['data_root'] = str(synthetic_root)
        batch = next(iter(Runner.build_dataloader(loader, seed=0)))
        frames = cfg.num_frames if key == 'train_dataloader' else \
            cfg.num_test_frames
        shapes = {tuple(x.shape) for x in batch['inputs']}
        assert shapes <= {(frames, 3, 64, 64), (1, 3, 64, 64)}
        assert len(batch['data_samples']) == 2
