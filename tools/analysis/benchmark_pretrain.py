"""Training-step speed of pre-training configs, side by side in one process.

Any config whose ``model`` has SMAUGPretrain's training interface works
(``SMAUGPretrain``, ``SMAUGRetrieval``). Each model is built at its real size
with random weights: init configs that name a checkpoint (``Pretrained``,
``PretrainedBERT``) are dropped, and the data preprocessor's tokenizer is a
generated vocabulary of the text encoder's size, so nothing is read or
downloaded. Each config gets its own synthetic batch: random uint8 clips of
``--num-frames`` frames (default: the config's ``num_frames``, else 1) at
``--img-size`` (default: the config's ``img_size``, else 224), and
random token ids of a fixed caption length (the preprocessor's
``max_text_len``; no padding), with distinct captions and video paths so
that every pair has hard negatives.

One training step is what the Runner's ``train_step`` does: normalise the
clips, forward in ``loss`` mode, sum the losses, backward, AdamW step
(lr 1e-4, weight decay 0.02; ``--adamw``: fused by default), under bf16
autocast on GPUs (``--dtype``) and in float32 on the CPU. Each config
first makes one step under the FLOP counter; then come ``--warmup`` untimed
rounds, one untimed step per config that measures memory (and with
``--sync-debug`` one that counts syncs), and ``--steps`` timed rounds. A
round runs one step of every config in turn (A, B, C, A, B, C, ...), so
that drifts of a shared machine hit all configs alike. Printed per config:

- ``step s``: median time of a step: wall time (CUDA synchronised around
  it), or with ``--clock cpu`` the process's CPU time, which on a CPU shared
  with other jobs leaves out the time spent waiting for a core (use it with
  ``--threads 1``: it adds up the CPU time of all threads, spinning ones
  included);
- ``optim s``: the AdamW step's part of it (the same for all configs of
  similar size; it is no part of the FLOP count);
- ``samples/s``: batch size over ``step s``;
- ``peak GiB``: the memory the config holds between steps (parameters,
  buffers, AdamW state) plus the peak a step adds on top (activations,
  gradients), measured in an extra untimed step: on GPUs by
  ``torch.cuda.max_memory_allocated``; on the CPU by the process's peak
  resident set (Linux's VmHWM, reset through ``/proc/self/clear_refs`` after
  returning freed heap memory with glibc's ``malloc_trim``), which also
  counts allocator slack; where the reset is not possible, the growth of
  ``ru_maxrss`` (a lower bound, marked ``>=``);
- ``GFLOP``: forward + backward of one step, by
  ``torch.utils.flop_counter.FlopCounterMode`` (matmuls, convolutions,
  attention; the optimizer and element-wise operations are not counted;
  with ``--with-cp`` the recomputed forward passes are counted too);
- ``FLOP x``, ``time x``: config A's FLOPs and step time over this
  config's, i.e. how many times cheaper and faster than A it is, and
  ``time/FLOP``, their quotient (1.0 = the FLOP saving fully realised);
- ``TFLOP/s``: achieved (FLOPs over ``step s``), and ``MFU``, that over the
  accelerator's dense bf16 peak (``--peak-tflops``, else a table of known
  GPUs; not shown on the CPU).

A config that runs out of GPU memory is reported as such and the others
carry on. With ``--sync-debug`` on a GPU, one more step per config runs under
``torch.cuda.set_sync_debug_mode('warn')`` and the number of synchronising
calls is printed below the table.

Times depend on the machine; quote the device line with them.

Example::

    python tools/analysis/benchmark_pretrain.py \\
        configs/ablations/table7_components/smaug_5m_dense_4frame.py \\
        configs/smaug_pretrain_5m_4frame.py \\
        --batch-size 2
"""
import ctypes
import gc
import os.path as osp
import resource
import statistics
import tempfile
import time
import warnings
from dataclasses import dataclass, field

import torch
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample

from smaug.cli.command_help import command_parser
from smaug.cli.command_line import (add_cfg_options_argument,
                                    add_seed_argument)
from smaug.config import frame_settings, load_config
from device_arguments import BEST_DEVICE, add_device_arguments, use_threads
from flop_counting import count_flops as count_training_flops
from model_timing import add_timing_arguments
from smaug.models.language.bert_arch import resolve_bert_arch
from smaug.registry import MODELS


