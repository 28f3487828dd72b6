"""Config checks before anything is built, naming the place in the config.

mmengine reports an unregistered type by its name only, an unknown
argument as ``class `X` in file.py: __init__() got an unexpected keyword
argument 'y'`` (without saying where in the config it is), and silently
ignores a misspelt top-level key such as ``train_dataloder``. These checks
name the config file, the path of the entry (``model.backbone``) and the
closest valid names, before the Runner spends minutes building datasets.

A ``type`` is looked up in the registry its place implies (``model`` ->
MODELS, ``pipeline`` -> TRANSFORMS, ...), then in any smaug registry. The
arguments of a class are those of its ``__init__``; a class taking
``**kwargs`` also accepts those of its base classes up to one without
``**kwargs`` (OpenMMLab classes pass ``**kwargs`` on to ``super``). A
builder function taking ``**kwargs`` is not checked. Loops given without a
``type`` (``train_cfg=dict(by_epoch=True, max_epochs=10)``) are checked
against the loop the Runner builds from them, and dataloaders against
torch's ``DataLoader``. Lengths, intervals, batch sizes and frame counts
must be positive integers (``max_epochs=0`` would train nothing and exit
0).
"""
import difflib
import inspect

from mmengine.runner import (EpochBasedTrainLoop, IterBasedTrainLoop, Runner,
                             TestLoop, ValLoop)
from torch.utils.data import DataLoader

from smaug.registry import (DATA_SAMPLERS, DATASETS, EVALUATORS, HOOKS, LOOPS,
                            METRICS, MODEL_WRAPPERS, MODELS, OPTIM_WRAPPERS,
                            OPTIMIZERS, PARAM_SCHEDULERS, TRANSFORMS,
                            VISBACKENDS, VISUALIZERS)

# Top-level keys the Runner and the tools read, besides Runner arguments.
EXTRA_TOP_LEVEL_KEYS = {
    'runner_type', 'custom_imports', 'compile', 'strategy',
    'activation_checkpointing', 'efficient_conv_bn_eval',
    'find_unused_parameters', 'model_wrapper_cfg', 'require_all_weights',
    'trust_checkpoint', 'gpu_ids', 'paper_reference'
}
TOP_LEVEL_KEYS = (set(inspect.signature(Runner.__init__).parameters) -
                  {'self'}) | EXTRA_TOP_LEVEL_KEYS

# The registry of a ``type`` under these keys (None: not checked).
REGISTRY_OF_KEY = dict(
    model=MODELS, data_preprocessor=MODELS, init_cfg=None,
    dataset=DATASETS, datasets=DATASETS, pipeline=TRANSFORMS,
    sampler=DATA_SAMPLERS, batch_sampler=DATA_SAMPLERS, collate_fn=None,
    optim_wrapper=OPTIM_WRAPPERS, optimizer=OPTIMIZERS,
    param_scheduler=PARAM_SCHEDULERS, default_hooks=HOOKS,
    custom_hooks=HOOKS, train_cfg=LOOPS, val_cfg=LOOPS, test_cfg=LOOPS,
    val_evaluator=METRICS, test_evaluator=METRICS, visualizer=VISUALIZERS,
    vis_backends=VISBACKENDS, model_wrapper_cfg=MODEL_WRAPPERS)
# Top-level sections checked, with the registry of their own ``type``.
SECTIONS = {
    key: REGISTRY_OF_KEY[key]
    for key in ('model', 'optim_wrapper', 'param_scheduler', 'default_hooks',
                'custom_hooks', 'train_cfg', 'val_cfg', 'test_cfg',
                'val_evaluator', 'test_evaluator', 'visualizer',
                'model_wrapper_cfg')
}
SECTIONS.update(train_dataloader=None, val_dataloader=None,
                test_dataloader=None)
ALL_REGISTRIES = (MODELS, DATASETS, TRANSFORMS, DATA_SAMPLERS, OPTIMIZERS,
                  OPTIM_WRAPPERS, PARAM_SCHEDULERS, HOOKS, LOOPS, METRICS,
                  EVALUATORS, VISUALIZERS, VISBACKENDS, MODEL_WRAPPERS)
# Keys mmengine's builders consume before calling the class.
CONSUMED_KEYS = {'type', '_scope_', 'convert_to_iter_based', 'constructor',
                 'paramwise_cfg'}
DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
# Dataloader keys the Runners (mmengine's, SMAUGRunner) consume.
DATALOADER_KEYS = {'total_batch_size', 'num_batch_per_epoch',
                   'disable_subprocess_warning'}
# Arguments that must be positive integers wherever they are given.
POSITIVE_INTEGER_KEYS = {'max_epochs', 'max_iters', 'val_interval',
                         'batch_size', 'total_batch_size', 'num_frames'}


class ConfigError(ValueError):
    """A config names an unknown type, argument or top-level key."""


def registered_names(registry):
    """Every name ``registry`` or its ancestors resolve."""
    names = set()
    while registry is not None:
        names |= set(registry.module_dict)
        registry = registry.parent
    return names


