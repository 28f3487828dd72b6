"""Non-finite losses: the step is skipped (no parameter or optimizer-state
change), counted (message hub scalar, in the logged scalars), the bad term
named, ranks agree, and the run stops after N in a row; with gradient
accumulation the window of the skipped step makes no update and the others
update where they would without it. AMP overflow is left to the
GradScaler (GPU only)."""
import datetime

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.hooks import Hook
from mmengine.logging import MessageHub

import faulty_modules  # noqa: F401  (registers FlakyRegressor)
from toy_runs import run_logs, toy_cfg
from smaug.engine import (GuardedAmpOptimWrapper, GuardedOptimWrapper,
                          NonFiniteLossError, SMAUGRunner)

NAN = float('nan')


def guarded(model, **kwargs):
    """AdamW (it has per-parameter state) in a GuardedOptimWrapper."""
    return GuardedOptimWrapper(
        optimizer=torch.optim.AdamW(model.parameters(), lr=0.1), **kwargs)


def test_nonfinite_step_changes_nothing_and_is_counted():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    wrapper = guarded(model, max_consecutive_nonfinite=2)
    x = torch.randn(4, 3)
    wrapper.update_params(model(x).pow(2).mean())
    params = [p.detach().clone() for p in model.parameters()]
    state = {k: v.clone() for k, v in
             wrapper.optimizer.state[model.weight].items()}

    wrapper.update_params(model(x).mean() * NAN)
    assert all(torch.equal(p, q) for p, q in zip(params, model.parameters()))
    assert all(torch.equal(v, wrapper.optimizer.state[model.weight][k])
               for k, v in state.items())
    assert all(p.grad is None or not p.grad.any() for p in model.parameters())
    assert (wrapper.nonfinite_total, wrapper.nonfinite_in_a_row) == (1, 1)
    hub = MessageHub.get_current_instance()
    assert hub.get_scalar('train/nonfinite_steps').current() == 1

    wrapper.update_params(model(x).pow(2).mean())  # finite: resets the run
    assert wrapper.nonfinite_in_a_row == 0
    assert not torch.equal(params[0], model.weight)
    wrapper.update_params(model(x).mean() * float('inf'))
    with pytest.raises(NonFiniteLossError, match='2 in a row'):
        wrapper.update_params(model(x).mean() * NAN)
    assert wrapper.state_dict()['nonfinite_steps'] == dict(total=3,
                                                           in_a_row=2)
    restored = guarded(model)
    restored.load_state_dict(wrapper.state_dict())
    assert restored.nonfinite_total == 3


def flaky_cfg(work_dir, nan_at, limit):
    """The toy config with FlakyRegressor and a guarded wrapper."""
    return toy_cfg(
        work_dir, model=dict(type='FlakyRegressor', nan_at=nan_at),
        optim_wrapper=dict(type='AutoAmpOptimWrapper',
                           max_consecutive_nonfinite=limit))


def test_training_skips_names_and_counts(tmp_path):
    runner = SMAUGRunner.from_cfg(flaky_cfg(tmp_path, nan_at=(2, 3),
                                            limit=3))
    runner.train()
    text, scalars = run_logs(tmp_path)
    assert ('Iteration 2: Non-finite loss on rank(s) [0] (loss_aux=nan on '
            'rank 0): the update is skipped (1 in a row, 1 in total') in text
    assert 'Iteration 3:' in text and '(2 in a row, 2 in total' in text
    assert [record['nonfinite_steps'] for record in scalars] == \
        [0, 1, 2, 2, 2, 2, 2, 2]
    assert torch.isfinite(runner.model.linear.weight).all()


def test_training_stops_after_limit_in_a_row(tmp_path):
    runner = SMAUGRunner.from_cfg(flaky_cfg(tmp_path, nan_at=(3, 4, 5),
                                            limit=3))
    with pytest.raises(NonFiniteLossError) as error:
        runner.train()
    assert 'Iteration 5:' in str(error.value)
    assert 'loss_aux=nan' in str(error.value)
    assert '3 in a row' in str(error.value) and 'Stopping' in str(error.value)
    assert not list(tmp_path.glob('*.pth'))


class UpdateRecorder(Hook):
    """Records the iterations (1-based) after which the weights changed."""

    def __init__(self):
        self.updated = []
        self._before = None

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self._before = runner.model.linear.weight.detach().clone()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if not torch.equal(self._before, runner.model.linear.weight):
            self.updated.append(runner.iter + 1)


