"""Building a model from a config and loading its checkpoint for inference:
the one model loader of smaug's APIs and tools (``tools/search.py``, the
figure tools of ``tools/analysis``, ``benchmark_retrieval_test.py``).

Checkpoints are read weights-only, as training reads them
(:mod:`smaug.engine.checkpoints.checkpoint_loading`);
``trust_checkpoint=True`` lifts that for files from a source the caller
trusts.
"""
from mmengine.config import DictAction
from mmengine.registry import init_default_scope

from smaug.engine.checkpoints.checkpoint_loading import (
    load_checkpoint_file, use_weights_only_loader)
from smaug.cli.command_line import add_trust_argument
from smaug.config import load_config
from smaug.registry import MODELS


def _state_dict_of(checkpoint):
    """The weights of a loaded checkpoint, without DDP's ``module.``."""
    state_dict = checkpoint.get('state_dict', checkpoint)
    return {(key[len('module.'):] if key.startswith('module.') else key):
            value for key, value in state_dict.items()}


def load_weights(model, checkpoint, trust_checkpoint=False):
    """Load a checkpoint's weights into ``model``; every weight must be there.

    The file is read weights-only (:func:`load_checkpoint_file`). Weights
    of the checkpoint that the model has no place for (e.g. a pre-training
    checkpoint's MLM and MVM heads in a retrieval model) are ignored; a
    weight the model needs and the checkpoint lacks is an error, since
    inference with a randomly initialised part would give meaningless
    embeddings without any sign of it.

    Args:
        model (torch.nn.Module): The built model.
        checkpoint (str): Path (or any mmengine checkpoint URI).
        trust_checkpoint (bool): Allow pickled objects beyond tensors (only
            for files from a source you trust). Defaults to False.

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
        config (str | os.PathLike | mmengine.Config): Config file or object
            (read by :func:`smaug.config.load_config`, as the tools read
            theirs).
        checkpoint (str, optional): Weights to load (see
            :func:`load_weights`). None keeps the model's own initial weights
            (the components' ``init_cfg``, random where there is none).
        device (str | torch.device): Where the model goes. Defaults to 'cpu'.
        cfg_options (dict, optional): Overrides, as ``--cfg-options`` of
            tools/train.py gives them (``{'model.num_test_selected_frames':
            2}``, ``{'img_size': 288}``).
        trust_checkpoint (bool): Allow checkpoints (``checkpoint`` and the
            components' ``init_cfg`` weights) that need unrestricted
            unpickling. Defaults to False.

    Returns:
        torch.nn.Module: The model in eval mode, with the (overridden)
        config as ``model.cfg``.
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


def add_model_arguments(parser):
    """Add the options of :func:`init_model` to a tool's parser: the
    positional ``config`` and ``checkpoint``, ``--device``,
    ``--trust-checkpoint`` and ``--cfg-options``.

    Args:
        parser (argparse.ArgumentParser): The tool's parser, changed in place.
    """
    parser.add_argument('config', help='model config')
    parser.add_argument('checkpoint', help='checkpoint of that model')
    parser.add_argument('--device', default='cpu',
                        help='e.g. cuda:0 (default: %(default)s)')
    add_trust_argument(parser)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        metavar='KEY=VALUE',
                        help='override config entries (key=value)')


def init_model_from_args(args):
    """:func:`init_model` with the options of :func:`add_model_arguments`.

    Args:
        args (argparse.Namespace): The parsed command line.

    Returns:
        torch.nn.Module: The model in eval mode, its config as ``model.cfg``.
    """
    return init_model(args.config, args.checkpoint, args.device,
                      args.cfg_options, args.trust_checkpoint)
