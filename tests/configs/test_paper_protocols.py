"""Every shipped paper config is evaluated as the paper evaluates: its test
split, training split, frames per test clip, paragraph flag, score mode and
k equal the paper's protocol of the benchmark its ``paper_reference``
names, and its paper row is its own (not one inherited by mistake)."""
import functools
import shutil

import pytest

from smaug.config import load_config
from smaug.evaluation.paper_protocols import protocol_differences
from smaug.evaluation.protocol_record import config_protocol

from small_configs import REPO_ROOT, shipped_configs

# The paper's configs: configs/smaug_*.py and configs/ablations/ (demo and
# analysis configs run on the synthetic corpus).
PAPER_CONFIGS = [
    config for config in shipped_configs()
    if config.startswith(('configs/smaug_', 'configs/ablations/'))
]
#: The metric names a paper row of each task may give.
METRIC_PREFIX = dict(retrieval='retrieval/t2v/', qa='qa/', mc='mc/')


@functools.lru_cache(maxsize=None)
def load(config_file):
    """The config of a file (read once per test session)."""
    return load_config(config_file)


def check_paper_protocol(config_file):
    """Fail unless a config declares a paper benchmark and follows its
    protocol.

    Args:
        config_file (str | Path): The config.
    """
    cfg = load(config_file)
    reference = cfg.get('paper_reference')
    assert reference, f'{config_file}: no paper_reference'
    differences = protocol_differences(config_protocol(cfg),
                                       reference['benchmark'])
    assert not differences, (f'{config_file} differs from the paper\'s '
                             f'protocol: {differences}')


@pytest.mark.parametrize('config', PAPER_CONFIGS)
def test_config_follows_the_papers_protocol(config):
    check_paper_protocol(REPO_ROOT / config)


def paper_rows(reference):
    """The paper rows a ``paper_reference`` names: its own and those of
    ``same_run_rows`` (rows of other tables that are the same run, with its
    metrics unless they give their own)."""
    if reference.table is None:
        assert reference.row is None and not reference.metrics
        assert not reference.get('same_run_rows')
        return []
    return [reference, *(dict(dict(metrics=reference.metrics), **row)
                         for row in reference.get('same_run_rows', []))]


def test_each_paper_row_belongs_to_one_config():
    rows = {}
    for config in PAPER_CONFIGS:
        cfg = load(REPO_ROOT / config)
        prefix = METRIC_PREFIX[config_protocol(cfg)['task']]
        for row in paper_rows(cfg.paper_reference):
            assert row['table'] and row['row'] and row['metrics'], config
            assert all(name.startswith(prefix) for name in row['metrics']), (
                config, list(row['metrics']))
            key = (row['table'], row['row'], cfg.paper_reference.benchmark)
            assert key not in rows, f'{config} repeats the row of {rows[key]}'
            rows[key] = config
    assert {table for table, _, _ in rows} == {
        'Table 1', 'Table 2', 'Table 3', 'Table 4', 'Table 5', 'Table 6',
        'Table 7', 'Table 9', 'Table 10', 'Table 11'}


@pytest.mark.parametrize('config, changed_file, old, new, key', [
    ('smaug_ret_msrvtt.py', 'datasets/msrvtt_ret.py',
     'num_test_frames = 12', 'num_test_frames = 4', 'frames'),
    ('smaug_ret_msrvtt.py', 'datasets/msrvtt_ret.py', 'ret_train_7k',
     'ret_train_9k', 'train_split'),
    ('smaug_ret_didemo.py', 'datasets/didemo_ret.py',
     "'annotations/ret_test.json'", "'annotations/ret_val.json'",
     'test_split'),
    ('smaug_ret_didemo_zeroshot.py', 'datasets/didemo_ret.py',
     'paragraph=True', 'paragraph=False', 'paragraph'),
    ('smaug_ret_anet.py', 'datasets/anet_ret.py', 'num_test_frames = 32',
     'num_test_frames = 12', 'frames'),
    ('ablations/table7_components/smaug_5m_mae.py', 'retrieval_runtime.py',
     "test_cfg = dict(type='RetrievalTestLoop', k=128)",
     "test_cfg = dict(type='RetrievalTestLoop', k=0)", 'score_mode'),
    ('smaug_qa_msrvtt.py', 'datasets/msrvtt_ret.py', 'num_test_frames = 12',
     'num_test_frames = 4', 'frames'),
])
def test_a_changed_copy_fails(tmp_path, config, changed_file, old, new, key):
    configs = tmp_path / 'configs'
    shutil.copytree(REPO_ROOT / 'configs', configs)
    changed = configs / '_base_' / changed_file
    text = changed.read_text()
    assert old in text
    changed.write_text(text.replace(old, new))
    with pytest.raises(AssertionError, match=f'[\'"]{key}: '):
        check_paper_protocol(configs / config)
