"""A Runner that trains the same way on GPU clusters and CPU-only machines.

mmengine 0.10.7 assumes CUDA in two places of distributed training: it calls
``torch.cuda.set_device`` while initialising the process group and wraps the
model in DDP with ``device_ids=[LOCAL_RANK]``. Both fail on a CPU machine.
``SMAUGRunner`` initialises a gloo process group and wraps without device ids
when no GPU is present, and leaves the GPU path to mmengine untouched.

A dataloader config may give ``total_batch_size`` instead of ``batch_size``:
the per-process batch is then ``total_batch_size / world_size``, so a config
keeps the paper's total batch (and learning rate) on any number of GPUs.

It also writes checkpoints atomically (a crash during a save never leaves a
truncated file under the final name) and says clearly when ``--resume`` finds
nothing to resume from.
"""
import datetime
import os
import os.path as osp

import torch
import torch.distributed as torch_dist
from mmengine.dist import get_world_size, is_distributed
from mmengine.device import get_device
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import find_latest_checkpoint

from smaug.registry import MODEL_WRAPPERS, RUNNERS


def init_cpu_process_group(launcher, backend='gloo', timeout=None, **kwargs):
    """Initialise a gloo process group from the launcher's environment.

    Args:
        launcher (str): Only ``'pytorch'`` (torchrun) is supported on CPU.
        backend (str): Ignored unless it is ``'gloo'`` or ``'mpi'``; NCCL
            needs GPUs, so it falls back to gloo.
        timeout (int, optional): Seconds before collective operations fail.
        **kwargs: Passed to :func:`torch.distributed.init_process_group`.
    """
    if launcher != 'pytorch':
        raise RuntimeError(
            f'Distributed training on a CPU-only machine supports the '
            f"'pytorch' launcher (tools/dist_train.sh), not '{launcher}'.")
    if backend not in ('gloo', 'mpi'):
        backend = 'gloo'
    if timeout is not None:
        kwargs['timeout'] = datetime.timedelta(seconds=timeout)
    torch_dist.init_process_group(backend=backend, **kwargs)


@RUNNERS.register_module()
class SMAUGRunner(Runner):
    """mmengine's Runner, usable with ``--launcher pytorch`` on CPUs too."""

    def setup_env(self, env_cfg):
        """Initialise gloo on CPU-only machines, then mmengine's set-up.

        Args:
            env_cfg (dict): The config's ``env_cfg``.
        """
        if (self.distributed and not is_distributed()
                and not torch.cuda.is_available()):
            init_cpu_process_group(self.launcher,
                                   **env_cfg.get('dist_cfg', {}))
        super().setup_env(env_cfg)

    def wrap_model(self, model_wrapper_cfg, model):
        """Wrap in DDP without ``device_ids`` when the model is on the CPU.

        Args:
            model_wrapper_cfg (dict, optional): The config's wrapper settings.
            model (nn.Module): The model to wrap.
        """
        if (not self.distributed or torch.cuda.is_available()
                or is_model_wrapper(model)):
            return super().wrap_model(model_wrapper_cfg, model)
        wrapper_cfg = dict(
            type='MMDistributedDataParallel',
            broadcast_buffers=False,
            find_unused_parameters=self.cfg.get('find_unused_parameters',
                                                False))
        wrapper_cfg.update(model_wrapper_cfg or {})
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

    def load_or_resume(self):
        """Resume or load, telling the user when there is nothing to resume."""
        if (self._resume and self._load_from is None and not self._has_loaded
                and find_latest_checkpoint(self.work_dir) is None):
            self.logger.warning(
                f'--resume was given but {self.work_dir} holds no checkpoint '
                '(no last_checkpoint file): training starts from scratch.')
            self._resume = False
        super().load_or_resume()

    def save_checkpoint(self, out_dir, filename, *args, **kwargs):
        """Save under a temporary name, then rename: saves are atomic.

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
        super().save_checkpoint(out_dir, partial_name, *args, **kwargs)
        if self.rank == 0:
            os.replace(osp.join(out_dir, partial_name),
                       osp.join(out_dir, filename))
