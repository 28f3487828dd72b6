"""A Runner that trains the same way on GPU clusters and CPU-only machines.

mmengine 0.10.7 assumes CUDA in two places of distributed training: it calls
``torch.cuda.set_device`` while initialising the process group and wraps the
model in DDP with ``device_ids=[LOCAL_RANK]``. Both fail on a CPU machine.
``SMAUGRunner`` initialises a gloo process group and wraps without device ids
when no GPU is present, and leaves the GPU path to mmengine untouched.

A dataloader config may give ``total_batch_size`` instead of ``batch_size``:
the per-process batch is then ``total_batch_size / world_size``, so a config
keeps the paper's total batch (and learning rate) on any number of GPUs.

It also fails early and clearly on bad input, where mmengine would fail
late or not at all:

- the config is checked before anything is built (unknown types,
  arguments and misspelt top-level keys, named by their place:
  :mod:`smaug.config.config_validation`); mmengine's gradient
  accumulation of a contrastive model is refused for the exact one
  (:mod:`smaug.engine.runners.contrastive_accumulation`);
- a work_dir that cannot be written stops the run at start-up, not at the
  first checkpoint an hour later;
- a second training on a work_dir in use is refused
  (:mod:`smaug.engine.runners.work_dir_lock`);
- a training that torchrun restarted or Slurm requeued resumes by itself
  (:mod:`smaug.engine.runners.automatic_resume`);
- collective operations wait ``env_cfg.dist_cfg.timeout`` seconds, 600 when
  the config does not say (torch: 30 minutes for gloo), and a
  :class:`~smaug.engine.hooks.RankWatchdogHook` (added to every run) names
  the rank that holds the others up before they stop;
- checkpoints are written atomically (temporary name, fsync, rename), so a
  crash or a full disk during a save never leaves a truncated file under
  the final name, and a failed save names its path;
- ``--resume`` says clearly when there is nothing to resume from, or when
  ``last_checkpoint`` names a file that is gone;
- every checkpoint load reports missing, unexpected and mismatched keys in
  one message; ``require_all_weights=True`` in the config (tools/test.py
  sets it), or a resume, turns missing and mismatched keys into an error.

Every checkpoint it loads (``load_from``, ``resume`` and the components'
``init_cfg=dict(type='Pretrained')``) is read weights-only
(:mod:`smaug.checkpoints.checkpoint_loading`), unless the config sets
``trust_checkpoint=True`` (``--trust-checkpoint`` of the tools).
"""
import datetime
import os
import os.path as osp
import subprocess

import torch
import torch.distributed as torch_dist
from mmengine.dist import broadcast_object_list, get_world_size, is_distributed
from mmengine.device import get_device
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import find_latest_checkpoint
from torch.nn.parallel import DistributedDataParallel

from smaug.checkpoints import (compare_state_dicts, format_report,
                               load_checkpoint_file, revise_state_dict,
                               use_weights_only_loader)
from smaug.config import check_config
from smaug.registry import MODEL_WRAPPERS, RUNNERS
from .contrastive_accumulation import check_contrastive_accumulation
from ..hooks.preemption_hook import PreemptionHook
from ..hooks.rank_watchdog_hook import RankWatchdogHook
from .automatic_resume import restart_reason, resume_if_restarted
from .run_length_schedule import fit_schedule_to_run
from .work_dir_lock import (WorkDirInUseError, WorkDirLock,
                            check_writable_dir, held_lock)
from ..utils.stop_report import report_start
from ..utils.write_failures import reported_write_failure

# Seconds a collective operation may wait (env_cfg.dist_cfg.timeout) when
# the config does not say: torch's default is 30 minutes for gloo, 10 for
# NCCL, and mmengine's 30; a hung rank then stops the others within this.
DEFAULT_COLLECTIVE_TIMEOUT = 600


def slurm_environment(environ):
    """The variables of torch's ``env://`` initialisation for a process
    that ``srun`` started (mmengine's slurm set-up, without a GPU).

    Args:
        environ (Mapping[str, str]): The environment Slurm gave.

    Returns:
        dict[str, str]: ``MASTER_ADDR``, ``MASTER_PORT``, ``WORLD_SIZE``,
        ``RANK`` and ``LOCAL_RANK`` (those already set are kept).
    """
    first_host = subprocess.run(
        ['scontrol', 'show', 'hostname', environ['SLURM_NODELIST']],
        capture_output=True, text=True, check=True).stdout.split()[0]
    return dict(MASTER_ADDR=environ.get('MASTER_ADDR', first_host),
                MASTER_PORT=environ.get('MASTER_PORT', '29500'),
                WORLD_SIZE=environ['SLURM_NTASKS'],
                RANK=environ['SLURM_PROCID'],
                LOCAL_RANK=environ.get('SLURM_LOCALID', '0'))


