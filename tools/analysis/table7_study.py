"""Table 7 in miniature, under the paper's protocol: same start, fine-tuned,
equal steps and equal compute.

The paper (Table 7) pre-trains a dense model and SMAUG (masking, token
sparsification, frame selection 4 -> 2) from CLIP ViT-B/16 and BERT-base,
fine-tunes each for MSRVTT retrieval without MLM, MVM or masking, and
compares R@K and pre-training GPU-hours. This study does the same at a CPU's
scale, on the synthetic corpus (``table7_data.py``):

1. **Stage 0** (once): a dual encoder (``DualEncoderPretrain``) trained on
   frames and captions that the rest never sees, exported as a CLIP visual
   checkpoint and a Hugging Face BERT folder
   (``tools/model_converters/smaug_to_clip_bert.py``): the stand-ins both
   arms load through the configs' ``init_cfg``, as the paper's configs load
   ``ViT-B-16.pt`` and ``bert-base-uncased``.
2. **Per seed, three arms** (``configs/analysis/table7_mini/``): dense and
   SMAUG pre-trained for the same steps; then SMAUG given the steps that
   dense's measured cost buys (the seed's training CPU seconds, dataloader
   workers included, dense over SMAUG). Each arm validates on held-out clips
   at step 0 and every ``--val-interval`` steps (VTC ranking; the curves),
   is tested zero-shot on the test clips (VTC top 8 re-scored with VTM +
   VTC), fine-tuned with one shared recipe and tested again.
3. **Report**: ``results.json`` (every run's costs, curves and per-query
   ranks), ``table.md`` (R@K as mean +- SD over seeds [95% bootstrap over
   test videos], differences paired) and ``curves.png`` (validation R@1
   against training CPU seconds and steps, a band over seeds).

Each finished run is kept in ``runs/`` of the work dir and reused when the
study runs again, so an interrupted study goes on where it stopped and
``--seeds`` can be extended. ``--quick`` runs every stage on a toy corpus
in a few minutes (the test suite does). Costs are measured with the
training process on ``--threads`` threads and its dataloader workers beside
it; validation is not counted. Compare ratios, not seconds::

    python tools/analysis/table7_study.py --work-dir work_dirs/table7_study
    python tools/analysis/table7_study.py --quick --work-dir /tmp/table7_quick
"""
import json
import os
import os.path as osp
import subprocess
import sys
import time
from dataclasses import asdict, dataclass

import torch

from compute_ledger import ComputeLedgerHook, process_tree_cpu
from flop_counting import training_batch_flops
from query_ranks import QueryRankMetric  # noqa: F401 (registers it)
from table7_data import CorpusSize, prepare_corpus
from table7_report import write_report
from smaug.cli.command_help import command_parser
from smaug.config import load_config
from smaug.registry import RUNNERS

CONFIGS = 'configs/analysis/table7_mini'
STAGE0_CONFIG = f'{CONFIGS}/stage0_dual_encoder.py'
#: Arm -> (pre-training config, fine-tuning config). The component rows
#: (``mae``, ``mae_vts``) and the remedies for SMAUG (EViT's keep-rate
#: warm-up, FLIP's unmasked tuning, a lower mask ratio) run when asked for
#: (``--arms``).
ARMS = {
    'dense': (f'{CONFIGS}/dense_pretrain.py', f'{CONFIGS}/dense_finetune.py'),
    'smaug': (f'{CONFIGS}/smaug_pretrain.py', f'{CONFIGS}/smaug_finetune.py'),
    'mae': (f'{CONFIGS}/mae_pretrain.py', f'{CONFIGS}/dense_finetune.py'),
    'mae_vts': (f'{CONFIGS}/mae_vts_pretrain.py',
                f'{CONFIGS}/mae_vts_finetune.py'),
    **{f'smaug_{remedy}': (f'{CONFIGS}/smaug_{remedy}_pretrain.py',
                           f'{CONFIGS}/smaug_finetune.py')
       for remedy in ('keep_warmup', 'unmasked_tuning', 'mask25')},
}
EQUAL_COMPUTE = 'smaug_equal_compute'
DEFAULT_ARMS = ('dense', 'smaug', EQUAL_COMPUTE)
TOOLS = osp.dirname(osp.dirname(osp.abspath(__file__)))


