"""Load a config with ``--cfg-options`` overrides, its variables included.

A config file's top-level variables (``max_epochs = 10``, ``num_frames =
4``) are read by the entries written below them while the file runs.
mmengine's ``merge_from_dict`` sets a variable after that, where nothing
reads it, so ``--cfg-options max_epochs=1`` used to be silently ignored.
Here an override of a variable runs the config again with the variable
set anew right after each statement that assigns it, in the config and in
every ``_base_`` file, so that every entry computed from it follows.
Overrides of the keys the Runner reads (``train_cfg.max_epochs=1``) are
merged as mmengine merges them. An override that would be ignored is
refused: a name that is neither, an entry inside a variable
(``webvid_train.data_root``: the variable is already copied where it is
used) and a variable that no entry uses.

The config and its ``_base_`` files are parsed with their names first, so
that a syntax error names the file and the line (mmengine says
``<unknown>``).
"""
import ast
import contextlib
import difflib
import os.path as osp

from mmengine.config import Config

from .config_validation import TOP_LEVEL_KEYS, ConfigError


def _parse(path):
    """The syntax tree of the Python file ``path``, or a ConfigError naming
    the file and the line of its syntax error."""
    with open(path, encoding='utf-8') as file:
        source = file.read()
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as error:
        line = f'\n    {error.text.strip()}' if error.text else ''
        raise ConfigError(f'{path}, line {error.lineno}: {error.msg}{line}'
                          ) from None


def _base_files(tree):
    """The ``_base_`` entries of a parsed config (those given literally)."""
    for statement in tree.body:
        if (isinstance(statement, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == '_base_'
                for target in statement.targets)):
            try:
                bases = ast.literal_eval(statement.value)
            except ValueError:
                return []
            return [bases] if isinstance(bases, str) else list(bases)
    return []


def check_syntax(path):
    """Parse the config ``path`` and its ``_base_`` files.

    Args:
        path (str): The config file.

    Raises:
        ConfigError: A file has a syntax error (naming file and line), or a
            ``_base_`` file is missing (naming the config that lists it).
    """
    if not path.endswith('.py'):
        return
    for base in _base_files(_parse(path)):
        if '::' in base:  # a config of another package
            continue
        base_path = osp.normpath(osp.join(osp.dirname(path), base))
        if not osp.isfile(base_path):
            raise ConfigError(f'{path}: _base_ file {base!r} not found '
                              f'(looked for {base_path})')
        check_syntax(base_path)


def _names_bound(statement):
    """The names a top-level statement assigns (not those of a function or
    class body it defines)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef,
                              ast.ClassDef)):
        return set()
    return {
        node.id for node in ast.walk(statement)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def assign_after_each_binding(source, variables):
    """Python source ``source`` with ``name = value`` inserted after each
    top-level statement that assigns a name of ``variables``.

    Args:
        source (str): A config file's text.
        variables (dict): New values by variable name (Python literals).
    """
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith('\n'):
        lines[-1] += '\n'
    for statement in reversed(ast.parse(source).body):
        bound = _names_bound(statement)
        lines[statement.end_lineno:statement.end_lineno] = [
            f'{name} = {value!r}\n' for name, value in variables.items()
            if name in bound
        ]
    return ''.join(lines)


@contextlib.contextmanager
def _variables_replaced(variables):
    """While open, mmengine reads each config file with ``variables`` set
    anew after their assignments. mmengine first copies a file to a
    temporary one in ``_substitute_predefined_vars`` and parses the copy;
    the copy is rewritten there."""
    copy_file = Config._substitute_predefined_vars

    def copy_and_rewrite(filename, temp_config_name):
        copy_file(filename, temp_config_name)
        if filename.endswith('.py'):
            with open(temp_config_name, encoding='utf-8') as file:
                source = file.read()
            with open(temp_config_name, 'w', encoding='utf-8') as file:
                file.write(assign_after_each_binding(source, variables))

    Config._substitute_predefined_vars = staticmethod(copy_and_rewrite)
    try:
        yield
    finally:
        Config._substitute_predefined_vars = staticmethod(copy_file)


def _paths_ending_in(node, name, path=''):
    """The dotted paths of the entries named ``name`` under ``node``."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            child = f'{path}.{key}' if path else key
            if key == name:
                found.append(child)
            found += _paths_ending_in(value, name, child)
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            found += _paths_ending_in(item, name, f'{path}.{index}')
    return found


def _split_options(cfg, options):
    """Split overrides into Runner entries and variables, and list those
    that would be ignored.

    Args:
        cfg (mmengine.Config): The config as its files give it.
        options (dict): Overrides by dotted key.

    Returns:
        tuple[dict, dict, list[str]]: The entries, the variables, the
        problems.
    """
    entries, variables, problems = {}, {}, []
    for key, value in options.items():
        root = key.split('.')[0]
        if root in TOP_LEVEL_KEYS:
            entries[key] = value
        elif root not in cfg:
            places = _paths_ending_in(cfg.to_dict(), key) or \
                difflib.get_close_matches(root, sorted(TOP_LEVEL_KEYS | set(
                    cfg)), n=3)
            hint = (f' (did you mean {" or ".join(places[:3])}?)'
                    if places else '')
            problems.append(f'{key}: {root!r} is neither a key the Runner '
                            f'reads nor a variable of the config{hint}')
        elif key != root:
            problems.append(
                f'{key}: {root} is a variable of the config, already copied '
                'into the entries that use it; override those entries, or '
                f'the whole variable ({root}=...)')
        else:
            variables[key] = value
    return entries, variables, problems


def _without(cfg, names):
    """The entries of ``cfg`` but ``names``, as plain dicts."""
    return {key: value for key, value in cfg.to_dict().items()
            if key not in names}


def load_config(path, options=None):
    """Load the config ``path`` with ``--cfg-options`` overrides.

    Args:
        path (str): The config file.
        options (dict, optional): Overrides by dotted key, as parsed by
            mmengine's ``DictAction``.

    Returns:
        mmengine.Config: The config, overrides applied.

    Raises:
        ConfigError: A syntax error, or an override that would be ignored.
    """
    check_syntax(path)
    cfg = Config.fromfile(path)
    entries, variables, problems = _split_options(cfg, options or {})
    if variables:
        with _variables_replaced(variables):
            rerun = Config.fromfile(path)
        changed = [name for name, value in variables.items()
                   if value != cfg[name]]
        if changed and _without(rerun, variables) == _without(
                cfg, variables):
            problems += [f'{name}: no entry of the config uses this variable'
                         for name in changed]
        cfg = rerun
    if problems:
        raise ConfigError(f'{path}: --cfg-options that would be ignored:\n  '
                          + '\n  '.join(problems))
    cfg.merge_from_dict(entries)
    return cfg
