"""SMAUGPretrain's speed switches and habits on the tiny config: activation
checkpointing changes nothing but memory, ``compile`` changes nothing but
speed, and a training step has no host-device sync after its start."""
import os

import pytest
import torch
from mmpretrain.structures import DataSample
from torch.utils._python_dispatch import TorchDispatchMode

from smaug.models.heads import BertMLMHead, VTMHead

from tiny_smaug import build_tiny_smaug, write_vocab

WORDS = 'a red blue green circle square moves left right up down'.split()
CAPTIONS = ['a red circle moves left right', 'a blue square moves up',
            'a green circle moves down', 'a red square moves left up']
CHECKPOINTABLE = ('backbone', 'temporal_encoder', 'text_encoder',
                  'multimodal_encoder', 'mvm_head')
aten = torch.ops.aten


@pytest.fixture(autouse=True)
def one_thread():
    """One torch thread (steady on a busy CPU), restored afterwards."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def build_tiny(tmp_path):
    """Build the tiny SMAUG (vocabulary written here) with overrides."""
    vocab = write_vocab(tmp_path / 'vocab.txt', WORDS)

    def build(with_cp=False, compile=False):
        model = build_tiny_smaug(
            vocab, compile=compile,
            **{part: dict(with_cp=with_cp) for part in CHECKPOINTABLE})
        model.init_weights()
        return model.train()

    return build


def batch(model):
    """A preprocessed batch of 4 clips of 4 frames."""
    clips = [torch.randint(0, 256, (4, 3, 64, 64), dtype=torch.uint8,
                           generator=torch.Generator().manual_seed(index))
             for index in range(len(CAPTIONS))]
    samples = [DataSample(metainfo=dict(text=text, video_path=f'v{i}.mp4'))
               for i, text in enumerate(CAPTIONS)]
    return model.data_preprocessor(
        dict(inputs=clips, data_samples=samples), True)


def losses_and_grads(model, seed=1):
    """The losses and parameter gradients of one step from a fixed seed."""
    data = batch(model)
    torch.manual_seed(seed)
    losses = model(**data, mode='loss')
    sum(value for key, value in losses.items() if 'loss' in key).backward()
    grads = {name: param.grad.clone()
             for name, param in model.named_parameters()
             if param.grad is not None}
    return {key: value.detach() for key, value in losses.items()}, grads


def assert_same_step(reference, other, **tolerance):
    """Same losses and gradients (same keys, close values)."""
    losses, grads = reference
    other_losses, other_grads = other
    assert losses.keys() == other_losses.keys()
    for key in losses:
        torch.testing.assert_close(other_losses[key], losses[key],
                                   **tolerance)
    assert grads.keys() == other_grads.keys()
    for name in grads:
        torch.testing.assert_close(other_grads[name], grads[name],
                                   **tolerance, msg=name)


def test_activation_checkpointing_changes_nothing_but_memory(build_tiny):
    plain = build_tiny()
    checkpointed = build_tiny(with_cp=True)
    for part in CHECKPOINTABLE:
        assert any(getattr(module, 'with_cp', False)
                   for module in getattr(checkpointed, part).modules()), part
    checkpointed.load_state_dict(plain.state_dict())
    reference = losses_and_grads(plain)
    # Masking, Gumbel noise, MLM masking and dropout all draw from the
    # seeded RNG; checkpointing replays the blocks with the same draws.
    assert reference[0]['loss_mlm'] > 0 and reference[0]['loss_mvm'] > 0
    assert_same_step(reference, losses_and_grads(checkpointed), rtol=1e-5,
                     atol=1e-6)
    # Checkpointing must actually recompute: fewer saved activations.
    saved = []
    for model in (plain, checkpointed):
        data = batch(model)
        count = [0]

        def pack(tensor, count=count):
            count[0] += 1
            return tensor

        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            model(**data, mode='loss')
        saved.append(count[0])
    assert saved[1] < saved[0] / 2


def test_compile_switch_traces_every_part_and_keeps_the_losses(build_tiny):
    """The ``eager`` backend runs dynamo's tracing of our Python (what can
    fail on our code) without AOTAutograd and inductor's slow C++ code
    generation; see the opt-in inductor test below."""
    eager = build_tiny()
    compiled = build_tiny(compile=dict(backend='eager'))
    for part in CHECKPOINTABLE:
        assert getattr(compiled, part)._compiled_call_impl is not None
    # nn.Module.compile keeps parameter names: checkpoints load unchanged.
    compiled.load_state_dict(eager.state_dict())
    assert_same_step(losses_and_grads(eager), losses_and_grads(compiled),
                     rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(
    os.environ.get('SMAUG_TEST_INDUCTOR') != '1',
    reason='slow (minutes of C++ compilation on a small CPU): run with '
    'SMAUG_TEST_INDUCTOR=1')
def test_compile_with_inductor_keeps_the_losses(build_tiny):
    from torch._inductor import config as inductor_config
    eager = build_tiny()
    compiled = build_tiny(compile=True)
    compiled.load_state_dict(eager.state_dict())
    # Inductor draws random numbers its own way unless told to fall back.
    with inductor_config.patch(fallback_random=True):
        assert_same_step(losses_and_grads(eager),
                         losses_and_grads(compiled), rtol=1e-3, atol=1e-4)


class SyncRecorder(TorchDispatchMode):
    """Record, in call order, every op and whether it would make the host
    wait for a GPU: reading a value (``.item()``, ``if tensor``, the checks
    inside ``multinomial``), or
    producing a shape that depends on values (``nonzero``, boolean-mask
    indexing, ``masked_select``, ``unique``, ...)."""

    # multinomial checks its input with .item() (ATen's Distributions.cpp).
    VALUE_READS = {aten._local_scalar_dense.default, aten.is_nonzero.default,
                   aten.equal.default, aten.allclose.default,
                   aten.multinomial.default}
    DATA_SHAPED = {aten.nonzero.default, aten.masked_select.default,
                   aten.argwhere.default, aten.unique_dim.default,
                   aten._unique2.default, aten.unique_consecutive.default,
                   aten.repeat_interleave.Tensor, aten.bincount.default}

    def __init__(self):
        super().__init__()
        self.ops = []
        self.syncs = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        bool_index = func in (aten.index.Tensor, aten.index_put.default,
                              aten.index_put_.default) and any(
            torch.is_tensor(index) and index.dtype == torch.bool
            for index in (args[1] or ()) if index is not None)
        if func in self.VALUE_READS or func in self.DATA_SHAPED or \
                bool_index:
            self.syncs.append((len(self.ops), str(func)))
        self.ops.append(func)
        return func(*args, **kwargs)


def test_training_step_syncs_only_for_the_mlm_labels_at_its_start(
        build_tiny):
    model = build_tiny()
    data = batch(model)
    recorder = SyncRecorder()
    with recorder:
        losses = model(**data, mode='loss')
        total = sum(value for key, value in losses.items() if 'loss' in key)
        total.backward()
    first_conv = recorder.ops.index(aten.convolution.default)
    assert recorder.syncs, 'expected the MLM label gather'
    # The MLM label indices are gathered before the patch embedding, i.e.
    # before any of the forward pass is queued; nothing else syncs.
    assert [name for _, name in recorder.syncs] == ['aten.nonzero.default']
    assert recorder.syncs[0][0] < first_conv


def test_zero_weight_pairs_count_as_absent_in_the_vtm_loss():
    head = VTMHead(in_channels=8)
    logits = torch.randn(6, 2, requires_grad=True)
    labels = torch.tensor([1, 1, 0, 0, 0, 0])
    weight = torch.tensor([True, True, True, False, True, False])
    loss = head.loss(logits, labels, weight)
    kept = weight.nonzero().squeeze(1)
    torch.testing.assert_close(loss, head.loss(logits[kept], labels[kept]))
    loss.backward()
    assert logits.grad[~weight].abs().sum() == 0


def test_mlm_loss_with_precomputed_label_indices():
    head = BertMLMHead(dict(hidden_size=16, num_heads=2,
                            intermediate_size=32, vocab_size=50))
    hidden = torch.randn(3, 7, 16)
    labels = torch.full((3, 7), -100)
    labels[0, 2], labels[2, 5], labels[2, 6] = 11, 12, 13
    labelled = head.labelled_index(labels)
    assert labelled.tolist() == [2, 19, 20]
    torch.testing.assert_close(head.loss(hidden, labels, labelled),
                               head.loss(hidden, labels))


def test_hard_negative_draws_are_multinomials():
    """The sync-free draw gives torch.multinomial's samples."""
    from smaug.models.heads.vtm_head import sample_excluding
    logits = torch.randn(64, 10)
    excluded = torch.rand(64, 10) < 0.3
    excluded[5] = True
    torch.manual_seed(0)
    index = sample_excluding(logits, excluded)
    probs = logits.masked_fill(excluded, float('-inf')).softmax(dim=1)
    torch.manual_seed(0)
    valid = ~excluded.all(dim=1)
    probs[~valid] = 1.
    expected = torch.multinomial(probs, 1).squeeze(1)
    assert torch.equal(index[valid], expected[valid])
    assert index[5] == -1
    assert not excluded[valid.nonzero().squeeze(1), index[valid]].any()
