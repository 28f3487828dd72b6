"""Every config builds what it built before the config files were
restructured (tests/configs/merged_configs_before.json, written by
merged_configs.py at a2cb15b), but for the differences listed here with
their reasons. Both sides are compared in their built form
(:func:`built_form`): the entries the Runner and the tools read, each
pipeline preset expanded to the transforms it builds. A config that is gone
names the config that now runs it (whose built form must then equal the old
one's) or why it is gone. Configs added since (Table 10) are not in the
snapshot."""
import functools
import json
import sys
from pathlib import Path

import pytest

from smaug.config.config_validation import TOP_LEVEL_KEYS
from smaug.datasets.transforms.pipeline_presets import PipelinePreset
from smaug.registry import TRANSFORMS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from merged_configs import REPO_ROOT, canonical, merged_config  # noqa: E402

BEFORE = json.loads(
    (Path(__file__).resolve().parent / 'merged_configs_before.json'
     ).read_text())

_ROWS_MOVED = ('its paper row is now one of the paper_reference rows of '
               'the config that runs it')
_SAME_RUN = 'merged to the same content, an alias of the same run'

#: Merged entries that changed on purpose: config (its path before) ->
#: {dotted key: reason}. A key covers everything below it.
ALLOWED_DIFFERENCES = {
    'configs/smaug_pretrain_5m.py': {
        'paper_reference': 'names the ablation rows of the default '
        'single-frame setting, whose alias configs went (with the run\'s '
        'metrics)'},
    'configs/smaug_pretrain_5m_4frame.py': {
        'paper_reference': 'names the rows of the default 4->2 setting '
        '(Tables 6 and 7), whose alias configs went'},
    'configs/ablations/table6_frame_selection/smaug_5m_8to4.py': {
        'paper_reference': 'also names Table 9\'s 5M 4-frame row, the '
        'same run (the paper gives the same numbers, so the row takes the '
        'run\'s metrics)'},
    'configs/ablations/table6_frame_selection/smaug_5m_4frames.py': {
        'paper_reference': 'also names Table 7\'s MAE + VTS row, whose '
        'alias config went'},
    **{config: {'paper_reference': _ROWS_MOVED} for config in (
        'configs/ablations/table4_mask_ratio/smaug_5m_mask50.py',
        'configs/ablations/table5_keep_rate/smaug_5m_keep08.py',
        'configs/ablations/table6_frame_selection/smaug_5m_1frame.py',
        'configs/ablations/table11_decoder_depth/smaug_5m_decoder3.py',
        'configs/ablations/table6_frame_selection/smaug_5m_4to2.py',
        'configs/ablations/table7_components/smaug_5m_mae_vts_fs.py',
        'configs/ablations/table7_components/smaug_5m_mae_vts.py')},
    **{f'configs/smaug_ret_{name}_zeroshot.py': {
        'load_from': 'the zero-shot rows test the 5M pre-training '
        'checkpoint; the config now names it (it inherited the 17M '
        'fine-tuning start, which a test never used)'}
       for name in ('msrvtt', 'didemo', 'anet')},
}

#: Configs that are gone: old path -> (the config that runs the same,
#: why), or (None, why) where no config replaces it.
REMOVED = {
    'configs/ablations/table4_mask_ratio/smaug_5m_mask50.py': (
        'configs/smaug_pretrain_5m.py', _SAME_RUN),
    'configs/ablations/table5_keep_rate/smaug_5m_keep08.py': (
        'configs/smaug_pretrain_5m.py', _SAME_RUN),
    'configs/ablations/table6_frame_selection/smaug_5m_1frame.py': (
        'configs/smaug_pretrain_5m.py', _SAME_RUN),
    'configs/ablations/table11_decoder_depth/smaug_5m_decoder3.py': (
        'configs/smaug_pretrain_5m.py', _SAME_RUN),
    'configs/ablations/table6_frame_selection/smaug_5m_4to2.py': (
        'configs/smaug_pretrain_5m_4frame.py', _SAME_RUN),
    'configs/ablations/table7_components/smaug_5m_mae_vts_fs.py': (
        'configs/smaug_pretrain_5m_4frame.py', _SAME_RUN),
    'configs/ablations/table7_components/smaug_5m_mae_vts.py': (
        'configs/ablations/table6_frame_selection/smaug_5m_4frames.py',
        _SAME_RUN),
    **{f'configs/analysis/{arm}_mini_synthetic.py': (None, (
        'the mini Table 7 pair pre-trained from scratch and tested zero-shot '
        'gave way to the Table 7 study (configs/analysis/table7_mini/: the '
        'paper\'s protocol, from stage-0 weights, fine-tuned)'))
       for arm in ('smaug', 'dense')},
}


