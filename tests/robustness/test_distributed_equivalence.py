"""2 gloo processes with batch B/2 each train the tiny SMAUG exactly like
one process with batch B, for the definition of "exactly" below.

What is and is not shared across ranks in SMAUGPretrain:

- VTC all-gathers the embeddings with gradient: its negatives are the
  global batch, as in one process.
- Random numbers (tube masks, MLM masking, Gumbel noise, hard-negative
  draws) come from each rank's own generator, seeded per rank and
  iteration from ``(seed, rank, iteration)`` by ExactResumeHook.
- VTM hard negatives are drawn within each rank's local batch (their
  tokens live on that rank); MLM averages over each rank's masked tokens.

So a plain one-process step over B samples cannot equal the 2-rank step
(other negatives, other random numbers, other averaging). The reference is
therefore one process that *simulates the shards*: each half of the batch
is a micro-batch run with its rank's seed, whose VTC sees the embeddings of
both halves (with their gradient graphs), and the update uses the average
of the two micro-batch losses, exactly what DDP's gradient averaging
computes. The test checks that every rank's loss terms equal the simulated
shard's, step by step, and that the parameters after the last step are
equal, for the full pre-training model: masking, token sparsification,
Gumbel frame selection, hard negatives, MLM and MVM.
"""
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.model import MMDistributedDataParallel
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample

from smaug.config import load_config
from smaug.datasets.sample_seeding import derive_seed, seed_global_rngs
from smaug.models.heads import VTCHead, vtc_head
from smaug.registry import MODELS

REPO_ROOT = Path(__file__).resolve().parents[2]
TINY_MODEL = REPO_ROOT / 'configs' / '_base_' / 'models' / 'smaug_tiny.py'
WORDS = ('a the red blue green circle square triangle moves left right up '
         'down then appears').split()
WORLD_SIZE, BATCH, STEPS, SEED = 2, 4, 3, 2024


def write_vocab(path):
    """A WordPiece vocab of BERT's special tokens and ``WORDS``."""
    path.write_text('\n'.join(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]',
                               *WORDS]) + '\n')
    return str(path)


def build_model(vocab, state_dict=None):
    """The tiny SMAUG of the demo (4 frames -> 2 selected, 50% masking)."""
    init_default_scope('smaug')
    # the frames of the demo's data (configs/_base_/datasets)
    cfg = load_config(TINY_MODEL, dict(num_frames=4, img_size=64))
    cfg.model.data_preprocessor.tokenizer = vocab
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    if state_dict is not None:
        model.load_state_dict(state_dict)
    return model


def make_batches():
    """STEPS global batches of BATCH random clips and captions."""
    generator = torch.Generator().manual_seed(0)
    batches = []
    for step in range(STEPS):
        clips = [torch.randint(0, 256, (4, 3, 64, 64), dtype=torch.uint8,
                               generator=generator) for _ in range(BATCH)]
        words = torch.randint(0, len(WORDS), (BATCH, 6), generator=generator)
        samples = [DataSample(metainfo=dict(
            text=' '.join(WORDS[i] for i in row),
            video_path=f'videos/{step}_{n}.mp4'))
            for n, row in enumerate(words.tolist())]
        batches.append(dict(inputs=clips, data_samples=samples))
    return batches


def shard(batch, rank):
    """This rank's half of a global batch."""
    part = slice(rank * BATCH // WORLD_SIZE, (rank + 1) * BATCH // WORLD_SIZE)
    return dict(inputs=batch['inputs'][part],
                data_samples=batch['data_samples'][part])


def optim_wrapper(model):
    """SGD with momentum and the demo's gradient clipping.

    Not the demo's AdamW: Adam divides by sqrt(v), which turns the float
    rounding noise of gradients that are zero in exact arithmetic (the key
    biases of attention and the frame selector's score bias: softmax is
    shift-invariant) into steps of size lr, so parameters would differ by
    ~lr for reasons unrelated to distribution. With SGD the differences
    stay at rounding level.
    """
    return OptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9),
        clip_grad=dict(max_norm=5.0))


def terms(log_vars):
    """Loss terms as floats."""
    return {key: float(value.detach()) for key, value in log_vars.items()}