# Dense bf16 tensor-core peaks in TFLOP/s, by a substring of the device name
# (first match wins, so the specific names come first).
PEAK_BF16_TFLOPS = (('H100 PCIe', 756.), ('H100 NVL', 835.), ('H100', 989.),
                    ('H200', 989.), ('A100', 312.), ('A6000', 155.))

# Components of SMAUGPretrain that take ``with_cp``.
CHECKPOINTABLE_PARTS = ('backbone', 'temporal_encoder', 'text_encoder',
                        'multimodal_encoder', 'mvm_head')

SPECIAL_TOKENS = ('[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]')

CLOCKS = dict(wall=time.perf_counter, cpu=time.process_time)

ADAMW_IMPLEMENTATIONS = {
    'fused': dict(fused=True),
    'foreach': dict(foreach=True),
    'for-loop': dict(foreach=False),
}


def parse_args(argv=None):
    """Parse the command line."""
    parser = command_parser(__doc__)
    parser.add_argument('configs', nargs='+',
                        help='config files with a model dict; the first is '
                        'the reference of the ratios')
    parser.add_argument('--batch-size', type=int, default=2,
                        help='clip-caption pairs per step (default: '
                        '%(default)s)')
    parser.add_argument('--num-frames', type=int,
                        help='frames per clip (default: num_frames or 1)')
    parser.add_argument('--img-size', type=int,
                        help='frame size (default: img_size or 224)')
    parser.add_argument('--text-len', type=int,
                        help='caption length in tokens (default: the data '
                        'preprocessor\'s max_text_len)')
    add_timing_arguments(parser, 3, 'timed rounds')
    parser.add_argument('--dtype', default='auto',
                        choices=['auto', 'float32', 'bfloat16', 'float16'],
                        help='autocast dtype; auto (default): bfloat16 on '
                        'GPUs, float32 on the CPU')
    parser.add_argument('--compile', action='store_true',
                        help='set the model\'s compile switch')
    parser.add_argument('--with-cp', action='store_true',
                        help='activation checkpointing in every component '
                        'that supports it')
    parser.add_argument('--adamw', default='fused',
                        choices=['fused', 'foreach', 'for-loop'],
                        help='AdamW implementation (torch.optim.AdamW\'s '
                        'fused / foreach switches; default: %(default)s)')
    parser.add_argument('--sync-debug', action='store_true',
                        help='CUDA only: count the host-device syncs of '
                        'one step per config (torch.cuda.set_sync_debug_mode)')
    parser.add_argument('--peak-tflops', type=float,
                        help='accelerator peak in TFLOP/s for MFU '
                        '(default: by GPU name)')
    parser.add_argument('--clock', default='wall', choices=['wall', 'cpu'],
                        help='time steps by the wall clock (default) or by '
                        'the process\'s CPU time (CPU only; steadier on a '
                        'shared machine with --threads 1)')
    add_device_arguments(parser, BEST_DEVICE)
    add_seed_argument(parser, 'the weights and the synthetic batches')
    add_cfg_options_argument(parser, 'overrides applied to every config')
    return parser.parse_args(argv)


@dataclass
class Bench:
    """One config under test: its model, optimizer, batch and results."""
    name: str
    model: torch.nn.Module
    optimizer: torch.optim.Optimizer
    clips: torch.Tensor
    text: dict
    data_samples: list
    flops: int = 0
    state_bytes: int = 0
    step_peak_bytes: int = 0
    peak_is_lower_bound: bool = False
    num_syncs: int = None
    failure: str = ''
    times: list = field(default_factory=list)
    optimizer_times: list = field(default_factory=list)

    @property
    def batch_size(self):
        """Clips per step."""
        return self.clips.shape[0]


def drop_checkpoint_inits(node):
    """Remove every ``init_cfg`` entry that names a checkpoint, in place.

    Args:
        node (dict | list): A (part of a) config.
    """
    if isinstance(node, list):
        for item in node:
            drop_checkpoint_inits(item)
        return
    if not isinstance(node, dict):
        return
    init_cfg = node.get('init_cfg')
    if isinstance(init_cfg, dict) and 'checkpoint' in init_cfg:
        node['init_cfg'] = None
    elif isinstance(init_cfg, list):
        node['init_cfg'] = [item for item in init_cfg
                            if not (isinstance(item, dict)
                                    and 'checkpoint' in item)] or None
    for value in node.values():
        drop_checkpoint_inits(value)