def _expanded(node):
    """``node`` with every pipeline preset replaced by its transforms."""
    if isinstance(node, dict):
        return {key: _expanded(value) for key, value in node.items()}
    if not isinstance(node, list):
        return node
    items = []
    for item in node:
        preset = (isinstance(item, dict) and isinstance(item.get('type'), str)
                  and TRANSFORMS.get(item['type']))
        if preset and issubclass(preset, PipelinePreset):
            items += canonical(TRANSFORMS.build(item).step_cfgs)
        else:
            items.append(_expanded(item))
    return items


def built_form(merged):
    """What is built from a merged config, as data: the entries the Runner
    and the tools read, with the pipeline presets expanded. The other
    top-level names (the config variables, whose values those entries
    hold, and names such as ``webvid_train`` that the config files use
    while they are read) are left out, and so are entries set to None,
    which the Runner reads as absent (a test-only config's
    ``train_dataloader``).

    Args:
        merged (dict): A merged config, as :func:`merged_config` gives it.
    """
    return {key: _expanded(value) for key, value in merged.items()
            if key in TOP_LEVEL_KEYS and value is not None}


@functools.lru_cache(maxsize=None)
def found_differences(config):
    """The dotted keys at which ``config`` (its path before) now differs
    from the snapshot, in built form."""
    current = REMOVED.get(config, (config, ''))[0]
    return differences(built_form(BEFORE[config]),
                       built_form(merged_config(current)))


def differences(before, after, path=''):
    """The dotted keys at which two merged configs differ.

    Args:
        before: A merged config (or an entry of one).
        after: The same after the change.
        path (str): The dotted key of ``before`` in its config.
    """
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after)):
            child = f'{path}.{key}' if path else key
            if key not in before or key not in after:
                found.append(child)
            else:
                found += differences(before[key], after[key], child)
        return found
    if (isinstance(before, list) and isinstance(after, list)
            and len(before) == len(after)):
        return [
            key for index, (old, new) in enumerate(zip(before, after))
            for key in differences(old, new, f'{path}.{index}')
        ]
    return [] if before == after else [path]


def unexplained(config, found):
    """The differences of ``config`` that no entry of
    ``ALLOWED_DIFFERENCES`` covers."""
    allowed = ALLOWED_DIFFERENCES.get(config, {})
    return [
        key for key in found
        if not any(key == entry or key.startswith(f'{entry}.')
                   for entry in allowed)
    ]


@pytest.mark.parametrize('config', sorted(BEFORE))
def test_merged_config_is_unchanged(config):
    if config in REMOVED:
        current, reason = REMOVED[config]
        assert not (REPO_ROOT / config).exists(), (config, reason)
        if current is None:
            return
    found = unexplained(config, found_differences(config))
    assert not found, f'{config} builds differently at {found}'


def test_every_listed_difference_exists():
    """An entry of the tables that no longer applies is stale."""
    for config, keys in ALLOWED_DIFFERENCES.items():
        assert config in BEFORE, config
        assert all(reason for reason in keys.values()), config
        found = found_differences(config)
        for key in keys:
            assert any(place == key or place.startswith(f'{key}.')
                       for place in found), (config, key)
    for config, (replacement, reason) in REMOVED.items():
        assert config in BEFORE and reason, config
        assert replacement is None or (REPO_ROOT / replacement).exists()
