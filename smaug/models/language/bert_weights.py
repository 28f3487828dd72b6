"""Read a Hugging Face BERT checkpoint and rename it for smaug's modules.

A BERT-base checkpoint (``BertForPreTraining`` or ``BertModel`` layout) maps
onto three smaug modules:

=====================================  ======================================
Hugging Face key                       smaug key
=====================================  ======================================
``bert.embeddings.*``                  ``text_encoder.embeddings.*``
``bert.encoder.layer.{i}.*``, i < n    ``text_encoder.layers.{i}.*``
``bert.encoder.layer.{i}.*``, i >= n   ``multimodal_encoder.layers.{i-n}.*``
``cls.predictions.*``                  ``mlm_head.*``
``bert.pooler.*``, ``cls.seq_relationship.*``  ignored (unused by SMAUG)
=====================================  ======================================

where n is the number of text layers (9 for SMAUG). Inside a layer,
``attention.self.{query,key,value}`` -> ``self_attn.{query,key,value}``,
``attention.output.{dense,LayerNorm}`` -> ``self_attn.{out_proj,norm}``,
``intermediate.dense`` -> ``ffn.fc1``, ``output.{dense,LayerNorm}`` ->
``ffn.{fc2,norm}``. The multimodal layers' ``cross_attn`` has no source.
Old checkpoints' LayerNorm ``gamma``/``beta`` are read as ``weight``/``bias``;
a missing ``cls.predictions.decoder.weight`` (tied weights that
``save_pretrained`` drops) is taken from the word embeddings.
"""
import os.path as osp
import re
from typing import NamedTuple

from smaug.checkpoints import load_checkpoint_file

PART_PREFIXES = dict(
    text='text_encoder.',
    multimodal='multimodal_encoder.',
    mlm_head='mlm_head.')

EMBEDDING_RENAMES = {
    'embeddings.word_embeddings': 'embeddings.word_embeddings',
    'embeddings.position_embeddings': 'embeddings.position_embeddings',
    'embeddings.token_type_embeddings': 'embeddings.token_type_embeddings',
    'embeddings.LayerNorm': 'embeddings.norm',
}
LAYER_RENAMES = {
    'attention.self.query': 'self_attn.query',
    'attention.self.key': 'self_attn.key',
    'attention.self.value': 'self_attn.value',
    'attention.output.dense': 'self_attn.out_proj',
    'attention.output.LayerNorm': 'self_attn.norm',
    'intermediate.dense': 'ffn.fc1',
    'output.dense': 'ffn.fc2',
    'output.LayerNorm': 'ffn.norm',
}
MLM_RENAMES = {
    'cls.predictions.transform.dense': 'dense',
    'cls.predictions.transform.LayerNorm': 'norm',
    'cls.predictions.decoder': 'decoder',
}
IGNORED_PREFIXES = ('pooler.', 'cls.seq_relationship.',
                    'embeddings.position_ids')
LAYER_KEY = re.compile(r'^encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$')
HF_WEIGHT_FILES = ('model.safetensors', 'pytorch_model.bin')


class ConvertedBert(NamedTuple):
    """Result of :func:`convert_bert_state_dict`.

    Attributes:
        state_dict (dict): smaug keys (prefixed by :data:`PART_PREFIXES`) to
            tensors.
        missing_keys (list[str]): smaug keys that a complete BERT checkpoint
            would have given but this one did not.
        unexpected_keys (list[str]): source keys that are not BERT's.
        ignored_keys (list[str]): source keys that SMAUG does not use.
    """
    state_dict: dict
    missing_keys: list
    unexpected_keys: list
    ignored_keys: list


def normalise_bert_keys(state_dict):
    """Drop the ``bert.`` prefix and read LayerNorm ``gamma``/``beta`` as
    ``weight``/``bias``.

    Args:
        state_dict (dict): A Hugging Face BERT state dict.

    Returns:
        dict: The same tensors under normalised keys.
    """
    normalised = {}
    for key, value in state_dict.items():
        key = key[len('bert.'):] if key.startswith('bert.') else key
        key = re.sub(r'LayerNorm\.gamma$', 'LayerNorm.weight', key)
        key = re.sub(r'LayerNorm\.beta$', 'LayerNorm.bias', key)
        normalised[key] = value
    return normalised


def count_bert_layers(state_dict):
    """Number of encoder layers in a (normalised) BERT state dict."""
    indices = [int(match.group(1)) for match in map(LAYER_KEY.match,
                                                    state_dict) if match]
    return max(indices) + 1 if indices else 0


