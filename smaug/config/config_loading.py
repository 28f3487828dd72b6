"""The one config loader of smaug's tools and APIs: mmengine's
``Config.fromfile``, ``--cfg-options`` merged as mmengine merges them, then
the config variables written into the entries that take them
(:mod:`smaug.config.config_variables`).

An override that would be ignored is refused, with the closest names: a
key that is neither read by the Runner nor a config variable, a name that
a config file only uses while it is read (``vocab_file``: its value is
already copied into the entries below it), and a config variable that no
entry takes. The config and its ``_base_`` files are parsed first, so that
a syntax error names the file and the line (mmengine says
``<unknown>``).
"""
import ast
import copy
import difflib
import os
import os.path as osp

from mmengine.config import Config

from .config_validation import TOP_LEVEL_KEYS, ConfigError
from .config_variables import (CONFIG_VARIABLES, fill_config_variables,
                               variable_targets)


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


def _paths_where(node, matches, path=''):
    """The dotted paths of the entries under ``node`` for which
    ``matches(key, value)`` holds."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, (list, tuple)):
        items = enumerate(node)
    else:
        return []
    found = []
    for key, value in items:
        child = f'{path}.{key}' if path else str(key)
        if matches(key, value):
            found.append(child)
        found += _paths_where(value, matches, child)
    return found


def _hint(places):
    """' (did you mean a or b?)' for up to three places, or ''."""
    return f' (did you mean {" or ".join(places[:3])}?)' if places else ''


def _option_problem(cfg, key):
    """Why the override of ``key`` would be ignored, or None."""
    root = key.split('.')[0]
    if root in TOP_LEVEL_KEYS:
        return None
    if root in CONFIG_VARIABLES:
        if key == root:
            return None
        return f'{key}: {root} is a config variable, a single value'
    entries = cfg.to_dict()
    if root in cfg:
        # entries of that name or of that (non-numeric) value
        users = _paths_where(
            {name: value for name, value in entries.items() if name != root},
            lambda name, value: value == cfg[root] and (
                name == root or isinstance(value, (str, dict, list))))
        return (f'{key}: {root} is a name the config files use while they '
                'are read; its value is already copied into the entries '
                f'below it, override those{_hint(users)}')
    places = _paths_where(entries, lambda name, _: name == key) or \
        difflib.get_close_matches(root, sorted(
            TOP_LEVEL_KEYS | set(CONFIG_VARIABLES) | set(cfg)), n=3)
    return (f'{key}: {root!r} is neither a key the Runner reads nor a '
            f'config variable{_hint(places)}')


def _unfollowed_variables(cfg, options, followers):
    """The overridden config variables that no entry follows."""
    problems = []
    for name in sorted(set(options) & set(CONFIG_VARIABLES)):
        if followers.get(name):
            continue
        variable = CONFIG_VARIABLES[name]
        owners = [path for path, _ in variable_targets(cfg, variable)]
        hint = (f' (these set their own {variable.argument}: '
                f'{", ".join(owners[:3])})' if owners else '')
        problems.append(f'{name}: no entry of the config takes it{hint}')
    return problems


def _refuse(cfg, problems):
    """Raise a ConfigError listing ``problems`` of overrides, if any."""
    if problems:
        raise ConfigError(f'{cfg.filename}: --cfg-options that would be '
                          'ignored:\n  ' + '\n  '.join(problems))


def load_config(config, options=None):
    """Load a config with ``--cfg-options`` overrides and fill in its
    config variables.

    Args:
        config (str | os.PathLike | mmengine.Config): The config file, or a
            config (copied, not changed).
        options (dict, optional): Overrides by dotted key, as parsed by
            mmengine's ``DictAction``.

    Returns:
        mmengine.Config: The config, overrides applied, variables filled.

    Raises:
        ConfigError: A syntax error, an override that would be ignored, or
            an entry that disagrees with its frame variable.
    """
    if isinstance(config, Config):
        cfg = copy.deepcopy(config)
    elif isinstance(config, (str, os.PathLike)):
        check_syntax(str(config))
        cfg = Config.fromfile(str(config))
    else:
        raise TypeError(f'config must be a file path or an mmengine Config, '
                        f'got {type(config).__name__}')
    options = options or {}
    problems = [_option_problem(cfg, key) for key in options]
    _refuse(cfg, [problem for problem in problems if problem])
    cfg.merge_from_dict(options)
    followers = fill_config_variables(cfg)
    _refuse(cfg, _unfollowed_variables(cfg, options, followers))
    return cfg