def write_vocab(folder, vocab_size):
    """A WordPiece vocabulary of ``vocab_size`` entries: BERT's special
    tokens at ids 0-4, then filler words.

    Returns:
        str: Path of the vocab.txt.
    """
    path = osp.join(folder, f'vocab_{vocab_size}.txt')
    words = [*SPECIAL_TOKENS, *(f'w{index}' for index in
                                range(vocab_size - len(SPECIAL_TOKENS)))]
    with open(path, 'w') as file:
        file.write('\n'.join(words) + '\n')
    return path


def load_model_config(path, args, vocab_folder):
    """Read a config, apply the command line's switches, and make it build
    without files.

    Returns:
        tuple[dict, int, int, int]: The model config, frames per clip, frame
        size, caption length.
    """
    cfg = load_config(path, args.cfg_options)
    if 'model' not in cfg:
        raise ValueError(f'{path}: the config has no "model" dict.')
    model_cfg = cfg.model.to_dict()
    missing = [key for key in ('backbone', 'text_encoder', 'data_preprocessor')
               if key not in model_cfg]
    if missing:
        raise ValueError(
            f'{path}: model lacks {missing}; the benchmark trains models with '
            "SMAUGPretrain's interface (SMAUGPretrain, SMAUGRetrieval).")
    drop_checkpoint_inits(model_cfg)
    if args.compile:
        model_cfg['compile'] = True
    if args.with_cp:
        for part in CHECKPOINTABLE_PARTS:
            if model_cfg.get(part):
                model_cfg[part]['with_cp'] = True
    vocab_size = resolve_bert_arch(
        model_cfg['text_encoder'].get('arch', 'base'))['vocab_size']
    preprocessor = model_cfg['data_preprocessor']
    preprocessor['tokenizer'] = write_vocab(vocab_folder, vocab_size)
    settings = frame_settings(cfg)
    num_frames = args.num_frames or settings.num_frames or 1
    img_size = args.img_size or settings.img_size or 224
    text_len = args.text_len or preprocessor.get('max_text_len', 32)
    return model_cfg, num_frames, img_size, text_len


def make_batch(model, batch_size, num_frames, img_size, text_len, device,
               generator):
    """Synthetic clips, token ids and data samples for one config.

    Returns:
        tuple[Tensor, dict, list[DataSample]]: uint8 clips
        (B, K, 3, H, W), ``text`` (``input_ids`` and ``attention_mask``
        (B, P)) and one sample per clip with a distinct caption and path.
    """
    clips = torch.randint(0, 256, (batch_size, num_frames, 3, img_size,
                                   img_size), generator=generator,
                          dtype=torch.uint8).to(device)
    tokenizer = model.data_preprocessor.tokenizer
    input_ids = torch.randint(len(SPECIAL_TOKENS), len(tokenizer),
                              (batch_size, text_len), generator=generator)
    input_ids[:, 0] = tokenizer.cls_token_id
    input_ids[:, -1] = tokenizer.sep_token_id
    text = dict(input_ids=input_ids.to(device),
                attention_mask=torch.ones_like(input_ids).to(device))
    samples = [DataSample(metainfo=dict(text=f'caption {index}',
                                        video_path=f'video_{index}.mp4'))
               for index in range(batch_size)]
    return clips, text, samples


def build_bench(path, args, vocab_folder):
    """Build one config's model, optimizer and batch.

    Args:
        path (str): Config file.
        args (argparse.Namespace): See :func:`parse_args`.
        vocab_folder (str): Where the generated vocabulary goes.
    """
    model_cfg, num_frames, img_size, text_len = load_model_config(
        path, args, vocab_folder)
    init_default_scope('smaug')
    torch.manual_seed(args.seed)
    model = MODELS.build(model_cfg)
    model.init_weights()
    model.to(args.device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4,
                                  weight_decay=0.02,
                                  **ADAMW_IMPLEMENTATIONS[args.adamw])
    generator = torch.Generator().manual_seed(args.seed)
    clips, text, samples = make_batch(model, args.batch_size, num_frames,
                                      img_size, text_len,
                                      torch.device(args.device), generator)
    name = osp.splitext(osp.basename(path))[0]
    return Bench(name, model, optimizer, clips, text, samples)


def autocast_dtype(args):
    """The autocast dtype, or None for plain float32."""
    name = args.dtype
    if name == 'auto':
        name = 'bfloat16' if args.device.startswith('cuda') else 'float32'
    return None if name == 'float32' else getattr(torch, name)