def _expected_keys(num_layers, num_text_layers):
    """Every smaug key a complete BERT checkpoint provides."""
    text, multimodal = PART_PREFIXES['text'], PART_PREFIXES['multimodal']
    expected = [
        f'{text}embeddings.{name}' for name in (
            'word_embeddings.weight', 'position_embeddings.weight',
            'token_type_embeddings.weight', 'norm.weight', 'norm.bias')
    ]
    for index in range(num_layers):
        prefix, layer = ((text, index) if index < num_text_layers else
                         (multimodal, index - num_text_layers))
        expected += [
            f'{prefix}layers.{layer}.{name}.{param}'
            for name in LAYER_RENAMES.values()
            for param in ('weight', 'bias')
        ]
    expected += [
        f'{PART_PREFIXES["mlm_head"]}{name}.{param}'
        for name in MLM_RENAMES.values() for param in ('weight', 'bias')
    ]
    return expected


def _rename(key, num_text_layers):
    """The smaug key of a normalised BERT key, or None when unknown."""
    match = LAYER_KEY.match(key)
    if match:
        index, name, param = int(match.group(1)), match.group(2), \
            match.group(3)
        if name not in LAYER_RENAMES:
            return None
        if index < num_text_layers:
            return (f'{PART_PREFIXES["text"]}layers.{index}.'
                    f'{LAYER_RENAMES[name]}.{param}')
        return (f'{PART_PREFIXES["multimodal"]}layers.'
                f'{index - num_text_layers}.{LAYER_RENAMES[name]}.{param}')
    name, _, param = key.rpartition('.')
    if name in EMBEDDING_RENAMES:
        return f'{PART_PREFIXES["text"]}{EMBEDDING_RENAMES[name]}.{param}'
    if name in MLM_RENAMES:
        return f'{PART_PREFIXES["mlm_head"]}{MLM_RENAMES[name]}.{param}'
    if key == 'cls.predictions.bias':
        return f'{PART_PREFIXES["mlm_head"]}decoder.bias'
    return None


def convert_bert_state_dict(state_dict, num_text_layers=9):
    """Rename a Hugging Face BERT state dict for smaug.

    Args:
        state_dict (dict): ``BertForPreTraining`` or ``BertModel`` weights.
        num_text_layers (int): Layers that go to the text encoder; the rest
            go to the multimodal encoder. Defaults to 9.

    Returns:
        ConvertedBert: renamed tensors and the key reports.
    """
    state_dict = normalise_bert_keys(state_dict)
    converted, unexpected, ignored = {}, [], []
    for key, value in state_dict.items():
        if key.startswith(IGNORED_PREFIXES):
            ignored.append(key)
            continue
        new_key = _rename(key, num_text_layers)
        if new_key is None:
            unexpected.append(key)
        else:
            converted[new_key] = value
    word_key = PART_PREFIXES['text'] + 'embeddings.word_embeddings.weight'
    decoder_key = PART_PREFIXES['mlm_head'] + 'decoder.weight'
    if decoder_key not in converted and word_key in converted and (
            PART_PREFIXES['mlm_head'] + 'dense.weight' in converted):
        converted[decoder_key] = converted[word_key]
    expected = _expected_keys(count_bert_layers(state_dict), num_text_layers)
    missing = [key for key in expected if key not in converted]
    return ConvertedBert(converted, missing, unexpected, ignored)


def select_part(state_dict, part):
    """The entries of one part with the part's prefix removed.

    Args:
        state_dict (dict): Converted weights (keys with part prefixes).
        part (str): A key of :data:`PART_PREFIXES`.
    """
    prefix = PART_PREFIXES[part]
    return {
        key[len(prefix):]: value
        for key, value in state_dict.items() if key.startswith(prefix)
    }


def _read_weight_file(path):
    if path.endswith('.safetensors'):
        from safetensors.torch import load_file
        return load_file(path)
    return load_checkpoint_file(path, trust=None)


def load_bert_state_dict(source):
    """Read Hugging Face BERT weights.

    Args:
        source (str): A folder with ``model.safetensors`` or
            ``pytorch_model.bin``, one such file, or a hub name such as
            ``'bert-base-uncased'`` (loaded with
            ``transformers.BertForPreTraining.from_pretrained``, which needs
            the hub or its local cache).

    Returns:
        dict: key -> tensor, in Hugging Face naming.
    """
    if osp.isdir(source):
        for name in HF_WEIGHT_FILES:
            if osp.isfile(osp.join(source, name)):
                return _read_weight_file(osp.join(source, name))
        raise FileNotFoundError(
            f'smaug/models/language/bert_weights.py: the BERT folder '
            f'{source!r} has none of {list(HF_WEIGHT_FILES)}.')
    if osp.isfile(source):
        return _read_weight_file(source)
    from transformers import BertForPreTraining
    try:
        model = BertForPreTraining.from_pretrained(source)
    except (OSError, ValueError) as error:
        raise FileNotFoundError(
            f'smaug/models/language/bert_weights.py: {source!r} is neither a '
            'local BERT folder or weight file nor a hub name that '
            f'transformers could load ({error}).') from error
    return model.state_dict()
