"""PretrainVisualizationHook: figures logged, training unchanged."""
import contextlib
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from mmengine.runner import Runner
from mmpretrain.structures import DataSample
from PIL import Image
from torch.utils.data import Dataset

from smaug.engine import PretrainVisualizationHook
from smaug.registry import HOOKS
from smaug.visualization import frame_selection_grid, reconstruction_grid

import tiny_smaug

CAPTIONS = ['a red circle moves left', 'the blue square goes up',
            'a green triangle appears', 'the orange diamond moves down']


class ClipTexts(Dataset):
    """Random uint8 clips with captions, as the pre-training pipeline gives
    them."""

    def __init__(self, num_frames=4):
        self.clips = tiny_smaug.random_clips(len(CAPTIONS), num_frames)

    def __len__(self):
        return len(CAPTIONS)

    def __getitem__(self, index):
        sample = DataSample(metainfo=dict(text=CAPTIONS[index],
                                          video_path=f'v{index}.mp4'))
        return dict(inputs=self.clips[index], data_samples=sample)


class RecordingVisualizer:
    """Keeps what ``add_image`` receives."""

    def __init__(self):
        self.images = []

    def add_image(self, name, image, step=0):
        self.images.append((name, image.shape, step))


@pytest.fixture(autouse=True)
def single_thread():
    """One intra-op thread: multi-threaded CPU reductions may differ in the
    last bit between runs, which would hide what the loss comparison tests
    (and one thread is faster on a busy 2-core machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope='module')
def vocab(tmp_path_factory):
    return tiny_smaug.write_vocab(
        tmp_path_factory.mktemp('vocab') / 'vocab.txt')


def train(vocab, hook=None, steps=3):
    """A few AdamW steps of the tiny model; the hook after each."""
    model = tiny_smaug.build_tiny_smaug(vocab).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    dataset = ClipTexts()
    runner = SimpleNamespace(model=model, iter=0,
                             visualizer=RecordingVisualizer())
    torch.manual_seed(1)
    history = []
    for step in range(steps):
        items = [dataset[(2 * step + i) % len(dataset)] for i in range(2)]
        batch = dict(inputs=[item['inputs'] for item in items],
                     data_samples=[item['data_samples'] for item in items])
        losses = model(**model.data_preprocessor(batch, True), mode='loss')
        optimizer.zero_grad()
        sum(value for key, value in losses.items() if 'loss' in key).backward()
        optimizer.step()
        history.append({key: value.detach() for key, value in losses.items()})
        if hook is not None:
            runner.iter = step
            hook.after_train_iter(runner, step, batch, losses)
    return history, runner.visualizer.images


def assert_same_losses(first, second):
    for step, (a, b) in enumerate(zip(first, second)):
        assert a.keys() == b.keys()
        for key in a:
            assert torch.equal(a[key], b[key]), (step, key)


def test_losses_are_identical_with_and_without_the_hook(vocab):
    baseline, _ = train(vocab)
    hook = HOOKS.build(dict(type='PretrainVisualizationHook', interval=1,
                            num_clips=2))
    with_hook, images = train(vocab, hook)
    assert_same_losses(baseline, with_hook)
    recon_shape = reconstruction_grid(4, (64, 64)).shape
    selection_shape = frame_selection_grid(4, (64, 64)).shape
    assert images == [
        (name, (2 * shape[0], shape[1], 3), step) for step in (1, 2, 3)
        for name, shape in (('reconstruction', recon_shape),
                            ('frame_selection', selection_shape))]


def test_the_comparison_would_catch_a_hook_that_draws_random_numbers(
        vocab, monkeypatch):
    """Control: without restoring the random state, losses change."""
    monkeypatch.setattr(torch.random, 'fork_rng',
                        lambda **kwargs: contextlib.nullcontext())
    baseline, _ = train(vocab, steps=2)
    hook = PretrainVisualizationHook(interval=1)
    with_hook, _ = train(vocab, hook, steps=2)
    assert not torch.equal(baseline[1]['loss_mvm'], with_hook[1]['loss_mvm'])


def test_skips_what_the_model_or_batch_cannot_show(vocab):
    clips = tiny_smaug.random_clips(num_clips=2)
    dense = tiny_smaug.build_tiny_smaug(vocab, mvm_head=None,
                                        frame_selector=None,
                                        num_selected_frames=None)
    assert PretrainVisualizationHook.figures(dense, clips, CAPTIONS[:2]) == {}
    warnings = []
    runner = SimpleNamespace(model=dense,
                             logger=SimpleNamespace(warning=warnings.append))
    PretrainVisualizationHook().before_train(runner)
    assert 'nothing will be drawn' in warnings[0]

    model = tiny_smaug.build_tiny_smaug(vocab)
    images = tiny_smaug.random_clips(num_clips=2, num_frames=1)
    assert set(PretrainVisualizationHook.figures(
        model, images, CAPTIONS[:2])) == {'reconstruction'}
    assert set(PretrainVisualizationHook.figures(
        model, clips, [None, CAPTIONS[0]])) == {'reconstruction'}
    with pytest.raises(ValueError, match='interval'):
        PretrainVisualizationHook(interval=0)


def test_logs_png_and_tensorboard_files_in_a_runner(vocab, tmp_path):
    model = tiny_smaug.tiny_model_cfg()
    model.data_preprocessor.tokenizer = vocab
    runner = Runner(
        model=model,
        work_dir=str(tmp_path),
        train_dataloader=dict(
            dataset=ClipTexts(), batch_size=2, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False)),
        train_cfg=dict(by_epoch=False, max_iters=2),
        optim_wrapper=dict(optimizer=dict(type='AdamW', lr=1e-4)),
        default_hooks=dict(checkpoint=None,
                           logger=dict(type='LoggerHook', interval=1)),
        custom_hooks=[dict(type='PretrainVisualizationHook', interval=2)],
        visualizer=dict(type='Visualizer', name=f'vis_{uuid.uuid4().hex}',
                        vis_backends=[dict(type='LocalVisBackend'),
                                      dict(type='TensorboardVisBackend')]),
        default_scope='smaug')
    runner.train()
    vis_dir = Path(runner.log_dir) / 'vis_data'
    saved = sorted(path.name for path in (vis_dir / 'vis_image').iterdir())
    assert saved == ['frame_selection_2.png', 'reconstruction_2.png']
    with Image.open(vis_dir / 'vis_image' / 'reconstruction_2.png') as image:
        height, width = reconstruction_grid(4, (64, 64)).shape
        assert image.size == (width, 2 * height)
    events = list(vis_dir.glob('events.out.tfevents.*'))
    assert events and events[0].stat().st_size > 10_000
