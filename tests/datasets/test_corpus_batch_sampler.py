"""CorpusBatchSampler: one corpus per batch, every sample once per epoch,
the same corpus on every rank at each step."""
from unittest import mock

import pytest
from mmengine.dataset import DefaultSampler
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from torch.utils.data import ConcatDataset

from smaug.datasets import CorpusBatchSampler

SIZES = (23, 9, 14)


def concat():
    return ConcatDataset([list(range(n)) for n in SIZES])


def corpus_of(index):
    for corpus, end in enumerate((23, 32, 46)):
        if index < end:
            return corpus


def build(rank=0, world_size=1, batch_size=4, drop_last=True, shuffle=True):
    with mock.patch('smaug.datasets.corpus_batch_sampler.get_dist_info',
                    return_value=(rank, world_size)):
        sampler = DefaultSampler(concat(), shuffle=shuffle, seed=3)
        return CorpusBatchSampler(sampler, batch_size, drop_last=drop_last)


def test_each_batch_is_one_corpus_and_all_samples_appear_once():
    batches = list(build(drop_last=False))
    assert len(batches) == len(build(drop_last=False)) == 6 + 3 + 4
    for batch in batches:
        assert len({corpus_of(i) for i in batch}) == 1
    flat = sorted(i for batch in batches for i in batch)
    assert flat == list(range(sum(SIZES)))
    corpora = [corpus_of(b[0]) for b in batches]
    assert corpora != sorted(corpora)  # corpora are interleaved


def test_drop_last_keeps_full_batches():
    batches = list(build(drop_last=True))
    assert len(batches) == 5 + 2 + 3
    assert all(len(b) == 4 for b in batches)


def test_ranks_share_the_corpus_order_and_split_the_samples():
    per_rank = [list(build(rank=r, world_size=2)) for r in range(2)]
    assert len(per_rank[0]) == len(per_rank[1])
    assert [corpus_of(b[0]) for b in per_rank[0]] == \
        [corpus_of(b[0]) for b in per_rank[1]]
    seen = [{i for b in batches for i in b} for batches in per_rank]
    assert not seen[0] & seen[1]


def test_epochs_reshuffle_deterministically():
    sampler = build()
    first = list(sampler)
    assert list(sampler) == first
    sampler.sampler.set_epoch(1)
    assert list(sampler) != first
    assert sorted(map(tuple, build(shuffle=False))) == list(
        map(tuple, build(shuffle=False)))


def test_bad_batch_size():
    with pytest.raises(ValueError, match='batch_size'):
        build(batch_size=0)


def test_runner_builds_a_mixed_frame_count_loader(synthetic_root):
    """Videos (K=4) and images (K=1) mixed: every batch has one K."""
    init_default_scope('smaug')
    video = dict(
        type='VideoTextPretrainDataset', data_root=str(synthetic_root),
        ann_file='annotations/pretrain_video.json', pipeline=[
            dict(type='DecordInit'),
            dict(type='SampleClipFrames', num_frames=4),
            dict(type='DecordDecode'),
            dict(type='ClipRandomResizedCrop', size=16),
            dict(type='PackVideoTextInputs')
        ])
    image = dict(
        type='VideoTextPretrainDataset', data_root=str(synthetic_root),
        ann_file='annotations/pretrain_image.json', pipeline=[
            dict(type='LoadImageAsClip'),
            dict(type='ClipRandomResizedCrop', size=16),
            dict(type='PackVideoTextInputs')
        ])
    loader = Runner.build_dataloader(
        dict(batch_size=2, num_workers=0,
             sampler=dict(type='DefaultSampler', shuffle=True),
             batch_sampler=dict(type='CorpusBatchSampler'),
             dataset=dict(type='ConcatDataset', datasets=[video, image])),
        seed=0)
    assert isinstance(loader.batch_sampler, CorpusBatchSampler)
    frame_counts = set()
    for batch in loader:
        ks = {x.shape[0] for x in batch['inputs']}
        assert len(ks) == 1
        frame_counts |= ks
    assert frame_counts == {1, 4}


def test_skip_batches_leaves_out_the_start_of_one_pass_only():
    whole = list(build())
    sampler = build()
    sampler.skip_batches(3)
    assert list(sampler) == whole[3:]
    assert len(sampler) == len(whole)
    assert list(sampler) == whole  # the next pass is whole again
    with pytest.raises(ValueError, match='cannot skip 11 of 10 batches'):
        sampler.skip_batches(11)
