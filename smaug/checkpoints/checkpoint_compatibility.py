"""How well a checkpoint's weights fit a model: missing, unexpected and
mismatched keys, reported in one readable message."""
import re
from collections import OrderedDict

# Keys listed per kind in a report; the rest are counted.
SHOWN_KEYS = 8


def revise_state_dict(checkpoint, revise_keys):
    """The checkpoint's state dict with its keys rewritten.

    Args:
        checkpoint (dict): A loaded checkpoint (with or without a
            ``state_dict`` entry).
        revise_keys (list[tuple[str, str]]): ``(pattern, replacement)``
            regular expressions applied to every key, as mmengine does (by
            default the ``module.`` prefix of wrapped models is removed).

    Returns:
        OrderedDict: The state dict, keeping torch's ``_metadata``.
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    metadata = getattr(state_dict, '_metadata', OrderedDict())
    for pattern, replacement in revise_keys:
        state_dict = OrderedDict((re.sub(pattern, replacement, key), value)
                                 for key, value in state_dict.items())
    state_dict._metadata = metadata
    return state_dict


def compare_state_dicts(model_state, checkpoint_state):
    """Compare a model's state dict with a checkpoint's.

    Args:
        model_state (dict): ``model.state_dict()``.
        checkpoint_state (dict): The checkpoint's (revised) state dict.

    Returns:
        dict: ``missing`` (model keys absent from the checkpoint),
        ``unexpected`` (checkpoint keys the model does not have) and
        ``mismatched`` (``(key, checkpoint shape, model shape)`` for keys
        whose shapes differ), each sorted.
    """
    missing = sorted(set(model_state) - set(checkpoint_state))
    unexpected = sorted(set(checkpoint_state) - set(model_state))
    mismatched = sorted(
        (key, tuple(checkpoint_state[key].shape), tuple(value.shape))
        for key, value in model_state.items()
        if key in checkpoint_state and hasattr(checkpoint_state[key], 'shape')
        and tuple(checkpoint_state[key].shape) != tuple(value.shape))
    return dict(missing=missing, unexpected=unexpected, mismatched=mismatched)


def _listing(items):
    """The first ``SHOWN_KEYS`` items and how many more there are."""
    shown = ', '.join(items[:SHOWN_KEYS])
    more = len(items) - SHOWN_KEYS
    return shown + (f' ... and {more} more' if more > 0 else '')


def format_report(filename, model_name, comparison):
    """A message describing a comparison, or '' when the weights fit.

    Args:
        filename (str): The checkpoint.
        model_name (str): The model's class name.
        comparison (dict): From :func:`compare_state_dicts`.
    """
    missing = comparison['missing']
    unexpected = comparison['unexpected']
    mismatched = comparison['mismatched']
    if not (missing or unexpected or mismatched):
        return ''
    lines = [f'Checkpoint {filename} does not match {model_name}:']
    if missing:
        lines.append(f'  {len(missing)} missing keys (keep their initial '
                     f'values): {_listing(missing)}')
    if mismatched:
        shapes = [f'{key} {ckpt} in the checkpoint vs {model} in the model'
                  for key, ckpt, model in mismatched]
        lines.append(f'  {len(mismatched)} keys with other shapes (not '
                     f'loaded): {_listing(shapes)}')
    if unexpected:
        lines.append(f'  {len(unexpected)} unexpected keys (ignored): '
                     f'{_listing(unexpected)}')
    return '\n'.join(lines)
