"""``init_cfg=dict(type='PretrainedBERT', ...)``: BERT weights for smaug.

One Hugging Face checkpoint feeds three modules with the same
``init_cfg``, each taking its ``bert_part``: ``BertTextEncoder`` the
embeddings and first layers, ``BertMultimodalEncoder`` the last layers
(not the cross-attention), ``BertMLMHead`` ``cls.predictions``. A file
converted by ``tools/model_converters/bert_to_smaug.py`` loads with
mmengine's ``Pretrained`` and a ``prefix`` instead.
"""
import logging

from mmengine.logging import print_log
from mmengine.model.weight_init import update_init_info

from smaug.registry import WEIGHT_INITIALIZERS
from .bert_weights import (PART_PREFIXES, convert_bert_state_dict,
                           count_bert_layers, load_bert_state_dict,
                           normalise_bert_keys, select_part)

# Keys of a part that no BERT checkpoint has: they keep their random init.
NEW_KEY_MARKERS = dict(text=(), multimodal=('.cross_attn.', ), mlm_head=())


def load_bert_part(module, converted, part, strict=True, source='BERT'):
    """Load one part of converted BERT weights into ``module``.

    Args:
        module (nn.Module): The module to fill.
        converted (ConvertedBert): From :func:`convert_bert_state_dict`.
        part (str): ``'text'``, ``'multimodal'`` or ``'mlm_head'``.
        strict (bool): Raise (else print) on missing weights beyond new
            blocks or on keys that are not BERT's. Defaults to True.
        source (str): Checkpoint name for messages.
    """
    weights = select_part(converted.state_dict, part)
    try:
        result = module.load_state_dict(weights, strict=False)
    except RuntimeError as error:
        raise RuntimeError(
            f'smaug/models/language/pretrained_bert_init.py: {source} does '
            f'not fit {type(module).__name__}: {error}') from error
    new = [
        key for key in result.missing_keys
        if any(marker in key for marker in NEW_KEY_MARKERS[part])
    ]
    missing = [key for key in result.missing_keys if key not in new]
    unexpected = list(result.unexpected_keys) + converted.unexpected_keys
    name = type(module).__name__
    print_log(
        f'{name} <- {source} ({part}): loaded {len(weights)} tensors; '
        f'newly initialised: {len(new)}; ignored from the checkpoint: '
        f'{converted.ignored_keys}', logger='current')
    if missing or unexpected:
        message = (f'smaug/models/language/pretrained_bert_init.py: '
                   f'{name} <- {source}: missing keys {missing}, unexpected '
                   f'keys {unexpected}.')
        if strict:
            raise KeyError(message + ' Pass strict=False to allow.')
        print_log(message, logger='current', level=logging.WARNING)


@WEIGHT_INITIALIZERS.register_module(name='PretrainedBERT')
class PretrainedBERTInit:
    """Initialise a smaug BERT module from a Hugging Face BERT.

    Args:
        checkpoint (str): Folder, weight file or hub name.
        strict (bool): See :func:`load_bert_part`. Defaults to True.
    """

    def __init__(self, checkpoint, strict=True):
        self.checkpoint = checkpoint
        self.strict = strict

    def __call__(self, module):
        part = getattr(module, 'bert_part', None)
        if part not in PART_PREFIXES:
            raise TypeError(
                'smaug/models/language/pretrained_bert_init.py: '
                f'PretrainedBERT cannot initialise {type(module).__name__}; '
                'it needs a module with bert_part in '
                f'{sorted(PART_PREFIXES)}.')
        state_dict = normalise_bert_keys(
            load_bert_state_dict(self.checkpoint))
        num_layers = count_bert_layers(state_dict)
        num_text_layers = dict(
            text=getattr(module, 'num_layers', 0),
            multimodal=num_layers - getattr(module, 'num_layers', 0),
            mlm_head=num_layers)[part]
        if num_text_layers < 0:
            raise ValueError(
                'smaug/models/language/pretrained_bert_init.py: '
                f'{self.checkpoint} has {num_layers} layers, fewer than the '
                f'{module.num_layers} of {type(module).__name__}.')
        converted = convert_bert_state_dict(state_dict, num_text_layers)
        load_bert_part(module, converted, part, self.strict, self.checkpoint)
        if hasattr(module, '_params_init_info'):
            update_init_info(
                module, f'PretrainedBERT: {part} from {self.checkpoint}')