def forward_backward(bench, dtype):
    """Forward in loss mode and backward; returns the summed loss."""
    model = bench.model
    device_type = bench.clips.device.type
    with torch.autocast(device_type, dtype=dtype, enabled=dtype is not None):
        frames = model.data_preprocessor.normalize_frames(bench.clips)
        losses = model(frames, bench.data_samples, bench.text, mode='loss')
        loss, _ = model.parse_losses(losses)
    loss.backward()
    return loss


def synchronize(device):
    """Wait for the device's queued work (no-op on the CPU)."""
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def train_step(bench, dtype, clock=time.perf_counter):
    """One training step.

    Args:
        bench (Bench): The config to step.
        dtype (torch.dtype | None): Autocast dtype, None for float32.
        clock (Callable): Seconds now, e.g. ``time.perf_counter`` (wall) or
            ``time.process_time`` (this process's CPU time).

    Returns:
        tuple[float, float]: Time of the step and of its optimizer part, in
        seconds (the device is synchronised between the two).
    """
    device = bench.clips.device
    synchronize(device)
    start = clock()
    forward_backward(bench, dtype)
    synchronize(device)
    middle = clock()
    bench.optimizer.step()
    bench.optimizer.zero_grad(set_to_none=True)
    synchronize(device)
    end = clock()
    return end - start, end - middle


def count_syncs(bench, dtype):
    """Host-device syncs of one step, by CUDA's sync debug mode."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        torch.cuda.set_sync_debug_mode('warn')
        try:
            train_step(bench, dtype)
        finally:
            torch.cuda.set_sync_debug_mode('default')
    return sum('synchronizing' in str(warning.message) for warning in caught)


def count_flops(bench, dtype):
    """FLOPs of a training step's forward + backward.

    The step is completed with the optimizer (not counted), so that the
    AdamW state exists before memory is measured.
    """
    flops = count_training_flops(lambda: forward_backward(bench, dtype))
    bench.optimizer.step()
    bench.optimizer.zero_grad(set_to_none=True)
    return flops


def state_bytes(bench):
    """Bytes of the parameters, buffers and optimizer state."""
    tensors = [*bench.model.parameters(), *bench.model.buffers()]
    for state in bench.optimizer.state.values():
        tensors.extend(v for v in state.values() if torch.is_tensor(v))
    return sum(t.numel() * t.element_size() for t in tensors)


def _status_kib(key):
    """A ``kB`` field of /proc/self/status."""
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    raise KeyError(key)


def _reset_peak_rss():
    """Return freed heap memory to the OS and reset the peak RSS to the
    current RSS; False where Linux's clear_refs is not available."""
    try:
        ctypes.CDLL('libc.so.6').malloc_trim(0)
        with open('/proc/self/clear_refs', 'w') as clear_refs:
            clear_refs.write('5')
        return True
    except OSError:
        return False


def step_peak_memory(bench, dtype):
    """Peak bytes one training step adds to what is held before it.

    Returns:
        tuple[int, bool]: the bytes, and whether they are only a lower bound
        (CPU without a resettable peak RSS).
    """
    device = bench.clips.device
    gc.collect()
    if device.type == 'cuda':
        synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        start = torch.cuda.memory_allocated(device)
        train_step(bench, dtype)
        return torch.cuda.max_memory_allocated(device) - start, False
    if _reset_peak_rss():
        start = _status_kib('VmRSS')
        train_step(bench, dtype)
        return (_status_kib('VmHWM') - start) * 1024, False
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    train_step(bench, dtype)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start
    return grown * 1024, True


def release(bench):
    """Free what a bench holds on the device (after it ran out of memory)."""
    bench.optimizer.zero_grad(set_to_none=True)
    bench.optimizer.state.clear()
    bench.model.cpu()
    gc.collect()
    torch.cuda.empty_cache()


def for_each_running(benches, work):
    """Call ``work(bench)`` for every bench that has not failed; a bench
    that runs out of device memory is marked and set aside, so that one
    batch size too large for one config does not end the run."""
    for bench in benches:
        if bench.failure:
            continue
        try:
            work(bench)
        except torch.cuda.OutOfMemoryError:
            bench.failure = 'out of memory'
        if bench.failure:
            release(bench)