def init_cpu_process_group(launcher, backend='gloo', timeout=None, **kwargs):
    """Initialise a gloo process group from the launcher's environment.

    Args:
        launcher (str): ``'pytorch'`` (torchrun) or ``'slurm'`` (srun).
        backend (str): Ignored unless it is ``'gloo'`` or ``'mpi'``; NCCL
            needs GPUs, so it falls back to gloo.
        timeout (int, optional): Seconds before collective operations fail.
        **kwargs: Passed to :func:`torch.distributed.init_process_group`.
    """
    if launcher not in ('pytorch', 'slurm'):
        raise RuntimeError(
            f'Distributed training on a CPU-only machine supports the '
            f"'pytorch' (tools/dist_train.sh) and 'slurm' "
            f"(tools/slurm_train.sh) launchers, not '{launcher}'.")
    if launcher == 'slurm':
        os.environ.update(slurm_environment(os.environ))
    if backend not in ('gloo', 'mpi'):
        backend = 'gloo'
    if timeout is not None:
        kwargs['timeout'] = datetime.timedelta(seconds=timeout)
    torch_dist.init_process_group(backend=backend, **kwargs)


def first_sentence(error):
    """The first sentence of an error, without a source location in
    brackets (gloo's ``[.../pair.cc:545] Read error ...: Connection reset
    by peer. This is typically ...``).

    Args:
        error (Exception): The error.
    """
    return str(error).split('] ', 1)[-1].split('. ', 1)[0]


def is_collective_failure(error):
    """Whether an error is that of a collective operation (gloo raises a
    plain ``RuntimeError`` naming itself; NCCL a ``DistBackendError``).

    Args:
        error (RuntimeError): The error.
    """
    return isinstance(error, torch_dist.DistError) or 'gloo' in str(error)


# Default hooks mmengine registers itself (it accepts None only for these).
MMENGINE_DEFAULT_HOOKS = ('runtime_info', 'timer', 'sampler_seed', 'logger',
                          'param_scheduler', 'checkpoint')


