"""A CheckpointHook whose latest checkpoint survives a crash during a save."""
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from smaug.registry import HOOKS
from ..utils.write_failures import reported_write_failure

# Message hub key: file names of the checkpoints the hook keeps, oldest first,
# those it is about to delete included.
KEPT_CHECKPOINTS = 'kept_checkpoints'


def point_to(pointer, checkpoint):
    """Make the file ``pointer`` (``last_checkpoint``) name ``checkpoint``,
    atomically: a crash or a full disk leaves it naming the previous one.

    Args:
        pointer (str): Path of the pointer file.
        checkpoint (str): Path of the checkpoint.
    """
    partial = pointer + '.partial'
    with reported_write_failure(
            pointer, f'It still names the previous checkpoint; the new '
            f'checkpoint {checkpoint} is complete.', partial):
        with open(partial, 'w') as f:
            f.write(checkpoint)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, pointer)


def link_to(link, target):
    """Make ``link`` a relative symbolic link to ``target`` (in the same
    folder), atomically.

    Args:
        link (str): Path of the link.
        target (str): Path of the file it names.
    """
    partial = link + '.partial'
    with reported_write_failure(link, 'It still names the previous best '
                                'checkpoint.', partial):
        if osp.lexists(partial):
            os.remove(partial)
        os.symlink(osp.basename(target), partial)
        os.replace(partial, link)


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

    The checkpoints it keeps are recorded by file name in every checkpoint,
    the outdated one it is about to delete included: a run killed between
    the pointer update and the deletion deletes it when resumed. Only files
    this hook wrote are ever deleted.

    mmengine names the best checkpoint of a metric after its epoch
    (``best_retrieval_mean_recall_epoch_3.pth``); the hook keeps the link
    ``best_<metric>.pth`` pointing at it, so that a config's ``load_from``
    or a command can name the best checkpoint of a run before it exists.

    :meth:`save_resumable` saves the state after the current iteration at
    any time (:class:`~smaug.engine.PreemptionHook`); such a checkpoint is
    ``iter_<N>.pth`` and counts in ``max_keep_ckpts`` like the others.

    Same arguments as :class:`mmengine.hooks.CheckpointHook`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = []
        self.saved_iter = None  # iterations done at the latest save

    def before_train(self, runner):
        """Set up as mmengine does, then delete the outdated checkpoints
        that a killed run left behind.

        Args:
            runner (Runner): The runner.
        """
        super().before_train(runner)
        if self.max_keep_ckpts <= 0:
            return
        self.kept = list(runner.message_hub.get_info(
            KEPT_CHECKPOINTS,
            # a checkpoint of an earlier smaug lists steps only
            [self.filename_tmpl.format(step) for step in self.keep_ckpt_ids]))
        self._delete_outdated(runner)

    def save_resumable(self, runner):
        """Save the state after the current training iteration, unless the
        latest checkpoint already holds it, and point ``last_checkpoint``
        to it.

        Args:
            runner (Runner): The runner, in ``after_train_iter``.

        Returns:
            str: The checkpoint.
        """
        done = runner.iter + 1
        if self.saved_iter != done:
            template = 'iter_{}.pth' if self.by_epoch else self.filename_tmpl
            self._save(runner, template.format(done),
                       dict(epoch=runner.epoch, iter=done))
        return self.last_ckpt

    def _save_checkpoint_with_step(self, runner, step, meta):
        """Save the checkpoint of ``step`` (mmengine's entry point).

        Args:
            runner (Runner): The runner.
            step (int): Epoch or iteration number of the checkpoint.
            meta (dict): Its ``meta`` (epoch and iteration).
        """
        self._save(runner, self.filename_tmpl.format(step), meta)

    def _save(self, runner, filename, meta):
        """Save the checkpoint ``filename``, then point ``last_checkpoint``
        to it, then delete the checkpoints that fall out of
        ``max_keep_ckpts``.

        Args:
            runner (Runner): The runner.
            filename (str): File name of the checkpoint.
            meta (dict): Its ``meta`` (epoch and iteration).
        """
        if self.max_keep_ckpts > 0 and self.kept[-1:] != [filename]:
            self.kept.append(filename)
            runner.message_hub.update_info(KEPT_CHECKPOINTS, list(self.kept))
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
        self.saved_iter = meta['iter']
        if is_main_process():
            point_to(osp.join(runner.work_dir, 'last_checkpoint'),
                     self.last_ckpt)
        self._delete_outdated(runner)

    def _save_best_checkpoint(self, runner, metrics):
        """Save the best checkpoints as mmengine does, then point each
        metric's ``best_<metric>.pth`` link at its best checkpoint.

        Args:
            runner (Runner): The runner.
            metrics (dict): The validation metrics.
        """
        super()._save_best_checkpoint(runner, metrics)
        if (not self.save_best or not is_main_process()
                or '://' in self.out_dir):
            return
        if len(self.key_indicators) == 1:
            best = {self.key_indicators[0]: self.best_ckpt_path}
        else:
            best = self.best_ckpt_path_dict
        for key, path in best.items():
            if path and osp.isfile(path):
                link = osp.join(self.out_dir,
                                f'best_{key}.pth'.replace('/', '_'))
                link_to(link, path)

    def _delete_outdated(self, runner):
        """Delete the oldest checkpoints beyond ``max_keep_ckpts`` (on the
        main process; every process updates its list).

        Args:
            runner (Runner): The runner.
        """
        if self.max_keep_ckpts <= 0 or len(self.kept) <= self.max_keep_ckpts:
            return
        outdated = self.kept[:-self.max_keep_ckpts]
        del self.kept[:-self.max_keep_ckpts]
        runner.message_hub.update_info(KEPT_CHECKPOINTS, list(self.kept))
        if not is_main_process():
            return
        for name in outdated:
            path = self.file_backend.join_path(self.out_dir, name)
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
            elif self.file_backend.isdir(path):  # DeepSpeed checkpoints
                self.file_backend.rmtree(path)