@dataclass(frozen=True)
class StudySize:
    """The study's lengths.

    Args:
        corpus (CorpusSize): The corpus and its split.
        stage0_steps (int): Stage-0 training steps.
        steps (int): Pre-training steps of the equal-step arms.
        finetune_steps (int): Fine-tuning steps of every arm.
        val_interval (int): Pre-training steps between validations.
        batch_size (int): Clips per step, every stage.
        num_workers (int): Dataloader workers per loader.
    """
    corpus: CorpusSize
    stage0_steps: int
    steps: int
    finetune_steps: int
    val_interval: int
    batch_size: int = 16
    num_workers: int = 2


FULL = StudySize(
    corpus=CorpusSize(num_videos=4000, num_images=1200, stage0_clips=1000,
                      stage1_clips=1600, test_clips=500, stage0_images=600),
    stage0_steps=4000, steps=400, finetune_steps=150, val_interval=100)
QUICK = StudySize(
    corpus=CorpusSize(num_videos=50, num_images=16, stage0_clips=10,
                      stage1_clips=16, test_clips=6, stage0_images=8,
                      frames=8, img_size=32),
    stage0_steps=2, steps=4, finetune_steps=2, val_interval=2, batch_size=4,
    num_workers=0)


def parse_args(argv=None):
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` if None.
    """
    parser = command_parser(__doc__)
    parser.add_argument('--work-dir', default='work_dirs/table7_study',
                        help='where the runs and the report go (default: '
                        '%(default)s)')
    parser.add_argument('--data-root', default=None,
                        help='the study corpus (default: '
                        'data/synthetic_table7, or <work-dir>/corpus with '
                        '--quick)')
    parser.add_argument('--seeds', type=int, nargs='+',
                        default=[0, 1, 2, 3, 4],
                        help='seeds of the arms (default: %(default)s)')
    parser.add_argument('--arms', nargs='+', default=list(DEFAULT_ARMS),
                        choices=[*ARMS, EQUAL_COMPUTE],
                        help='arms to run per seed; the component rows and '
                        'the remedies on request (default: %(default)s)')
    parser.add_argument('--quick', action='store_true',
                        help='a toy size of every stage (minutes)')
    parser.add_argument('--threads', type=int, default=1,
                        help='intra-op threads of the training process '
                        '(default: %(default)s; dataloader workers run '
                        'beside it)')
    return parser.parse_args(argv)


class Study:
    """Runs the stages of the study in one work dir.

    Args:
        work_dir (str): Runs, exports and report.
        data_root (str): The study corpus.
        size (StudySize): Lengths and corpus size.
    """

    def __init__(self, work_dir, data_root, size):
        self.work_dir, self.data_root, self.size = work_dir, data_root, size
        self.export_dir = osp.join(work_dir, 'stage0', 'export')

    def config(self, path, steps, seed, work_dir, load_from=None):
        """A study config: the corpus, the stage-0 weights, the lengths.

        Args:
            path (str): Config file.
            steps (int): Training steps.
            seed (int): Random seed.
            work_dir (str): The run's folder.
            load_from (str, optional): Checkpoint to start from.
        """
        cfg = load_config(path, dict(data_root=self.data_root))
        size = self.size
        cfg.work_dir, cfg.launcher, cfg.load_from = work_dir, 'none', \
            load_from
        cfg.randomness = dict(seed=seed, deterministic=False)
        cfg.train_cfg.max_iters = steps
        cfg.train_cfg.val_interval = min(steps, size.val_interval)
        cfg.default_hooks.checkpoint.interval = steps
        first, *rest = cfg.param_scheduler
        if rest:  # the warm-up of a pre-training schedule: 10% of the steps
            first['end'] = rest[0]['begin'] = max(1, steps // 10)
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader'):
            cfg[loader].num_workers = size.num_workers
            cfg[loader].persistent_workers = size.num_workers > 0
            if loader == 'train_dataloader':
                cfg[loader].batch_size = size.batch_size
        cfg.test_evaluator = dict(cfg.test_evaluator, type='QueryRankMetric')
        cfg.custom_hooks = [*cfg.get('custom_hooks', []),
                            dict(type='ComputeLedgerHook')]
        model = cfg.model
        if model.type != 'DualEncoderPretrain':
            clip = osp.join(self.export_dir, 'clip_visual.pth')
            bert = osp.join(self.export_dir, 'bert')
            model.data_preprocessor.tokenizer = bert
            for part in ('backbone', 'text_encoder', 'multimodal_encoder',
                         'mlm_head'):
                if model.get(part) and model[part].get('init_cfg'):
                    model[part].init_cfg.checkpoint = (
                        clip if part == 'backbone' else bert)
        else:
            model.data_preprocessor.tokenizer = osp.join(self.data_root,
                                                         'vocab.txt')
        return cfg

    def stage0(self):
        """Train the dual encoder (once) and export it."""
        if osp.isdir(osp.join(self.export_dir, 'bert')):
            return
        run_dir = osp.join(self.work_dir, 'stage0')
        result = train_and_test(self.config(
            STAGE0_CONFIG, self.size.stage0_steps, 0, run_dir), test=False)
        checkpoint = osp.join(run_dir, f'iter_{self.size.stage0_steps}.pth')
        converter = osp.join(TOOLS, 'model_converters',
                             'smaug_to_clip_bert.py')
        command = [sys.executable, converter,
                   STAGE0_CONFIG, checkpoint, self.export_dir,
                   '--cfg-options',
                   f'model.data_preprocessor.tokenizer='
                   f'{osp.join(self.data_root, "vocab.txt")}']
        subprocess.run(command, check=True)
        save_json(osp.join(run_dir, 'result.json'), result)

    def arm(self, arm, seed, steps):
        """Pre-train one arm (test it zero-shot), fine-tune it, test again.

        Args:
            arm (str): A key of :data:`ARMS`, or :data:`EQUAL_COMPUTE`.
            seed (int): Random seed.
            steps (int): Pre-training steps.

        Returns:
            dict: ``pretrain`` and ``finetune`` results of
            :func:`train_and_test`, ``steps`` and ``arm``.
        """
        path = osp.join(self.work_dir, 'runs', f'seed{seed}', f'{arm}.json')
        if osp.exists(path):
            with open(path) as file:
                return json.load(file)
        pretrain_config, finetune_config = ARMS[
            'smaug' if arm == EQUAL_COMPUTE else arm]
        run_dir = osp.join(self.work_dir, 'runs', f'seed{seed}', arm)
        pretrain = train_and_test(self.config(
            pretrain_config, steps, seed, osp.join(run_dir, 'pretrain')))
        finetune = train_and_test(self.config(
            finetune_config, self.size.finetune_steps, seed,
            osp.join(run_dir, 'finetune'),
            load_from=osp.join(run_dir, 'pretrain', f'iter_{steps}.pth')))
        result = dict(arm=arm, seed=seed, steps=steps, pretrain=pretrain,
                      finetune=finetune)
        save_json(path, result)
        return result

    def seed(self, seed, arms=DEFAULT_ARMS):
        """The arms of one seed: those of equal steps (taking turns by
        seed, so that all see the machine alike), then SMAUG at dense's
        cost (which needs both measured).

        Args:
            seed (int): Random seed.
            arms (Sequence[str]): The arms to run.

        Returns:
            dict[str, dict]: Arm -> :meth:`arm` result.
        """
        equal_steps = [arm for arm in ARMS if arm in arms]
        if EQUAL_COMPUTE in arms:
            equal_steps += [arm for arm in ('dense', 'smaug')
                            if arm not in equal_steps]
        order = equal_steps if seed % 2 == 0 else equal_steps[::-1]
        results = {arm: self.arm(arm, seed, self.size.steps) for arm in order}
        if EQUAL_COMPUTE in arms:
            ratio = (results['dense']['pretrain']['cpu_seconds'] /
                     results['smaug']['pretrain']['cpu_seconds'])
            results[EQUAL_COMPUTE] = self.arm(
                EQUAL_COMPUTE, seed, max(1, round(self.size.steps * ratio)))
        return results


def train_and_test(cfg, test=True):
    """Train a config's runner, measuring its training apart from
    validation; then test it.

    Args:
        cfg (mmengine.Config): A config of :meth:`Study.config`.
        test (bool): Run the test set after training. Defaults to True.

    Returns:
        dict: ``cpu_seconds``/``wall_seconds`` (training only; validations
        excluded), ``batches`` (steps by frames per clip), ``flops`` (per
        step, by frames per clip), ``curve`` (the validations), and with
        ``test`` the test ``metrics``, per-query ``ranks``/``vtc_ranks``
        and ``query_video``.
    """
    runner = RUNNERS.build(cfg)
    ledger = next(hook for hook in runner.hooks
                  if isinstance(hook, ComputeLedgerHook))
    runner.train()
    flops = (frame_count_flops(runner, set(ledger.batches))
             if ledger.constant_cost else None)
    result = dict(cpu_seconds=ledger.clocks.cpu,
                  wall_seconds=ledger.clocks.wall,
                  batches={str(k): n for k, n in ledger.batches.items()},
                  flops=flops, curve=ledger.points)
    if test:
        metrics = runner.test()
        metric = runner.test_evaluator.metrics[0]
        result.update(metrics=metrics, ranks=metric.ranks.tolist(),
                      vtc_ranks=metric.vtc_ranks.tolist(),
                      query_video=metric.query_video.tolist())
    return result


def frame_count_flops(runner, frame_counts):
    """FLOPs of a training step on a batch of each frame count.

    Args:
        runner (Runner): A trained runner.
        frame_counts (set[int]): Frames per clip of the batches to count
            (video and image batches cost differently).

    Returns:
        dict[str, int]: Frames per clip -> FLOPs of one step.
    """
    model = runner.model
    model.train()
    flops = {}
    for batch in runner.train_dataloader:
        frames = len(batch['inputs'][0])
        if frames in frame_counts and str(frames) not in flops:
            flops[str(frames)] = training_batch_flops(model, batch)
        if len(flops) == len(frame_counts):
            return flops
    raise RuntimeError('the training data has no batch of '
                       f'{sorted(frame_counts)} frames per clip')


def save_json(path, value):
    """Write ``value`` as JSON, the folder made if need be (atomically, so
    that a killed study never leaves half a result).

    Args:
        path (str): File.
        value: JSON-serialisable value.
    """
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(f'{path}.tmp', 'w') as file:
        json.dump(value, file)
    os.replace(f'{path}.tmp', path)


def main(argv=None):
    """Run the study and write its report.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` if None.
    """
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    size = QUICK if args.quick else FULL
    data_root = args.data_root or (
        osp.join(args.work_dir, 'corpus') if args.quick
        else 'data/synthetic_table7')
    start_wall, start_cpu = time.perf_counter(), process_tree_cpu()
    prepare_corpus(data_root, size.corpus)
    study = Study(args.work_dir, data_root, size)
    study.stage0()
    runs = [run for seed in args.seeds
            for run in study.seed(seed, args.arms).values()]
    results = dict(size=asdict(size), seeds=args.seeds, threads=args.threads,
                   runs=runs,
                   study_wall_seconds=time.perf_counter() - start_wall,
                   study_cpu_seconds=process_tree_cpu() - start_cpu)
    save_json(osp.join(args.work_dir, 'results.json'), results)
    print(write_report(results, args.work_dir))
    return 0


if __name__ == '__main__':
    sys.exit(main())
