"""Config variables: top-level keys of a config that the config loader
writes into every entry taking them, so that one value (and one
``--cfg-options`` override) reaches every pipeline, dataset and model part
that uses it. The configs leave those arguments unset.

The frame variables (``num_frames``, ``num_test_frames``, ``img_size``)
are the one value of their config: an entry set to another value is an
error (a temporal encoder built for 4 frames and fed 8-frame clips would
interpolate its embedding without a word). The others are defaults: an
entry's own value wins (each pre-training corpus has its own
``data_root``; ``train_cfg.max_epochs=2`` wins over ``max_epochs``).
"""
from collections import namedtuple
from dataclasses import dataclass

from .config_validation import ConfigError

_PRESETS = ('VideoTrainPipeline', 'ImageTrainPipeline', 'VideoTestPipeline')
_DATASETS = ('VideoTextPretrainDataset', 'VideoRetrievalDataset',
             'VideoQADataset', 'VideoMCDataset')


@dataclass(frozen=True)
class ConfigVariable:
    """Where a config variable goes.

    Args:
        argument (str): The argument it fills.
        types (tuple[str]): The ``type`` of the dicts it fills, wherever
            they are in the config.
        paths (tuple[str]): Dotted paths of more dicts it fills.
        single (bool): Every entry it fills must hold its value (the frame
            variables); else an entry's own value wins.
    """
    argument: str
    types: tuple = ()
    paths: tuple = ()
    single: bool = False


CONFIG_VARIABLES = dict(
    num_frames=ConfigVariable('num_frames',
                              ('VideoTrainPipeline', 'TemporalEncoder'),
                              single=True),
    num_test_frames=ConfigVariable('num_frames', ('VideoTestPipeline', ),
                                   single=True),
    img_size=ConfigVariable('img_size',
                            _PRESETS + ('SparseMAEViT', 'MAEPixelDecoder'),
                            single=True),
    max_epochs=ConfigVariable('max_epochs', paths=('train_cfg', )),
    data_root=ConfigVariable('data_root', _DATASETS),
    media_format=ConfigVariable('media_format',
                                ('VideoTextPretrainDataset', )),
)

#: A config's frame settings (:func:`frame_settings`).
FrameSettings = namedtuple('FrameSettings',
                           ['num_frames', 'num_test_frames', 'img_size'])


def _typed_dicts(node, types, path=''):
    """``(dotted path, dict)`` of every dict under ``node`` whose ``type``
    is one of ``types``."""
    if isinstance(node, dict):
        if node.get('type') in types:
            yield path, node
        items = node.items()
    elif isinstance(node, (list, tuple)):
        items = enumerate(node)
    else:
        return
    for key, value in items:
        yield from _typed_dicts(value, types, f'{path}.{key}' if path
                                else str(key))


def _dict_at(cfg, path):
    """The dict at the dotted ``path`` of ``cfg``, or None."""
    node = cfg
    for key in path.split('.'):
        if not hasattr(node, 'get'):
            return None
        node = node.get(key)
    return node if isinstance(node, dict) else None


def variable_targets(cfg, variable):
    """``(dotted path, dict)`` of every entry of ``cfg`` that ``variable``
    fills (the dicts themselves: writing to one writes to ``cfg``).

    Args:
        cfg (mmengine.Config): The config.
        variable (ConfigVariable): The variable.
    """
    targets = [target for key in cfg
               for target in _typed_dicts(cfg[key], variable.types, key)]
    found = {path for path, _ in targets}
    for path in variable.paths:
        entry = _dict_at(cfg, path)
        if entry is not None and path not in found:
            targets.append((path, entry))
    return targets


def fill_config_variables(cfg):
    """Write each config variable of ``cfg`` into the entries that leave it
    unset, in place.

    Args:
        cfg (mmengine.Config): The merged config (overrides applied).

    Returns:
        dict: Per variable of the config, the dotted paths of the entries
        that follow it (filled now, or already holding its value).

    Raises:
        ConfigError: An entry holds another value than its frame variable,
            or leaves it unset where the config defines none.
    """
    followers, problems = {}, []
    for name, variable in CONFIG_VARIABLES.items():
        key = variable.argument
        for path, entry in variable_targets(cfg, variable):
            if name not in cfg:
                if variable.single and key not in entry:
                    problems.append(f'{path}.{key}: not set, and the config '
                                    f'has no top-level {name} to fill it')
                continue
            if key not in entry:
                entry[key] = cfg[name]
            elif entry[key] != cfg[name]:
                if variable.single:
                    problems.append(
                        f'{path}.{key} is {entry[key]!r} but {name} is '
                        f'{cfg[name]!r}: leave it unset and set {name} (one '
                        'value for the data and the model)')
                continue
            followers.setdefault(name, []).append(f'{path}.{key}')
    if problems:
        raise ConfigError(f'{cfg.filename}:\n  ' + '\n  '.join(problems))
    return followers


def frame_settings(cfg):
    """The frames per training clip, frames per test clip and frame size
    of a config (its ``num_frames``, ``num_test_frames`` and ``img_size``;
    None where it has none), which the config loader made every pipeline
    preset and model part follow.

    Args:
        cfg (mmengine.Config): A config read by
            :func:`smaug.config.load_config`.

    Returns:
        FrameSettings: ``(num_frames, num_test_frames, img_size)``.
    """
    return FrameSettings(*(cfg.get(name) for name in FrameSettings._fields))
