"""Every shipped config merged as smaug's loader merges it (base files,
``{{_base_.x}}`` references, config variables), as canonical JSON data, so
that a change to the config files can be checked for what it changes.

Write the snapshot the tests compare against (run from the repository
root, before a change to the configs):
    PYTHONPATH=$PWD python tests/configs/merged_configs.py \
        tests/configs/merged_configs_before.json
"""
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def canonical(value):
    """``value`` as JSON data: tuples become lists, mappings plain dicts.

    Args:
        value: A config entry.
    """
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    return value


def shipped_config_paths():
    """The runnable configs (configs/**/*.py outside _base_), as paths
    relative to the repository root."""
    configs = REPO_ROOT / 'configs'
    return sorted(
        str(path.relative_to(REPO_ROOT)) for path in configs.rglob('*.py')
        if '_base_' not in path.relative_to(configs).parts)


def merged_config(path):
    """The config ``path`` (relative to the repository root) as
    ``tools/train.py`` loads it, as canonical JSON data.

    Args:
        path (str): The config file.
    """
    from smaug.config import load_config
    return canonical(load_config(str(REPO_ROOT / path)).to_dict())


def merged_configs():
    """Every shipped config's merged content, by path."""
    return {path: merged_config(path) for path in shipped_config_paths()}


if __name__ == '__main__':
    Path(sys.argv[1]).write_text(
        json.dumps(merged_configs(), indent=1, sort_keys=True) + '\n')