def accepted_arguments(obj):
    """The keyword arguments ``obj`` accepts, or None when it takes any.

    Args:
        obj (type | callable): A registered class or builder function.
    """
    classes = obj.__mro__ if inspect.isclass(obj) else [obj]
    names = set()
    for owner in classes:
        if inspect.isclass(obj):
            if '__init__' not in vars(owner):
                continue
            target = vars(owner)['__init__']
        else:
            target = owner
        try:
            params = inspect.signature(target).parameters.values()
        except (TypeError, ValueError):  # builtins without a signature
            return None
        names |= {p.name for p in params if p.kind not in (
            p.VAR_POSITIONAL, p.VAR_KEYWORD)}
        if not any(p.kind == p.VAR_KEYWORD for p in params):
            return names - {'self'}
    return None


def _suggest(word, candidates):
    """' (did you mean ...?)' for the closest candidates, or ''."""
    close = difflib.get_close_matches(word, sorted(candidates), n=3)
    return f' (did you mean {" or ".join(map(repr, close))}?)' if close else ''


def _check_typed(node, path, registry, problems):
    """Check the ``type`` and the arguments of one config dict."""
    name = node['type']
    if not isinstance(name, str):
        obj = name  # a class or function given directly
    else:
        obj = registry.get(name) if registry is not None else None
        if obj is None:
            if any(other.get(name) is not None for other in ALL_REGISTRIES):
                return  # registered elsewhere: built by custom code
            known = registered_names(registry) if registry else set()
            problems.append(
                f'{path}.type: {name!r} is not a registered '
                f'{registry.name if registry else "type"}'
                f'{_suggest(name, known)}')
            return
    _check_arguments(node, path, obj, CONSUMED_KEYS, problems)


def _check_arguments(node, path, obj, consumed, problems):
    """Check that ``obj`` accepts every key of ``node`` but ``consumed``."""
    accepted = accepted_arguments(obj)
    if accepted is None:
        return
    for key in sorted(set(node) - accepted - consumed):
        problems.append(
            f'{path}.{key}: {getattr(obj, "__name__", obj)} has no argument '
            f'{key!r}{_suggest(key, accepted)}')


def _check_untyped_loop(key, node, problems):
    """Check a loop given without ``type`` against the loop the Runner
    builds from it (``train_cfg``: by ``by_epoch``)."""
    consumed = CONSUMED_KEYS
    if key == 'val_cfg':
        loop = ValLoop
    elif key == 'test_cfg':
        loop = TestLoop
    elif 'by_epoch' not in node:
        problems.append('train_cfg: give a type, or by_epoch=True (with '
                        'max_epochs) or by_epoch=False (with max_iters)')
        return
    else:
        loop = EpochBasedTrainLoop if node['by_epoch'] else \
            IterBasedTrainLoop
        consumed = CONSUMED_KEYS | {'by_epoch'}
    _check_arguments(node, key, loop, consumed, problems)


def _check_positive_integers(node, path, problems):
    """Check the entries of ``POSITIVE_INTEGER_KEYS`` in one dict."""
    for key in sorted(POSITIVE_INTEGER_KEYS & set(node)):
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(
                f'{path}.{key}: must be a positive integer, got {value!r}')


def _walk(node, path, registry, problems):
    """Check every typed dict under ``node`` (``registry``: that of a
    ``type`` found here; None: only keys of ``REGISTRY_OF_KEY`` below)."""
    if isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            _walk(item, f'{path}[{index}]', registry, problems)
        return
    if not isinstance(node, dict):
        return
    _check_positive_integers(node, path, problems)
    if 'type' in node and registry is not None:
        _check_typed(node, path, registry, problems)
    for key, value in node.items():
        child = REGISTRY_OF_KEY.get(key, registry)
        if child is not None and key not in CONSUMED_KEYS:
            _walk(value, f'{path}.{key}', child, problems)


def check_config(cfg):
    """Raise a :class:`ConfigError` listing every problem of ``cfg``.

    Args:
        cfg (mmengine.Config | dict): The full config.
    """
    problems = []
    for key in cfg:
        if key not in TOP_LEVEL_KEYS:
            close = difflib.get_close_matches(key, TOP_LEVEL_KEYS, n=1,
                                              cutoff=0.85)
            if close:
                problems.append(
                    f'{key}: not a config key the Runner reads (did you mean '
                    f'{close[0]!r}?); rename it or it is silently ignored')
    for key, registry in SECTIONS.items():
        if key in cfg:
            _walk(cfg[key], key, registry, problems)
    for key in ('train_cfg', 'val_cfg', 'test_cfg'):
        if isinstance(cfg.get(key), dict) and 'type' not in cfg[key]:
            _check_untyped_loop(key, cfg[key], problems)
    for key in DATALOADERS:
        if isinstance(cfg.get(key), dict):
            _check_arguments(cfg[key], key, DataLoader, DATALOADER_KEYS,
                             problems)
    if problems:
        source = getattr(cfg, 'filename', None) or 'the config'
        raise ConfigError(f'{source}:\n  ' + '\n  '.join(problems))
