"""smaug's folders import downward only, and only smaug/cli/ parses
command lines (docs/design.md, "Package structure").

Each sub-package may import the packages of the layers below its own and
none of its own layer or above, so no folder-level loop can form. Imports
inside functions count too."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / 'smaug'
LAYERS = (
    ('registry', 'version', 'checkpoints'),
    # config checks configs against the registries; evaluation, engine,
    # apis and cli read configs through it.
    ('config', 'datasets', 'models'),
    ('evaluation', 'visualization'),
    ('apis', 'engine'),
    ('cli', ),
)
LAYER_OF = {name: level for level, names in enumerate(LAYERS)
            for name in names}


def smaug_imports(path):
    """The smaug sub-packages (first name under ``smaug.``) that a file
    imports, absolute or relative."""
    package = path.relative_to(PACKAGE.parent).parent.parts
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            names = ['.'.join(base + ((node.module, ) if node.module
                                      else ()))]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split('.')
            if parts[0] == 'smaug' and len(parts) > 1:
                yield parts[1]


def test_every_sub_package_has_a_layer():
    found = {path.stem if path.parent == PACKAGE else path.parent.name
             for path in PACKAGE.glob('*/__init__.py')}
    found |= {path.stem for path in PACKAGE.glob('*.py')} - {'__init__'}
    assert found == set(LAYER_OF)


def test_imports_run_down_the_layers():
    upward = []
    for path in sorted(PACKAGE.rglob('*.py')):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) == 1:
            if relative.stem == '__init__':
                continue
            owner = relative.stem
        else:
            owner = relative.parts[0]
        for imported in set(smaug_imports(path)) - {owner}:
            if LAYER_OF[imported] >= LAYER_OF[owner]:
                upward.append(f'smaug/{relative} imports smaug.{imported}')
    assert not upward, '\n'.join(upward)


def test_only_cli_parses_command_lines():
    parsers = []
    for path in sorted(PACKAGE.rglob('*.py')):
        if path.relative_to(PACKAGE).parts[0] == 'cli':
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            imported = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import) else
                [f'{node.module}.{alias.name}' for alias in node.names]
                if isinstance(node, ast.ImportFrom) else [])
            called = (isinstance(node, ast.Call)
                      and isinstance(node.func, ast.Attribute)
                      and node.func.attr == 'add_argument')
            if called or any(name == 'argparse' or name.endswith('Action')
                             for name in imported):
                parsers.append(f'smaug/{path.relative_to(PACKAGE)}:'
                               f'{node.lineno}')
    assert not parsers, '\n'.join(parsers)
