"""tools/train.py with ``model.micro_batches=2``: the demo, killed
mid-epoch and resumed, trains like it does with whole batches (the same
loss terms at every step); mmengine's ``accumulative_counts`` is refused
for a contrastive model."""
from killed_runs import kill_and_resume, read_steps
from resume_demo import write_demo_config

# The demo config, shrunk: batches of 4 from the workspace's training clips
# and images (4 iterations, no validation), no dropout (the only random draw
# that micro-batches take in another order than whole batches), a checkpoint
# every 2 iterations.
CONFIG = """
_base_ = [{demo!r}]
custom_imports = dict(imports=['run_recorder'], allow_failed_imports=False)
custom_hooks = [dict(type='StepRecorderHook')]
no_dropout = dict(dropout=0.)
model = dict(text_encoder=dict(arch=no_dropout),
             multimodal_encoder=dict(arch=no_dropout),
             mlm_head=dict(arch=no_dropout))
train_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False)
train_cfg = dict(max_epochs=1, val_interval=100)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=2, by_epoch=False))
"""
ITERS, KILL_AFTER = 4, 3


def read_losses(work_dir):
    """The loss terms of each step of a run, in order."""
    return [step['losses'] for step in read_steps(work_dir)]


def test_micro_batches_train_like_whole_batches_and_resume(
        synthetic_workspace, train_tool, repo_root, tmp_path):
    config = write_demo_config(tmp_path / 'micro_batches_demo.py',
                               repo_root, CONFIG)
    micro = ('--cfg-options', 'model.micro_batches=2')
    whole, split = tmp_path / 'whole', tmp_path / 'split'
    split_run = (synthetic_workspace, split, 'split.log', micro)
    kill_and_resume(train_tool, config,
                    (synthetic_workspace, whole, 'whole.log', ()), split_run,
                    KILL_AFTER, 'resumed.log')

    # iterations 1-3, then 3 again (resumed from iter_2.pth) and 4
    reference, steps = read_losses(whole), read_losses(split)
    assert len(reference) == ITERS and len(steps) == ITERS + 1
    steps = steps[:KILL_AFTER - 1] + steps[KILL_AFTER:]
    difference = max(abs(step[key] - ref[key])
                     for step, ref in zip(steps, reference) for key in ref)
    assert difference < 1e-5, f'largest loss difference {difference}'


def test_accumulative_counts_of_a_contrastive_model_is_refused(
        synthetic_workspace, train_tool, repo_root, tmp_path):
    run = train_tool(
        synthetic_workspace,
        repo_root / 'configs' / 'demo' / 'smaug_tiny_synthetic.py',
        '--work-dir', str(tmp_path / 'refused'), '--cfg-options',
        'optim_wrapper.accumulative_counts=4', 'train_cfg.max_epochs=1',
        'train_cfg.val_interval=100', log='refused.log')
    assert run.wait(timeout=300) != 0
    log = (synthetic_workspace / 'refused.log').read_text()
    assert 'optim_wrapper.accumulative_counts=4 sums the losses of 4 ' \
        'separate micro-batches' in log
    assert 'set model.micro_batches=4' in log
