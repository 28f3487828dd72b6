"""CLIP visual weights -> :class:`SparseMAEViT` keys, with a full report.

Accepted inputs:

- OpenAI's released CLIP file (a TorchScript archive, read with
  ``torch.jit.load(map_location='cpu').state_dict()``);
- a pickled state dict in OpenAI's / open_clip's naming, with or without the
  ``visual.`` prefix, optionally wrapped in ``{'state_dict': ...}`` (open_clip
  training checkpoints) and/or with DataParallel's ``module.`` prefix;
- a state dict already in this backbone's naming (for example a SMAUG
  checkpoint, selected with ``prefix='backbone.'``).

The backbone keeps CLIP's module names, so the conversion is a key map:
``transformer.resblocks.<i>.`` becomes ``layers.<i>.`` and every other
visual key keeps its name. Deliberately not converted, and reported as
ignored: CLIP's image-text projection ``proj`` (the VTC head has its own) and,
when the input has a ``visual.`` prefix, every key outside it (text tower,
``logit_scale``, TorchScript's ``input_resolution`` etc.). Any other key is
unknown; backbone keys that the input lacks are missing. Unknown and missing
keys are errors unless ``allow_partial`` is set; nothing is dropped silently.
"""
import re
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import List

import torch

from smaug.checkpoints import load_checkpoint_file

VISUAL_PREFIX = 'visual.'
IGNORED_VISUAL_KEYS = ('proj', )
STEM_KEYS = ('conv1.weight', 'class_embedding', 'positional_embedding',
             'ln_pre.weight', 'ln_pre.bias', 'ln_post.weight', 'ln_post.bias')
BLOCK_KEYS = ('ln_1.weight', 'ln_1.bias', 'attn.in_proj_weight',
              'attn.in_proj_bias', 'attn.out_proj.weight',
              'attn.out_proj.bias', 'ln_2.weight', 'ln_2.bias',
              'mlp.c_fc.weight', 'mlp.c_fc.bias', 'mlp.c_proj.weight',
              'mlp.c_proj.bias')
BLOCK_PATTERN = re.compile(r'^(?:transformer\.resblocks|layers)\.(\d+)\.(.+)$')


@dataclass
class ClipWeightsReport:
    """What a conversion or load did with each key.

    Args:
        source (str): Where the weights came from (for messages).
        converted (int): Number of keys converted.
        ignored (list[str]): Input keys deliberately not converted.
        unknown (list[str]): Input keys with no counterpart in the backbone.
        missing (list[str]): Backbone keys the input did not provide.
    """

    source: str
    converted: int
    ignored: List[str] = field(default_factory=list)
    unknown: List[str] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)

    @property
    def ok(self):
        """True when no key is unknown or missing."""
        return not (self.unknown or self.missing)

    def summary(self):
        """A human-readable report listing every unknown and missing key."""
        lines = [f'CLIP visual weights from {self.source}: '
                 f'{self.converted} keys converted, {len(self.ignored)} '
                 f'ignored, {len(self.unknown)} unknown, {len(self.missing)} '
                 'missing.']
        if self.ignored:
            shown = ', '.join(self.ignored[:8])
            more = len(self.ignored) - 8
            lines.append(f'  ignored: {shown}' +
                         (f' (+{more} more)' if more > 0 else ''))
        lines += [f'  unknown: {key}' for key in self.unknown]
        lines += [f'  missing: {key}' for key in self.missing]
        return '\n'.join(lines)


