"""SMAUGPretrain on the tiny config: losses, gradients, retrieval contract."""
import sys
from pathlib import Path

import pytest
import torch
from mmpretrain.structures import DataSample

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'fixtures'))
from tiny_smaug import build_tiny_smaug, write_vocab  # noqa: E402

WORDS = ('a red blue green circle square triangle moves left right up down '
         'then appears disappears').split()
CAPTIONS = ['a red circle moves left', 'a blue square appears',
            'a green triangle moves up', 'a red circle moves left']


@pytest.fixture
def tiny_model(tmp_path):
    """The tiny SMAUG with a vocabulary written by the test."""
    model = build_tiny_smaug(write_vocab(tmp_path / 'vocab.txt', WORDS))
    model.init_weights()
    return model


def make_batch(num_clips=4, num_frames=4, size=64):
    """A collated batch as the dataloader gives it."""
    clips = [torch.randint(0, 256, (num_frames, 3, size, size),
                           dtype=torch.uint8) for _ in range(num_clips)]
    samples = [DataSample(metainfo=dict(text=caption,
                                        video_path=f'v{i % 3}.mp4'))
               for i, caption in enumerate(CAPTIONS[:num_clips])]
    return dict(inputs=clips, data_samples=samples)


def test_losses_are_finite_and_reach_every_parameter(tiny_model):
    tiny_model.train()
    data = tiny_model.data_preprocessor(make_batch(), True)
    losses = tiny_model(**data, mode='loss')
    assert {'loss_vtc', 'loss_vtm', 'loss_mlm', 'loss_mvm'} <= set(losses)
    total = sum(value for key, value in losses.items() if 'loss' in key)
    assert torch.isfinite(total)
    total.backward()
    # The temporal encoder starts as the identity (zero output projections),
    # so the layers behind those projections get exactly-zero gradients at
    # the first step; every parameter must still be in the graph.
    unreached = [name for name, param in tiny_model.named_parameters()
                 if param.requires_grad and param.grad is None]
    assert not unreached
    for part in ('frame_selector', 'backbone', 'mvm_head', 'mlm_head',
                 'multimodal_encoder', 'vtc_head', 'vtm_head'):
        grads = [param.grad.abs().sum() for param in
                 getattr(tiny_model, part).parameters()]
        assert sum(grads) > 0, part


def test_dense_baseline_without_optional_parts(tiny_model):
    parts = dict(tiny_model.named_children())
    assert parts['frame_selector'] is not None
    dense = build_tiny_smaug(
        tiny_model.data_preprocessor.tokenizer_source, mlm_head=None,
        mvm_head=None, frame_selector=None, num_selected_frames=None,
        backbone=dict(mask_ratio=0., keep_rate=1.))
    data = dense.data_preprocessor(make_batch(), True)
    losses = dense(**data, mode='loss')
    assert set(k for k in losses if 'loss' in k) == {'loss_vtc', 'loss_vtm'}


def test_retrieval_contract_shapes(tiny_model):
    tiny_model.eval()
    data = tiny_model.data_preprocessor(make_batch(num_clips=3, num_frames=6),
                                        False)
    with torch.no_grad():
        video = tiny_model.extract_video_feats(data['inputs'])
        text = tiny_model.extract_text_feats(CAPTIONS[:3])
        scores = tiny_model.score_pairs(video['tokens'], text['hidden'],
                                        text['attention_mask'])
    assert video['emb'].shape == (3, 32)
    assert torch.allclose(video['emb'].norm(dim=-1), torch.ones(3))
    # no masking at test: every patch of the 8x8 grid minus sparsification
    assert video['tokens'].shape[:2] == (3, 6)
    assert text['emb'].shape == (3, 32)
    assert scores.shape == (3, )


def test_training_without_captions_is_refused(tiny_model):
    data = tiny_model.data_preprocessor(make_batch(), True)
    with pytest.raises(ValueError, match='caption'):
        tiny_model(data['inputs'], data['data_samples'], None, mode='loss')
