"""Read a Hugging Face BERT checkpoint and rename it for smaug's modules.

``bert.embeddings.*`` -> ``text_encoder.embeddings.*``; layer i < n ->
``text_encoder.layers.{i}.*``, else ``multimodal_encoder.layers.{i-n}.*``
(n text layers, 9 in SMAUG); ``cls.predictions.*`` -> ``mlm_head.*``; the
pooler and ``cls.seq_relationship`` are ignored. In a layer,
``attention.self.*`` -> ``self_attn.*``, ``attention.output.{dense,
LayerNorm}`` -> ``self_attn.{out_proj,norm}``, ``intermediate.dense`` ->
``ffn.fc1``, ``output.{dense,LayerNorm}`` -> ``ffn.{fc2,norm}``.
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
        state_dict (dict): smaug keys (with :data:`PART_PREFIXES`) to tensors.
        missing_keys (list[str]): smaug keys a full BERT would give.
        unexpected_keys (list[str]): Source keys that are not BERT's.
        ignored_keys (list[str]): Source keys SMAUG does not use.
    """
    state_dict: dict
    missing_keys: list
    unexpected_keys: list
    ignored_keys: list


def normalise_bert_keys(state_dict):
    """The same tensors without the ``bert.`` prefix and with LayerNorm
    ``gamma``/``beta`` read as ``weight``/``bias``.
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
    """Rename a ``BertForPreTraining`` or ``BertModel`` state dict; the
    first ``num_text_layers`` layers (default 9) go to the text encoder, the
    rest to the multimodal encoder. A missing MLM decoder weight (tied, and
    dropped by ``save_pretrained``) is the word embeddings. Returns a
    :class:`ConvertedBert`.
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
    """The entries of ``part`` (a key of :data:`PART_PREFIXES`) of
    converted weights, without the part's prefix.
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
    """Hugging Face BERT weights (key -> tensor) from a folder with
    ``model.safetensors`` or ``pytorch_model.bin``, one such file, or a hub
    name (``BertForPreTraining.from_pretrained``: the hub or its cache).
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