def _is_torchscript(path):
    """Whether ``path`` is a TorchScript archive (it holds ``code/``)."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any('/code/' in name or name.endswith('constants.pkl')
                   for name in archive.namelist())


def read_checkpoint(path):
    """Read a TorchScript archive's state dict, or a pickled checkpoint
    (weights-only unless the entry point trusts it:
    :func:`smaug.checkpoints.load_checkpoint_file`).

    Args:
        path (str): Checkpoint file.

    Returns:
        dict: The loaded object (a state dict, possibly wrapped).
    """
    if _is_torchscript(path):
        return torch.jit.load(path, map_location='cpu').state_dict()
    return load_checkpoint_file(path, trust=None)


def unwrap_state_dict(checkpoint, prefix=None):
    """Strip checkpoint wrappers down to a flat state dict.

    Args:
        checkpoint (dict): A state dict, or a dict holding one under
            ``'state_dict'``; keys may carry DataParallel's ``module.``.
        prefix (str, optional): Keep only the keys under this prefix and
            strip it (e.g. ``'backbone.'``). Defaults to None.

    Returns:
        OrderedDict: The flat state dict.
    """
    if not isinstance(checkpoint, dict):
        raise TypeError(f'Expected a state dict, got {type(checkpoint)}.')
    if 'state_dict' in checkpoint:
        checkpoint = checkpoint['state_dict']
    state_dict = OrderedDict(
        (key[len('module.'):] if key.startswith('module.') else key, value)
        for key, value in checkpoint.items())
    if prefix:
        state_dict = OrderedDict((key[len(prefix):], value)
                                 for key, value in state_dict.items()
                                 if key.startswith(prefix))
        if not state_dict:
            raise KeyError(f'No key of the checkpoint starts with {prefix!r}.')
    return state_dict


def convert_clip_visual_state_dict(state_dict):
    """Map CLIP visual keys to SparseMAEViT keys.

    Args:
        state_dict (dict): Flat state dict (see :func:`unwrap_state_dict`)
            of a CLIP model (``visual.`` keys are selected) or of its visual
            tower alone.

    Returns:
        tuple[OrderedDict, ClipWeightsReport]: The converted state dict (the
        input tensors, dtype unchanged) and a report with the ignored and
        unknown keys (``missing`` is filled in by
        :func:`load_clip_visual_weights`).
    """
    ignored, unknown = [], []
    if any(key.startswith(VISUAL_PREFIX) for key in state_dict):
        ignored = [key for key in state_dict
                   if not key.startswith(VISUAL_PREFIX)]
        state_dict = OrderedDict((key[len(VISUAL_PREFIX):], value)
                                 for key, value in state_dict.items()
                                 if key.startswith(VISUAL_PREFIX))
    converted = OrderedDict()
    for key, value in state_dict.items():
        block = BLOCK_PATTERN.match(key)
        if key in STEM_KEYS:
            converted[key] = value
        elif block and block.group(2) in BLOCK_KEYS:
            converted[f'layers.{block.group(1)}.{block.group(2)}'] = value
        elif key in IGNORED_VISUAL_KEYS:
            ignored.append(key)
        else:
            unknown.append(key)
    report = ClipWeightsReport(source='state dict', converted=len(converted),
                               ignored=ignored, unknown=unknown)
    return converted, report


def load_clip_visual_weights(module, checkpoint, prefix=None,
                             allow_partial=False):
    """Convert CLIP visual weights and load them into a backbone.

    Args:
        module (nn.Module): A :class:`SparseMAEViT`.
        checkpoint (str | dict): Checkpoint path (see :func:`read_checkpoint`)
            or an already loaded checkpoint dict.
        prefix (str, optional): See :func:`unwrap_state_dict`.
        allow_partial (bool): Load even if keys are unknown or missing
            (they are still reported). Defaults to False.

    Returns:
        ClipWeightsReport: The full report (``converted`` counts keys loaded).

    Raises:
        RuntimeError: If keys are unknown or missing and not ``allow_partial``;
            the message lists them.
    """
    source = checkpoint if isinstance(checkpoint, str) else 'a state dict'
    if isinstance(checkpoint, str):
        checkpoint = read_checkpoint(checkpoint)
    converted, report = convert_clip_visual_state_dict(
        unwrap_state_dict(checkpoint, prefix))
    report.source = source
    expected = set(module.state_dict())
    report.unknown += [key for key in converted if key not in expected]
    report.missing = [key for key in module.state_dict()
                      if key not in converted]
    if not report.ok and not allow_partial:
        raise RuntimeError(report.summary() + '\nPass allow_partial=True '
                       '(--allow-partial) to load the matching keys anyway.')
    module.load_state_dict(
        OrderedDict((key, value) for key, value in converted.items()
                    if key in expected), strict=False)
    return report
