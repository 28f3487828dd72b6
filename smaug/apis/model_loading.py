"""Building a model from a config and loading its checkpoint for inference."""
import os

from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import CheckpointLoader

from smaug.registry import MODELS


def _state_dict_of(checkpoint):
    """The weights of a loaded checkpoint, without DDP's ``module.``."""
    state_dict = checkpoint.get('state_dict', checkpoint)
    return {(key[len('module.'):] if key.startswith('module.') else key):
            value for key, value in state_dict.items()}


def load_weights(model, checkpoint):
    """Load a checkpoint's weights into ``model``; every weight must be there.

    The file goes through mmengine's checkpoint loader, which smaug makes
    weights-only (:mod:`smaug.engine.checkpoint_loading`). Weights of the
    checkpoint that the model has no place for (e.g. a pre-training
    checkpoint's MLM and MVM heads in a retrieval model) are ignored; a
    weight the model needs and the checkpoint lacks is an error, since
    inference with a randomly initialised part would give meaningless
    embeddings without any sign of it.

    Args:
        model (torch.nn.Module): The built model.
        checkpoint (str): Path (or any mmengine checkpoint URI).

    Raises:
        KeyError: Naming the checkpoint and the first missing weights.
    """
    loaded = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    missing, _ = model.load_state_dict(_state_dict_of(loaded), strict=False)
    if missing:
        shown = ', '.join(missing[:5])
        more = f' and {len(missing) - 5} more' if len(missing) > 5 else ''
        raise KeyError(
            f'{checkpoint}: lacks {len(missing)} weights of the model '
            f'({shown}{more}); is it a checkpoint of this config\'s model?')


def init_model(config, checkpoint=None, device='cpu', cfg_options=None):
    """Build a model for inference from a config and a checkpoint.

    Args:
        config (str | os.PathLike | mmengine.Config): Config file or object.
        checkpoint (str, optional): Weights to load (see
            :func:`load_weights`). None keeps the model's own initial weights
            (the components' ``init_cfg``, random where there is none).
        device (str | torch.device): Where the model goes. Defaults to 'cpu'.
        cfg_options (dict, optional): Config entries to override, as
            ``--cfg-options`` does (``{'model.num_test_selected_frames': 2}``).

    Returns:
        torch.nn.Module: The model in eval mode, with the (overridden)
        config as ``model.cfg``.
    """
    if isinstance(config, (str, os.PathLike)):
        config = Config.fromfile(str(config))
    elif isinstance(config, Config):
        config = config.copy()
    else:
        raise TypeError(f'config must be a file path or an mmengine Config, '
                        f'got {type(config).__name__}')
    if cfg_options:
        config.merge_from_dict(cfg_options)
    if 'model' not in config:
        raise KeyError(f'{config.filename}: the config has no "model" entry')
    init_default_scope(config.get('default_scope', 'smaug'))
    model = MODELS.build(config.model)
    if checkpoint is None:
        model.init_weights()
    else:
        load_weights(model, checkpoint)
    model.cfg = config
    return model.to(device).eval()
