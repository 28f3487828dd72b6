"""Exact gradient accumulation (``SMAUGPretrain(micro_batches=N)``): one
step over N checkpointed micro-batches gives the gradient of one batch,
for all four losses, where summing the micro-batches' losses (mmengine's
``accumulative_counts``) does not."""

import pytest
import torch
from mmpretrain.structures import DataSample

from tiny_smaug import WORDS, build_tiny_smaug, tiny_model_cfg
from tiny_smaug import random_clips, write_vocab

MICRO_BATCHES, MICRO_BATCH_SIZE = 4, 2
LOSSES = ('loss_vtc', 'loss_vtm', 'loss_mlm', 'loss_mvm')


def make_batch():
    """8 clips and captions as collated; clips 1 and 7 are the same video,
    and clips 2 and 4 have the same caption, each pair in different
    micro-batches (VTM must not draw them as each other's negatives)."""
    num = MICRO_BATCHES * MICRO_BATCH_SIZE
    generator = torch.Generator().manual_seed(0)
    words = torch.randint(0, len(WORDS), (num, 5), generator=generator)
    captions = [' '.join(WORDS[i] for i in row) for row in words.tolist()]
    captions[4] = captions[2]
    paths = [f'v{i}.mp4' for i in range(num)]
    paths[7] = paths[1]
    samples = [DataSample(metainfo=dict(text=text, video_path=path))
               for text, path in zip(captions, paths)]
    return dict(inputs=random_clips(num), data_samples=samples)


def build_model(vocab, micro_batches, retrieval=False):
    """The tiny SMAUG in float64 without dropout (the one random draw
    that micro-batches take in another order than the whole batch).

    Args:
        vocab (str): The tokenizer's ``vocab.txt``.
        micro_batches (int): ``micro_batches`` of the model.
        retrieval (bool): Build the retrieval model (VTC + VTM only)
            instead of the pre-training model.
    """
    model_cfg = tiny_model_cfg()
    no_dropout = dict(model_cfg.text_encoder.arch, dropout=0.)
    parts = {part: dict(model_cfg[part], arch=no_dropout)
             for part in ('text_encoder', 'multimodal_encoder', 'mlm_head')}
    if retrieval:
        parts.update(type='SMAUGRetrieval', mlm_head=None, mvm_head=None)
    model = build_tiny_smaug(vocab, micro_batches=micro_batches, **parts)
    return model.double().train()


def step_gradients(model, batches):
    """Loss terms and parameter gradients of one step in which each of
    ``batches`` is a forward pass and their losses are averaged.

    Args:
        model (SMAUGPretrain): The model.
        batches (list[dict]): Collated batches.

    Returns:
        tuple[dict, dict]: Mean loss terms and ``name -> grad``.
    """
    torch.manual_seed(1)
    terms = {}
    for batch in batches:
        data = model.data_preprocessor(batch, True)
        data['inputs'] = data['inputs'].double()
        losses = model(**data, mode='loss')
        losses = {key: losses[key] for key in LOSSES if key in losses}
        (sum(losses.values()) / len(batches)).backward()
        for key, value in losses.items():
            terms[key] = terms.get(key, 0.) + value.item() / len(batches)
    grads = {name: param.grad for name, param in model.named_parameters()
             if param.grad is not None}
    return terms, grads


def largest_difference(grads, reference):
    """Largest absolute difference of any gradient entry."""
    assert grads.keys() == reference.keys()
    return max((grads[name] - reference[name]).abs().max().item()
               for name in reference)


@pytest.fixture(scope='module')
def whole_batch(tmp_path_factory):
    """The vocabulary, the batch, and one step over the whole batch."""
    vocab = write_vocab(tmp_path_factory.mktemp('vocab') / 'vocab.txt')
    batch = make_batch()
    return vocab, batch, step_gradients(build_model(vocab, 1), [batch])


def test_micro_batches_give_the_whole_batch_gradient(whole_batch):
    vocab, batch, (terms, grads) = whole_batch
    micro_terms, micro_grads = step_gradients(
        build_model(vocab, MICRO_BATCHES), [batch])
    # MVM computes its loss in float32: its term agrees to float32's
    # precision; the gradients agree to float64's (2e-15 measured; 6e-7
    # in float32, where the issue asks for 1e-5).
    assert micro_terms == pytest.approx(terms, abs=1e-6)
    assert largest_difference(micro_grads, grads) < 1e-10


def test_summed_micro_batch_losses_are_not_the_whole_batch_gradient(
        whole_batch):
    vocab, batch, (terms, grads) = whole_batch
    rows = [slice(start, start + MICRO_BATCH_SIZE) for start in
            range(0, MICRO_BATCHES * MICRO_BATCH_SIZE, MICRO_BATCH_SIZE)]
    micro_batches = [{key: value[part] for key, value in batch.items()}
                     for part in rows]
    _, summed_grads = step_gradients(build_model(vocab, 1), micro_batches)
    assert largest_difference(summed_grads, grads) > 1e-2


@pytest.mark.parametrize('retrieval', [False, True])
def test_uneven_micro_batches(whole_batch, retrieval):
    """2 + 3 + 3 clips: MVM weighs each micro-batch by its masked patches."""
    vocab, batch, (terms, grads) = whole_batch
    if retrieval:
        terms, grads = step_gradients(build_model(vocab, 1, retrieval=True),
                                      [batch])
    micro_terms, micro_grads = step_gradients(
        build_model(vocab, 3, retrieval=retrieval), [batch])
    assert micro_terms.keys() == set(LOSSES[:2] if retrieval else LOSSES)
    # MVM's term is float32 (see above); the others float64.
    assert micro_terms == pytest.approx(terms, abs=1e-6 if not retrieval
                                        else 1e-12)
    assert largest_difference(micro_grads, grads) < 1e-10