def updated_iterations(work_dir, nan_at, limit):
    """The iterations that updated the weights in a toy run (8 iterations)
    accumulating gradients over 2, the loss non-finite at ``nan_at``.

    Args:
        work_dir (Path): The run's work_dir.
        nan_at (tuple[int]): Iterations (1-based) with a NaN loss term.
        limit (int | None): ``max_consecutive_nonfinite``; None: unguarded.
    """
    runner = SMAUGRunner.from_cfg(toy_cfg(
        work_dir, model=dict(type='FlakyRegressor', nan_at=nan_at),
        optim_wrapper=dict(type='AutoAmpOptimWrapper',
                           max_consecutive_nonfinite=limit,
                           accumulative_counts=2,
                           optimizer=dict(type='SGD', lr=0.01))))
    recorder = UpdateRecorder()
    runner.register_hook(recorder)
    runner.train()
    return recorder.updated


@pytest.mark.parametrize('nan_at', [(1, ), (2, )])
def test_accumulation_skips_the_window_and_stays_in_step(tmp_path, nan_at):
    assert updated_iterations(tmp_path / 'unguarded', (), None) == \
        [2, 4, 6, 8]
    # the NaN's window (iterations 1-2) makes no update, not half of one;
    # the others update where they would have
    assert updated_iterations(tmp_path / 'guarded', nan_at, 10) == [4, 6, 8]


def ddp_skip_worker(rank, port, out_dir):
    """Rank 1's first loss is NaN: both ranks must skip it (a rank that
    skipped the gradient all-reduce alone would hang the other)."""
    torch.set_num_threads(1)
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank, world_size=2,
                            timeout=datetime.timedelta(seconds=60))
    try:
        torch.manual_seed(0)
        model = torch.nn.parallel.DistributedDataParallel(
            torch.nn.Linear(3, 1))
        wrapper = guarded(model)
        start = model.module.weight.detach().clone()
        x = torch.ones(2, 3) * (rank + 1)
        loss = model(x).pow(2).mean()
        wrapper.update_params(loss * NAN if rank == 1 else loss)
        after_skip = model.module.weight.detach().clone()
        wrapper.update_params(model(x).pow(2).mean())
        torch.save(dict(start=start, after_skip=after_skip,
                        end=model.module.weight.detach(),
                        ranks=wrapper.last_nonfinite_ranks,
                        total=wrapper.nonfinite_total),
                   f'{out_dir}/rank{rank}.pth')
    finally:
        dist.destroy_process_group()


def test_ranks_agree_to_skip(free_port, tmp_path):
    mp.start_processes(ddp_skip_worker, args=(free_port, str(tmp_path)),
                       nprocs=2, start_method='fork')
    results = [torch.load(tmp_path / f'rank{rank}.pth', weights_only=True)
               for rank in range(2)]
    for result in results:
        assert result['total'] == 1
        assert torch.equal(result['after_skip'], result['start'])
        assert not torch.equal(result['end'], result['start'])
    assert torch.equal(results[0]['end'], results[1]['end'])


@pytest.mark.skipif(not torch.cuda.is_available(), reason='AMP needs a GPU')
def test_amp_overflow_is_left_to_the_scaler():
    model = torch.nn.Linear(3, 1).cuda()
    wrapper = GuardedAmpOptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        dtype='float16', loss_scale='dynamic')
    x = torch.randn(4, 3, device='cuda')
    start = model.weight.detach().clone()
    scale = wrapper.loss_scaler.get_scale()
    handle = model.weight.register_hook(lambda grad: grad * float('inf'))
    with wrapper.optim_context(model):
        loss = model(x).float().pow(2).mean()
    wrapper.update_params(loss)  # finite loss, inf gradient: the scaler
    handle.remove()
    assert wrapper.nonfinite_total == 0
    assert torch.equal(model.weight, start)
    assert wrapper.loss_scaler.get_scale() < scale
    scale = wrapper.loss_scaler.get_scale()
    with wrapper.optim_context(model):
        loss = model(x).float().pow(2).mean() * NAN
    wrapper.update_params(loss)  # non-finite loss: the guard
    assert wrapper.nonfinite_total == 1
    assert torch.equal(model.weight, start)
    assert wrapper.loss_scaler.get_scale() == scale
