"""Registries of smaug.

Each registry is a child of mmpretrain's registry of the same kind (itself a
child of mmengine's root), so a config can name smaug modules directly and any
mmpretrain or mmengine module with a scope prefix, e.g.
``type='mmpretrain.VisionTransformer'``. ``locations`` tell mmengine which
package to import so that the modules register themselves before building.
"""
from mmpretrain.registry import DATA_SAMPLERS as MMPRETRAIN_DATA_SAMPLERS
from mmpretrain.registry import DATASETS as MMPRETRAIN_DATASETS
from mmpretrain.registry import EVALUATORS as MMPRETRAIN_EVALUATORS
from mmpretrain.registry import HOOKS as MMPRETRAIN_HOOKS
from mmpretrain.registry import LOG_PROCESSORS as MMPRETRAIN_LOG_PROCESSORS
from mmpretrain.registry import LOOPS as MMPRETRAIN_LOOPS
from mmpretrain.registry import METRICS as MMPRETRAIN_METRICS
from mmpretrain.registry import MODEL_WRAPPERS as MMPRETRAIN_MODEL_WRAPPERS
from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS
from mmpretrain.registry import OPTIM_WRAPPER_CONSTRUCTORS as \
    MMPRETRAIN_OPTIM_WRAPPER_CONSTRUCTORS
from mmpretrain.registry import OPTIM_WRAPPERS as MMPRETRAIN_OPTIM_WRAPPERS
from mmpretrain.registry import OPTIMIZERS as MMPRETRAIN_OPTIMIZERS
from mmpretrain.registry import PARAM_SCHEDULERS as \
    MMPRETRAIN_PARAM_SCHEDULERS
from mmpretrain.registry import RUNNERS as MMPRETRAIN_RUNNERS
from mmpretrain.registry import TRANSFORMS as MMPRETRAIN_TRANSFORMS
from mmpretrain.registry import VISBACKENDS as MMPRETRAIN_VISBACKENDS
from mmpretrain.registry import VISUALIZERS as MMPRETRAIN_VISUALIZERS
from mmpretrain.registry import \
    WEIGHT_INITIALIZERS as MMPRETRAIN_WEIGHT_INITIALIZERS
from mmengine.registry import Registry


def _child(name, parent, location):
    """Make a registry in the ``smaug`` scope under an mmpretrain registry.

    Args:
        name (str): Registry name (mmengine's naming, e.g. ``'model'``).
        parent (Registry): The mmpretrain registry to inherit from.
        location (str): Package imported to populate the registry.
    """
    return Registry(name, parent=parent, scope='smaug', locations=[location])


RUNNERS = _child('runner', MMPRETRAIN_RUNNERS, 'smaug.engine')
LOOPS = _child('loop', MMPRETRAIN_LOOPS, 'smaug.engine')
HOOKS = _child('hook', MMPRETRAIN_HOOKS, 'smaug.engine')
LOG_PROCESSORS = _child('log_processor', MMPRETRAIN_LOG_PROCESSORS,
                        'smaug.engine')
OPTIMIZERS = _child('optimizer', MMPRETRAIN_OPTIMIZERS, 'smaug.engine')
OPTIM_WRAPPERS = _child('optim_wrapper', MMPRETRAIN_OPTIM_WRAPPERS,
                        'smaug.engine')
OPTIM_WRAPPER_CONSTRUCTORS = _child('optimizer wrapper constructor',
                                    MMPRETRAIN_OPTIM_WRAPPER_CONSTRUCTORS,
                                    'smaug.engine')
PARAM_SCHEDULERS = _child('parameter scheduler', MMPRETRAIN_PARAM_SCHEDULERS,
                          'smaug.engine')
MODEL_WRAPPERS = _child('model_wrapper', MMPRETRAIN_MODEL_WRAPPERS,
                        'smaug.engine')
DATASETS = _child('dataset', MMPRETRAIN_DATASETS, 'smaug.datasets')
DATA_SAMPLERS = _child('data sampler', MMPRETRAIN_DATA_SAMPLERS,
                       'smaug.datasets')
TRANSFORMS = _child('transform', MMPRETRAIN_TRANSFORMS, 'smaug.datasets')
MODELS = _child('model', MMPRETRAIN_MODELS, 'smaug.models')
WEIGHT_INITIALIZERS = _child('weight initializer',
                             MMPRETRAIN_WEIGHT_INITIALIZERS, 'smaug.models')
METRICS = _child('metric', MMPRETRAIN_METRICS, 'smaug.evaluation')
EVALUATORS = _child('evaluator', MMPRETRAIN_EVALUATORS, 'smaug.evaluation')
VISUALIZERS = _child('visualizer', MMPRETRAIN_VISUALIZERS, 'smaug.engine')
VISBACKENDS = _child('vis_backend', MMPRETRAIN_VISBACKENDS, 'smaug.engine')