def run_benchmark(benches, args):
    """FLOPs, memory and interleaved step times of every bench (in place)."""
    dtype = autocast_dtype(args)

    def flops(bench):
        bench.flops = count_flops(bench, dtype)

    def memory(bench):
        bench.step_peak_bytes, bench.peak_is_lower_bound = step_peak_memory(
            bench, dtype)
        bench.state_bytes = state_bytes(bench)

    def syncs(bench):
        bench.num_syncs = count_syncs(bench, dtype)

    def timed_step(bench):
        step, optimizer = train_step(bench, dtype, CLOCKS[args.clock])
        bench.times.append(step)
        bench.optimizer_times.append(optimizer)

    for_each_running(benches, flops)
    for _ in range(args.warmup):
        for_each_running(benches, lambda bench: train_step(bench, dtype))
    for_each_running(benches, memory)
    if args.sync_debug and args.device.startswith('cuda'):
        for_each_running(benches, syncs)
    for _ in range(args.steps):
        for_each_running(benches, timed_step)


def peak_tflops(args):
    """The accelerator's dense bf16 peak in TFLOP/s, or None if unknown."""
    if args.peak_tflops:
        return args.peak_tflops
    if not args.device.startswith('cuda'):
        return None
    name = torch.cuda.get_device_name(torch.device(args.device))
    return next((peak for key, peak in PEAK_BF16_TFLOPS if key in name),
                None)


def device_line(args):
    """A description of where the numbers come from."""
    if args.device.startswith('cuda'):
        where = torch.cuda.get_device_name(torch.device(args.device))
    else:
        where = f'cpu, {torch.get_num_threads()} threads'
    return (f'device: {where}; torch {torch.__version__}; autocast '
            f'{autocast_dtype(args) or "off (float32)"}; compile '
            f'{args.compile}; with_cp {args.with_cp}; AdamW {args.adamw}; '
            f'clock {args.clock}')


def format_table(benches, peak=None):
    """The results as a text table, ratios against ``benches[0]``.

    Args:
        benches (list[Bench]): Measured benches (``times`` filled, or
            ``failure`` set).
        peak (float, optional): Peak TFLOP/s for the MFU column.

    Returns:
        str: Header line and one line per bench.
    """
    columns = ('config', 'step s', 'optim s', 'samples/s', 'peak GiB',
               'GFLOP', 'FLOP x', 'time x', 'time/FLOP', 'TFLOP/s', 'MFU')
    width = max(len(columns[0]), *(len(bench.name) for bench in benches))
    lines = [f'{columns[0]:<{width}}' + ''.join(f'{name:>11}'
                                                for name in columns[1:])]
    reference = None if benches[0].failure else benches[0]
    for bench in benches:
        if bench.failure:
            lines.append(f'{bench.name:<{width}}{bench.failure:>11}')
            continue
        seconds = statistics.median(bench.times)
        gib = (bench.state_bytes + bench.step_peak_bytes) / 2**30
        tflops = bench.flops / seconds / 1e12
        ratios = ['-'] * 3
        if reference:
            flop_ratio = reference.flops / bench.flops
            time_ratio = statistics.median(reference.times) / seconds
            ratios = [f'{flop_ratio:.3f}', f'{time_ratio:.3f}',
                      f'{time_ratio / flop_ratio:.3f}']
        cells = [f'{seconds:.3f}',
                 f'{statistics.median(bench.optimizer_times):.3f}',
                 f'{bench.batch_size / seconds:.2f}',
                 ('>=' if bench.peak_is_lower_bound else '') + f'{gib:.2f}',
                 f'{bench.flops / 1e9:.1f}', *ratios, f'{tflops:.3f}',
                 f'{tflops / peak:.1%}' if peak else '-']
        lines.append(f'{bench.name:<{width}}' +
                     ''.join(f'{cell:>11}' for cell in cells))
    return '\n'.join(lines)


def main(argv=None):
    """Build, measure and print."""
    args = parse_args(argv)
    if args.clock == 'cpu' and args.device.startswith('cuda'):
        raise ValueError('--clock cpu times the host, not the GPU: use the '
                         'wall clock (the default) on GPUs.')
    # mmengine logs every parameter's initialisation at INFO.
    MMLogger.get_instance('benchmark_pretrain', log_level='WARNING')
    use_threads(args)
    with tempfile.TemporaryDirectory() as vocab_folder:
        benches = [build_bench(path, args, vocab_folder)
                   for path in args.configs]
        run_benchmark(benches, args)
    print(device_line(args))
    print(f'batch {args.batch_size}, clips '
          f'{[tuple(bench.clips.shape[1:]) for bench in benches]}, warm-up '
          f'{args.warmup}, timed steps {args.steps} (median)')
    print(format_table(benches, peak_tflops(args)))
    for bench in benches:
        if bench.num_syncs is not None:
            print(f'{bench.name}: {bench.num_syncs} host-device syncs in '
                  'one step')


if __name__ == '__main__':
    main()
