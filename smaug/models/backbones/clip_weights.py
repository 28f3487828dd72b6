"""CLIP visual weights -> :class:`SparseMAEViT` keys, with a full report.

Reads OpenAI's CLIP file (TorchScript), an OpenAI / open_clip state dict
(``visual.`` prefix or not, ``state_dict`` and ``module.`` wrappers) or a
state dict in the backbone's own keys. ``transformer.resblocks.<i>.``
becomes ``layers.<i>.``; ``proj`` and keys outside ``visual.`` are
ignored; unknown and missing keys are errors unless ``allow_partial``.
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
        source (str): Where the weights came from.
        converted (int): Keys converted.
        ignored (list[str]): Input keys deliberately not converted.
        unknown (list[str]): Input keys the backbone lacks.
        missing (list[str]): Backbone keys the input lacks.
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
    """A TorchScript archive's state dict, or a pickled checkpoint read as
    the entry point trusts (:func:`smaug.checkpoints.load_checkpoint_file`).
    """
    if _is_torchscript(path):
        return torch.jit.load(path, map_location='cpu').state_dict()
    return load_checkpoint_file(path, trust=None)


def unwrap_state_dict(checkpoint, prefix=None):
    """The flat state dict of ``checkpoint`` (``state_dict`` and
    ``module.`` wrappers removed); with ``prefix``, only its keys, stripped.
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
    """Map a flat CLIP state dict (whole model or visual tower) to
    SparseMAEViT keys.

    Returns:
        tuple[OrderedDict, ClipWeightsReport]: the converted tensors (dtype
        unchanged) and the ignored and unknown keys.
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
    """Convert CLIP visual weights and load them into a SparseMAEViT.

    Args:
        module (nn.Module): The backbone.
        checkpoint (str | dict): Path or loaded checkpoint.
        prefix (str, optional): See :func:`unwrap_state_dict`.
        allow_partial (bool): Load despite unknown or missing keys (still
            reported). Defaults to False.

    Returns:
        ClipWeightsReport: The full report.
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
                           '(--allow-partial) to load the matching keys '
                           'anyway.')
    module.load_state_dict(
        OrderedDict((key, value) for key, value in converted.items()
                    if key in expected), strict=False)
    return report
