"""A CheckpointHook whose latest checkpoint survives a crash during a save."""
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from smaug.registry import HOOKS


@HOOKS.register_module()
class CrashSafeCheckpointHook(CheckpointHook):
    """mmengine's CheckpointHook, with a safe order of work.

    mmengine's hook deletes the oldest checkpoint (``max_keep_ckpts``)
    before it writes the new one, and rewrites ``last_checkpoint`` in
    place. With ``max_keep_ckpts=1``, a crash (or a full disk) during the
    save leaves no checkpoint at all and ``last_checkpoint`` naming a
    deleted file. This hook writes the new checkpoint first (atomically:
    :meth:`smaug.engine.SMAUGRunner.save_checkpoint`), then replaces
    ``last_checkpoint`` atomically, and only then deletes the outdated
    checkpoint. At every moment ``last_checkpoint`` names a complete file.

    Same arguments as :class:`mmengine.hooks.CheckpointHook`.
    """

    def _save_checkpoint_with_step(self, runner, step, meta):
        """Save the checkpoint of ``step``, then point ``last_checkpoint``
        to it, then delete the checkpoint that falls out of
        ``max_keep_ckpts``.

        Args:
            runner (Runner): The runner.
            step (int): Epoch or iteration number of the checkpoint.
            meta (dict): Its ``meta`` (epoch and iteration).
        """
        outdated = None
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and
                                            self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir,
            filename,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        pointer = osp.join(runner.work_dir, 'last_checkpoint')
        with open(pointer + '.partial', 'w') as f:
            f.write(self.last_ckpt)
        os.replace(pointer + '.partial', pointer)
        if outdated is not None:
            path = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(outdated))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
            elif self.file_backend.isdir(path):  # DeepSpeed checkpoints
                self.file_backend.rmtree(path)
