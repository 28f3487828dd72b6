"""``python tools/<...>.py --help`` for every script in tools/, as a user runs
it: a command prints a whole description (not a first line cut mid-sentence)
and help for every option; a module of other commands says that it is not a
command and names the command to run, with a non-zero exit status.

The scripts run in this process (``runpy``, with the ``sys.argv``,
``sys.path[0]`` and working folder that ``python tools/x.py`` gives them), so
torch and smaug are imported once, not once per script.
"""
import argparse
import re
import runpy
import sys
from pathlib import Path

import pytest
from mmengine.registry import Registry

import smaug.registry

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(path.relative_to(REPO_ROOT).as_posix()
                 for path in (REPO_ROOT / 'tools').rglob('*.py'))


def run_help(script, monkeypatch, capsys):
    """Run ``python <script> --help`` in this process.

    Args:
        script (str): Path of the script from the repository root.

    Returns:
        tuple: the exit status (None if the script did not exit), the
        parsers that printed help and everything printed.
    """
    parsers = []
    print_help = argparse.ArgumentParser.print_help

    def record(parser, file=None):
        parsers.append(parser)
        print_help(parser, file)

    monkeypatch.setattr(argparse.ArgumentParser, 'print_help', record)
    # Each script registers its classes as a process of its own would: it
    # starts from smaug's own registrations only, and what it registers as
    # __main__ goes with the copy. smaug's modules register before the copy,
    # or those a script imported first would be lost with it (and never
    # register again: they stay imported); classes that other tests loaded
    # from tools/ (tools/analysis/compute_ledger.py's hook) are left out, as
    # a fresh process never saw them.
    for registry in vars(smaug.registry).values():
        if isinstance(registry, Registry):
            registry.import_from_location()
            monkeypatch.setattr(registry, '_module_dict', {
                name: module
                for name, module in registry._module_dict.items()
                if module.__module__.split('.')[0] == 'smaug'})
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setattr(sys, 'argv', [script, '--help'])
    monkeypatch.syspath_prepend(str((REPO_ROOT / script).parent))
    status = None
    try:
        runpy.run_path(script, run_name='__main__')
    except SystemExit as exit_:
        status = exit_.code
    printed = capsys.readouterr()
    printed = printed.out + printed.err
    if isinstance(status, str):  # sys.exit(message): printed, status 1
        printed, status = printed + status, 1
    return status, parsers, printed


def check_command(script, parser, status):
    """A command's help: a whole description, help for every option."""
    assert status == 0, f'{script} --help exited with {status!r}'
    description = ' '.join((parser.description or '').split())
    assert description.endswith(('.', '!', '?')), (
        f'{script} --help: the description is cut or lacks its full stop: '
        f'{description!r}')
    undocumented = [action.option_strings[0] if action.option_strings
                    else action.dest for action in parser._actions
                    if not action.help]
    assert not undocumented, f'{script} --help: no help for {undocumented}'


def check_module(script, status, printed):
    """A module run as a script: says so and names the command to run."""
    assert printed.strip(), f'{script} --help printed nothing'
    assert status not in (0, None), (
        f'{script} is not a command but exits with {status!r}')
    assert 'not a command' in printed, printed
    commands = re.findall(r'tools/\S+\.py', printed)
    assert commands and all((REPO_ROOT / c).is_file() for c in commands), (
        f'{script} names no existing command to run: {printed!r}')


@pytest.mark.parametrize('script', SCRIPTS)
def test_help(script, monkeypatch, capsys):
    status, parsers, printed = run_help(script, monkeypatch, capsys)
    if parsers:
        check_command(script, parsers[0], status)
    else:
        check_module(script, status, printed)
