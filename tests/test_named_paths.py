"""Every file of the repository that the README, the docs pages, a config,
a tool or a module of the package names exists: a reader who follows a path
finds the file.

A path is a name under one of the repository's top folders (``smaug/``,
``tools/``, ``configs/``, ``docs/``, ``tests/``, ``requirements/``,
``.ci/``) with a file extension, or a folder name ending in ``/``. Patterns
(``configs/smaug_ret_{anet,didemo}.py``, ``tools/<script>.py``,
``configs/**/*.py``) are not paths and are left out.
"""
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TOP_FOLDERS = ('smaug', 'tools', 'configs', 'docs', 'tests', 'requirements',
               '.ci')
CANDIDATE = re.compile(
    r'(?<![\w./~-])((?:%s)/[\w./{}<>*,-]*)' %
    '|'.join(re.escape(folder) for folder in TOP_FOLDERS))
PATTERN_SIGNS = ('{', '<', '*', ',')
FILE_NAME = re.compile(r'\.\w+$')


def named_paths(text):
    """The repository paths a text names (patterns left out).

    Args:
        text (str): A document or source file.

    Returns:
        set[str]: Paths relative to the repository root.
    """
    paths = set()
    for match in CANDIDATE.finditer(text):
        name = match.group(1)
        if any(sign in name for sign in PATTERN_SIGNS):
            continue
        name = name.rstrip('.')  # a sentence's full stop
        if FILE_NAME.search(name) or name.endswith('/'):
            paths.add(name)
    return paths


def documents():
    """The README, the docs pages and the sources of the package, the tools
    and the configs."""
    yield REPO_ROOT / 'README.md'
    yield from sorted((REPO_ROOT / 'docs').glob('*.md'))
    for folder in ('smaug', 'tools', 'configs'):
        yield from sorted((REPO_ROOT / folder).rglob('*.py'))
        yield from sorted((REPO_ROOT / folder).rglob('*.sh'))


DOCUMENTS = [path.relative_to(REPO_ROOT).as_posix() for path in documents()]


def test_named_paths_finds_paths_and_skips_patterns():
    text = ('See docs/design.md. Run `tools/dist_train.sh`; configs in '
            'configs/_base_/ and configs/smaug_ret_{anet,didemo}.py, '
            'tools/<script>.py, configs/**/*.py, a key smaug/progress, '
            '~/.cache/smaug/search/x.json.')
    assert named_paths(text) == {'docs/design.md', 'tools/dist_train.sh',
                                 'configs/_base_/'}


@pytest.mark.parametrize('document', DOCUMENTS)
def test_every_named_file_exists(document):
    text = (REPO_ROOT / document).read_text(encoding='utf-8')
    missing = sorted(path for path in named_paths(text)
                     if not (REPO_ROOT / path).exists())
    assert not missing, f'{document} names files the repository lacks: ' \
                        f'{missing}'