def ddp_worker(rank, port, out_dir, vocab, state_dict, batches):
    """One rank: DDP training steps on its shards, seeded like
    ExactResumeHook does; losses and final weights saved to out_dir."""
    torch.set_num_threads(1)  # no OpenMP pool inherited across fork
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank, world_size=WORLD_SIZE)
    try:
        model = build_model(vocab, state_dict)
        ddp = MMDistributedDataParallel(module=model,
                                        broadcast_buffers=False)
        wrapper = optim_wrapper(ddp)
        losses = []
        for step, batch in enumerate(batches):
            seed_global_rngs(derive_seed(SEED, rank, step))
            losses.append(terms(ddp.train_step(shard(batch, rank), wrapper)))
        torch.save(dict(losses=losses, state_dict=model.state_dict()),
                   f'{out_dir}/rank{rank}.pth')
    finally:
        dist.destroy_process_group()


class _Stop(Exception):
    """Ends a forward pass once the VTC embeddings are known."""


@contextmanager
def recording_vtc(store):
    """VTCHead.loss appends (video_emb, text_emb) to ``store`` and stops
    the forward pass."""
    def record(head, video_emb, text_emb):
        store.append((video_emb, text_emb))
        raise _Stop

    with mock.patch.object(VTCHead, 'loss', record):
        yield


@contextmanager
def as_rank(rank, embeddings):
    """Run VTC as rank ``rank`` would: the all-gather returns the other
    shards' embeddings (``embeddings[s]``, with their graphs) around this
    shard's own, in the order (video, text) of VTCHead.loss."""
    calls = iter(range(2))

    def gather(tensor):
        kind = next(calls)
        return torch.cat([tensor if shard_rank == rank else
                          embeddings[shard_rank][kind]
                          for shard_rank in range(WORLD_SIZE)])

    with mock.patch.object(vtc_head, 'gather_with_grad', gather), \
            mock.patch.object(vtc_head, 'get_dist_info',
                              lambda: (rank, WORLD_SIZE)):
        yield


def simulate_shards(vocab, state_dict, batches):
    """One process, the global batch as WORLD_SIZE seeded micro-batches
    whose VTC sees every shard, one update with the averaged loss."""
    torch.set_num_threads(1)
    model = build_model(vocab, state_dict)
    wrapper = optim_wrapper(model)
    losses = [[] for _ in range(WORLD_SIZE)]
    for step, batch in enumerate(batches):
        inputs = [model.data_preprocessor(shard(batch, rank), True)
                  for rank in range(WORLD_SIZE)]
        embeddings = []
        for rank in range(WORLD_SIZE):
            seed_global_rngs(derive_seed(SEED, rank, step))
            try:
                with recording_vtc(embeddings):
                    model(**inputs[rank], mode='loss')
            except _Stop:
                pass
        total = 0
        for rank in range(WORLD_SIZE):
            seed_global_rngs(derive_seed(SEED, rank, step))
            with as_rank(rank, embeddings):
                loss, log_vars = model.parse_losses(
                    model(**inputs[rank], mode='loss'))
            losses[rank].append(terms(log_vars))
            total = total + loss / WORLD_SIZE
        wrapper.update_params(total)
    return losses, model.state_dict()


def test_two_ranks_equal_one_process_simulating_them(free_port, tmp_path):
    vocab = write_vocab(tmp_path / 'vocab.txt')
    state_dict = build_model(vocab).state_dict()
    batches = make_batches()
    mp.start_processes(
        ddp_worker,
        args=(free_port, str(tmp_path), vocab, state_dict, batches),
        nprocs=WORLD_SIZE, start_method='fork')
    ranks = [torch.load(tmp_path / f'rank{rank}.pth', weights_only=True)
             for rank in range(WORLD_SIZE)]
    losses, final = simulate_shards(vocab, state_dict, batches)

    loss_difference = max(
        abs(ranks[rank]['losses'][step][key] - losses[rank][step][key])
        for rank in range(WORLD_SIZE) for step in range(STEPS)
        for key in losses[rank][step])
    param_difference = max(
        (ranks[0]['state_dict'][key] - value).abs().max().item()
        for key, value in final.items() if value.is_floating_point())
    print(f'2 ranks vs 1 process simulating them, {STEPS} steps: largest '
          f'loss difference {loss_difference:.3g}, largest parameter '
          f'difference {param_difference:.3g}')
    assert set(losses[0][0]) >= {'loss_vtc', 'loss_vtm', 'loss_mlm',
                                 'loss_mvm'}
    # the ranks drew different random numbers (per-rank seeds)...
    assert losses[0][0]['loss_mvm'] != losses[1][0]['loss_mvm']
    # ...and training moved the weights
    assert any(not torch.equal(value, state_dict[key])
               for key, value in final.items())
    assert loss_difference < 5e-5  # float32 rounding of losses ~1-6
    assert param_difference < 1e-6
    for key, value in ranks[1]['state_dict'].items():
        assert torch.equal(value, ranks[0]['state_dict'][key]), key
