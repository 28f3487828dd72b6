"""Examples in the docstrings, configs, READMEs and docs/ pages name epoch
checkpoints (``work_dirs/<run>/epoch_<N>.pth``) that the run they come from
keeps: the epochs its checkpoint hook saves, the last ``max_keep_ckpts`` of
them."""
import re
from pathlib import Path

import pytest

from smaug.config import load_config

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKPOINT = re.compile(r'work_dirs/(?:([\w.-]+)/)?epoch_(\d+)\.pth')
DOCUMENTS = sorted(
    path.relative_to(REPO_ROOT).as_posix()
    for pattern in ('tools/**/*.py', 'configs/**/*.py', '*.md', 'data/*.md',
                    'docs/*.md')
    for path in REPO_ROOT.glob(pattern))
MENTIONS = [(document, match)
            for document in DOCUMENTS
            for match in CHECKPOINT.finditer(
                (REPO_ROOT / document).read_text(encoding='utf-8'))]
# Runs the documents start with --work-dir (tools/demo.py's default, the
# search page's 2-epoch model): their config and --cfg-options. Other runs
# are named after their config.
RUN_CONFIGS = {
    'demo': ('configs/demo/smaug_tiny_synthetic.py', {}),
    'search_demo': ('configs/demo/smaug_tiny_synthetic.py',
                    {'max_epochs': 2}),
}


def kept_epochs(config_path, options):
    """The epochs whose checkpoints a training run of a config keeps.

    Args:
        config_path (Path): The config.
        options (dict): The run's ``--cfg-options``.
    """
    cfg = load_config(config_path, options)
    last = cfg.train_cfg.max_epochs
    hook = cfg.default_hooks.checkpoint
    interval = hook.get('interval', 1)
    saved = sorted({*range(interval, last + 1, interval), last})
    keep = hook.get('max_keep_ckpts', -1)
    return saved[-keep:] if keep > 0 else saved


def run_config(run):
    """The config and ``--cfg-options`` of the run whose work dir is
    ``work_dirs/<run>``."""
    if run in RUN_CONFIGS:
        config, options = RUN_CONFIGS[run]
        return REPO_ROOT / config, options
    matches = list((REPO_ROOT / 'configs').rglob(f'{run}.py'))
    assert len(matches) == 1, f'no single config for work_dirs/{run}/'
    return matches[0], {}


@pytest.mark.parametrize(
    'document,match', MENTIONS,
    ids=[f'{document}:{match.group()}' for document, match in MENTIONS])
def test_named_checkpoint_is_kept(document, match):
    run, epoch = match.group(1), int(match.group(2))
    assert run, f'{document}: {match.group()} names no run folder'
    kept = kept_epochs(*run_config(run))
    assert epoch in kept, (
        f'{document}: {match.group()} is not kept by its run (it keeps '
        f'epochs {kept})')
