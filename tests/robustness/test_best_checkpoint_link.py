"""``best_<metric>.pth`` names the best checkpoint of a run: the configs'
``load_from`` and the README's commands use that name."""
import os

from mmengine.runner import Runner

from smaug.engine import CrashSafeCheckpointHook
from toy_runs import toy_cfg


def save_best(hook, runner, epoch, score):
    """Let ``hook`` see the validation ``score`` after ``epoch``."""
    runner.train_loop._epoch = epoch
    hook._save_best_checkpoint(runner, {'retrieval/mean_recall': score})


def test_link_follows_the_best_checkpoint(tmp_path):
    runner = Runner.from_cfg(toy_cfg(tmp_path, runner_type='SMAUGRunner'))
    hook = CrashSafeCheckpointHook(save_best='retrieval/mean_recall',
                                   rule='greater')
    hook.before_train(runner)
    link = tmp_path / 'best_retrieval_mean_recall.pth'

    save_best(hook, runner, 1, 10.)
    assert os.readlink(link) == 'best_retrieval_mean_recall_epoch_1.pth'
    save_best(hook, runner, 2, 5.)  # worse: the link stays
    assert os.readlink(link) == 'best_retrieval_mean_recall_epoch_1.pth'
    save_best(hook, runner, 3, 20.)
    assert os.readlink(link) == 'best_retrieval_mean_recall_epoch_3.pth'
    assert link.is_file()  # resolves: the epoch-3 file exists
    assert not (tmp_path / 'best_retrieval_mean_recall_epoch_1.pth').exists()
    assert not list(tmp_path.glob('*.partial'))