@RUNNERS.register_module()
class SMAUGRunner(Runner):
    """mmengine's Runner, usable with ``--launcher pytorch`` on CPUs too,
    with the start-up checks and safe checkpoints described above.

    Args:
        model (nn.Module | dict): As for :class:`mmengine.runner.Runner`.
        work_dir (str): Output folder; must be writable.
        *args: The other arguments of :class:`mmengine.runner.Runner`.
        **kwargs: The other arguments of :class:`mmengine.runner.Runner`;
            ``cfg.trust_checkpoint=True`` allows checkpoints that need
            unrestricted unpickling.

    Attributes:
        trust_checkpoint (bool): Whether checkpoints are loaded without the
            weights-only restriction.
    """

    def __init__(self, model, work_dir, *args, **kwargs):
        check_writable_dir(osp.abspath(work_dir))
        self.trust_checkpoint = bool(
            (kwargs.get('cfg') or {}).get('trust_checkpoint', False))
        use_weights_only_loader(trust=self.trust_checkpoint)
        super().__init__(model, work_dir, *args, **kwargs)

    @classmethod
    def from_cfg(cls, cfg):
        """Check the config, fit the LR schedule to the run's length
        (:mod:`smaug.engine.runners.run_length_schedule`), resume a
        restarted training (:mod:`smaug.engine.runners.automatic_resume`),
        then build the runner.

        Args:
            cfg (mmengine.Config): The full config.
        """
        check_config(cfg)
        check_contrastive_accumulation(cfg)
        fit_schedule_to_run(cfg)
        resume_if_restarted(cfg, os.environ)
        return super().from_cfg(cfg)

    def register_default_hooks(self, hooks=None):
        """Register the default hooks, and a :class:`RankWatchdogHook`
        (``rank_watchdog``) unless the config names one; ``name=None`` in
        the config's ``default_hooks`` turns off any of them, smaug's
        included (``exact_resume``, ``nonfinite_loss``, ``rank_watchdog``),
        not only mmengine's.

        Args:
            hooks (dict, optional): The config's ``default_hooks``.
        """
        hooks = dict(hooks or {})
        hooks.setdefault('rank_watchdog',
                         dict(type=RankWatchdogHook.__name__))
        super().register_default_hooks({
            name: hook
            for name, hook in hooks.items()
            if hook is not None or name in MMENGINE_DEFAULT_HOOKS
        })

    def setup_env(self, env_cfg):
        """Initialise gloo on CPU-only machines, then mmengine's set-up;
        collective operations wait ``env_cfg.dist_cfg.timeout`` seconds at
        most (``DEFAULT_COLLECTIVE_TIMEOUT`` when not given), kept as
        :attr:`collective_timeout` for the :class:`RankWatchdogHook`.

        Args:
            env_cfg (dict): The config's ``env_cfg``.
        """
        dist_cfg = dict(env_cfg.get('dist_cfg', {}))
        dist_cfg.setdefault('timeout', DEFAULT_COLLECTIVE_TIMEOUT)
        self.collective_timeout = dist_cfg['timeout']
        if (self.distributed and not is_distributed()
                and not torch.cuda.is_available()):
            init_cpu_process_group(self.launcher, **dist_cfg)
        super().setup_env(dict(env_cfg, dist_cfg=dist_cfg))

    def wrap_model(self, model_wrapper_cfg, model):
        """Wrap in DDP, without ``device_ids`` when the model is on the CPU.

        DDP looks for unused parameters when the model says that a step can
        leave some without gradient (``may_leave_parameters_unused``, e.g.
        images skip the temporal encoder), on GPUs and CPUs alike, unless
        the config sets ``find_unused_parameters`` itself.

        Args:
            model_wrapper_cfg (dict, optional): The config's wrapper settings.
            model (nn.Module): The model to wrap.
        """
        if not self.distributed or is_model_wrapper(model):
            return super().wrap_model(model_wrapper_cfg, model)
        wrapper_cfg = dict(type='MMDistributedDataParallel',
                           broadcast_buffers=False)
        wrapper_cfg.update(model_wrapper_cfg or {})
        if issubclass(MODEL_WRAPPERS.get(wrapper_cfg['type']),
                      DistributedDataParallel):
            wrapper_cfg.setdefault('find_unused_parameters', self.cfg.get(
                'find_unused_parameters',
                getattr(model, 'may_leave_parameters_unused', False)))
        if torch.cuda.is_available():
            return super().wrap_model(wrapper_cfg, model)
        return MODEL_WRAPPERS.build(
            wrapper_cfg, default_args=dict(module=model.to(get_device())))

    @staticmethod
    def build_dataloader(dataloader, seed=None, diff_rank_seed=False):
        """Build a dataloader, resolving ``total_batch_size`` first.

        Args:
            dataloader (DataLoader | dict): As for mmengine's Runner.
            seed (int, optional): Random seed of the sampler.
            diff_rank_seed (bool): Different seeds on different ranks.
        """
        if isinstance(dataloader, dict) and 'total_batch_size' in dataloader:
            dataloader = dict(dataloader)
            total = dataloader.pop('total_batch_size')
            world_size = get_world_size()
            if total % world_size:
                raise ValueError(
                    f'total_batch_size={total} does not split evenly over '
                    f'{world_size} processes; choose a multiple of '
                    f'{world_size} or set batch_size (per process).')
            dataloader['batch_size'] = total // world_size
        return Runner.build_dataloader(dataloader, seed, diff_rank_seed)

    def train(self):
        """Train, holding the work_dir's lock
        (:mod:`smaug.engine.runners.work_dir_lock`): the one tools/train.py
        claimed, or one taken now, so that a second training on the same
        work_dir is refused before it loads or writes a checkpoint. The lock
        and the signals a :class:`PreemptionHook` caught are released even
        when the training raises, and a :class:`RankWatchdogHook` stops
        watching. When a collective operation fails (a rank died), it first
        says which rank.

        Returns:
            nn.Module: The trained model.
        """
        lock = held_lock(self.work_dir) if self.rank == 0 else None
        refusal = [None]
        if self.rank == 0 and lock is None:
            lock = WorkDirLock(self.work_dir)
            refusal = [lock.acquire()]
        if is_distributed():
            broadcast_object_list(refusal)
        if refusal[0] is not None:
            raise WorkDirInUseError(refusal[0])
        if self.rank == 0 and not lock.held:
            self.logger.warning(
                f'The file system of {self.work_dir} does not support file '
                'locks: a second training started on this work_dir would '
                'not be refused.')
        report_start(self.work_dir)
        try:
            return super().train()
        except RuntimeError as error:
            if is_distributed() and is_collective_failure(error):
                for hook in self.hooks:
                    if isinstance(hook, RankWatchdogHook):
                        hook.explain_failure(
                            'a collective operation failed: '
                            f'{first_sentence(error)}')
            raise
        finally:
            if lock is not None:
                lock.release()
            for hook in self.hooks:
                if isinstance(hook, PreemptionHook):
                    hook.restore_handlers()
                if isinstance(hook, RankWatchdogHook):
                    hook.stop()

    def load_or_resume(self):
        """Resume or load, telling the user when there is nothing to resume
        or when ``last_checkpoint`` names a missing file."""
        if self._resume and self._load_from is None and not self._has_loaded:
            latest = find_latest_checkpoint(self.work_dir)
            restart = restart_reason(os.environ)
            if restart is not None and latest is not None:
                self.logger.info(f'{restart}: resuming from {latest}, the '
                                 'latest checkpoint of the work_dir.')
            if latest is None:
                self.logger.warning(
                    f'--resume was given but {self.work_dir} holds no '
                    'checkpoint (no last_checkpoint file): training starts '
                    'from scratch.')
                self._resume = False
            elif '://' not in latest and not osp.isfile(latest):
                raise FileNotFoundError(
                    f'{osp.join(self.work_dir, "last_checkpoint")} names '
                    f'{latest!r}, which does not exist; resume from another '
                    'checkpoint with --resume PATH, or remove '
                    'last_checkpoint to start from scratch.')
        super().load_or_resume()

    def load_checkpoint(self, filename, map_location='cpu', strict=False,
                        revise_keys=((r'^module\.', ''), )):
        """Load weights, reporting every key that does not fit the model.

        Missing keys and keys with another shape are an error when
        ``strict``, when resuming, or when the config sets
        ``require_all_weights=True`` (tools/test.py: a model with missing
        weights gives meaningless metrics); otherwise they are logged as one
        warning. Unexpected keys (e.g. the MLM head of a pre-training
        checkpoint in a retrieval model) are logged only, unless ``strict``.

        Args:
            filename (str): The checkpoint.
            map_location (str | callable): As for :func:`torch.load`.
            strict (bool): Require exactly the model's keys.
            revise_keys (list[tuple[str, str]]): Regular expressions applied
                to the checkpoint's keys.

        Returns:
            dict: The checkpoint.
        """
        checkpoint = load_checkpoint_file(filename, map_location,
                                          trust=self.trust_checkpoint)
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(
            self.model) else self.model
        state_dict = revise_state_dict(checkpoint, revise_keys)
        comparison = compare_state_dicts(model.state_dict(), state_dict)
        report = format_report(filename, type(model).__name__, comparison)
        required = (strict or self._resume
                    or self.cfg.get('require_all_weights', False))
        if (required and (comparison['missing'] or comparison['mismatched'])
                or strict and comparison['unexpected']):
            raise RuntimeError(
                f'{report}\nRefusing a checkpoint that does not fit the '
                'model: is it a checkpoint of this config\'s model? '
                '(tools/test.py --allow-partial accepts it anyway.)')
        if report:
            self.logger.warning(report)
        for key, _, _ in comparison['mismatched']:
            del state_dict[key]
        model.load_state_dict(state_dict, strict=False)
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    def save_checkpoint(self, out_dir, filename, *args, **kwargs):
        """Save under a temporary name, fsync, then rename: saves are
        atomic. A failed save (e.g. a full disk) removes the partial file
        and raises an error naming the checkpoint; earlier checkpoints are
        untouched.

        Args:
            out_dir (str): Folder of the checkpoint.
            filename (str): Final file name of the checkpoint.
            *args: Passed to :meth:`mmengine.runner.Runner.save_checkpoint`.
            **kwargs: Passed to :meth:`mmengine.runner.Runner.save_checkpoint`.
        """
        if '://' in out_dir:  # remote storage: no rename available
            super().save_checkpoint(out_dir, filename, *args, **kwargs)
            return
        partial_name = f'.{filename}.partial'
        partial, final = (osp.join(out_dir, partial_name),
                          osp.join(out_dir, filename))
        with reported_write_failure(
                f'checkpoint {final}',
                f'Earlier checkpoints in {out_dir} are intact.', partial):
            super().save_checkpoint(out_dir, partial_name, *args, **kwargs)
            if self.rank != 0:
                return
            with open(partial, 'rb') as f:
                os.fsync(f.fileno())
            os.replace(partial, final)
