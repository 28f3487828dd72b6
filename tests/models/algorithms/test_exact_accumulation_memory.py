"""Exact accumulation holds one micro-batch's activations: the forward pass
of ``micro_batches=4`` keeps a fraction of what the whole batch keeps for
its backward pass (the rest is recomputed, micro-batch by micro-batch)."""

import torch
from mmpretrain.structures import DataSample

from tiny_smaug import WORDS, build_tiny_smaug
from tiny_smaug import random_clips, write_vocab


def saved_bytes(model, data):
    """Bytes of the tensors autograd saves for backward in one forward."""
    total = [0]

    def pack(tensor):
        total[0] += tensor.numel() * tensor.element_size()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(**data, mode='loss')
    return total[0]


def test_micro_batches_keep_a_fraction_of_the_activations(tmp_path):
    vocab = write_vocab(tmp_path / 'vocab.txt')
    captions = [' '.join(WORDS[(3 * i + j) % len(WORDS)] for j in range(5))
                for i in range(8)]
    batch = dict(inputs=random_clips(8),
                 data_samples=[DataSample(metainfo=dict(text=text))
                               for text in captions])
    saved = []
    for micro_batches in (1, 4):
        model = build_tiny_smaug(vocab, micro_batches=micro_batches).train()
        torch.manual_seed(0)
        saved.append(saved_bytes(model, model.data_preprocessor(batch,
                                                                True)))
    assert saved[1] < saved[0] / 10
