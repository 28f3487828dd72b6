"""Build a model from a config and load its weights for inference.

Checkpoints are read weights-only, as training reads them
(:mod:`smaug.checkpoints`), unless ``trust_checkpoint=True``.
"""
from mmengine.registry import init_default_scope

from smaug.checkpoints import load_checkpoint_file, use_weights_only_loader
from smaug.config import load_config
from smaug.registry import MODELS


def _state_dict_of(checkpoint):
    """The weights of a loaded checkpoint, without DDP's ``module.``."""
    state_dict = checkpoint.get('state_dict', checkpoint)
    return {(key[len('module.'):] if key.startswith('module.') else key):
            value for key, value in state_dict.items()}


def load_weights(model, checkpoint, trust_checkpoint=False):
    """Load a checkpoint's weights into ``model``.

    Extra weights (e.g. a pre-training checkpoint's MLM head in a retrieval
    model) are ignored; a missing one is an error, since a randomly
    initialised part would give meaningless embeddings without a sign.

    Args:
        model (torch.nn.Module): The built model.
        checkpoint (str): Path (or any mmengine checkpoint URI).
        trust_checkpoint (bool): Allow pickled objects beyond tensors.

    Raises:
        KeyError: Naming the checkpoint and the first missing weights.
    """
    loaded = load_checkpoint_file(checkpoint, trust=trust_checkpoint)
    missing, _ = model.load_state_dict(_state_dict_of(loaded), strict=False)
    if missing:
        shown = ', '.join(missing[:5])
        more = f' and {len(missing) - 5} more' if len(missing) > 5 else ''
        raise KeyError(
            f'{checkpoint}: lacks {len(missing)} weights of the model '
            f'({shown}{more}); is it a checkpoint of this config\'s model?')


def init_model(config, checkpoint=None, device='cpu', cfg_options=None,
               trust_checkpoint=False):
    """Build a model for inference from a config and a checkpoint.

    Args:
        config (str | os.PathLike | mmengine.Config): Config file or object,
            read by :func:`smaug.config.load_config` as the tools read theirs.
        checkpoint (str, optional): Weights (see :func:`load_weights`); None
            keeps the initial weights (``init_cfg``, else random).
        device (str | torch.device): Defaults to 'cpu'.
        cfg_options (dict, optional): Overrides, as ``--cfg-options``: config
            entries or config variables (``{'img_size': 288}``).
        trust_checkpoint (bool): Allow checkpoints (``checkpoint`` and the
            parts' ``init_cfg`` weights) that need unrestricted unpickling.

    Returns:
        torch.nn.Module: The model in eval mode, its config as ``model.cfg``.
    """
    config = load_config(config, cfg_options)
    if 'model' not in config:
        raise KeyError(f'{config.filename}: the config has no "model" entry')
    init_default_scope(config.get('default_scope', 'smaug'))
    use_weights_only_loader(trust=trust_checkpoint)
    model = MODELS.build(config.model)
    if checkpoint is None:
        model.init_weights()
    else:
        load_weights(model, checkpoint, trust_checkpoint)
    model.cfg = config
    return model.to(device).eval()
