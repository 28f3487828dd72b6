"""Export a smaug model's encoders as a CLIP visual checkpoint and a BERT.

The inverse of what SMAUG's configs read: the visual encoder becomes a state
dict in OpenAI CLIP's layout (``visual.conv1.weight``,
``visual.transformer.resblocks.<i>.*``, ...), which
``init_cfg=dict(type='Pretrained', checkpoint=...)`` loads as it loads
``ViT-B-16.pt``; the text encoder, the self-attention and FFN of the
multimodal layers (if any) and the MLM head become a Hugging Face
``BertForMaskedLM`` folder (``config.json``, ``model.safetensors`` and the
tokenizer files), which ``init_cfg=dict(type='PretrainedBERT',
checkpoint=...)`` and the data preprocessor's ``tokenizer`` load as they load
``bert-base-uncased``, and which transformers itself opens. CLIP's image-text
projection ``proj`` is not written (SMAUG never loads it: its VTC head has
its own), nor is the multimodal layers' cross-attention (BERT has none).

Written under OUT_DIR: ``clip_visual.pth`` and ``bert/``. Used by
``tools/analysis/table7_study.py`` to turn its stage-0 image-text model into
the weights both study arms start from::

    python tools/model_converters/smaug_to_clip_bert.py \\
        configs/analysis/table7_mini/stage0_dual_encoder.py \\
        work_dirs/table7_study/stage0/iter_4000.pth \\
        work_dirs/table7_study/stage0/export
"""
import os
import os.path as osp
import sys

import torch
from safetensors.torch import save_file

from smaug.cli.command_help import command_parser
from smaug.cli.model_arguments import (add_model_arguments,
                                       init_model_from_args)
from smaug.models.language.bert_weights import (EMBEDDING_RENAMES,
                                                LAYER_RENAMES, MLM_RENAMES)

CLIP_BLOCK_PREFIX = 'transformer.resblocks.'


def parse_args(argv=None):
    """Parse the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    add_model_arguments(parser)
    parser.add_argument('out_dir', help='folder to write clip_visual.pth '
                        'and bert/ to')
    return parser.parse_args(argv)


def clip_visual_state_dict(backbone):
    """A ``SparseMAEViT``'s weights under OpenAI CLIP's visual keys.

    Args:
        backbone (nn.Module): The visual encoder.

    Returns:
        dict[str, Tensor]: ``visual.``-prefixed CLIP keys.
    """
    return {
        'visual.' + (CLIP_BLOCK_PREFIX + key[len('layers.'):]
                     if key.startswith('layers.') else key): value.clone()
        for key, value in backbone.state_dict().items()
    }


def _inverse(renames):
    """``{smaug name: Hugging Face name}`` of a rename table."""
    return {smaug: hf for hf, smaug in renames.items()}


def bert_layer_state_dict(layer, index):
    """One smaug BERT layer's self-attention and FFN under Hugging Face's
    ``bert.encoder.layer.<index>.`` keys (a cross-attention is left out).

    Args:
        layer (nn.Module): A ``BertLayer``.
        index (int): Its index in the exported BERT.
    """
    names = _inverse(LAYER_RENAMES)
    exported = {}
    for key, value in layer.state_dict().items():
        module, _, param = key.rpartition('.')
        if module in names:
            exported[f'bert.encoder.layer.{index}.{names[module]}.{param}'] = \
                value.clone()
    return exported


def bert_state_dict(text_encoder, multimodal_encoder, mlm_head):
    """The language weights as a Hugging Face ``BertForMaskedLM``.

    Args:
        text_encoder (nn.Module): ``BertTextEncoder``: embeddings and the
            first layers.
        multimodal_encoder (nn.Module | None): ``BertMultimodalEncoder``,
            whose layers follow the text encoder's.
        mlm_head (nn.Module): ``BertMLMHead``: ``cls.predictions``.

    Returns:
        dict[str, Tensor]: Hugging Face keys.
    """
    embedding_names = _inverse(EMBEDDING_RENAMES)
    exported = {}
    for key, value in text_encoder.embeddings.state_dict().items():
        module, _, param = f'embeddings.{key}'.rpartition('.')
        exported[f'bert.{embedding_names[module]}.{param}'] = value.clone()
    layers = list(text_encoder.layers)
    if multimodal_encoder is not None:
        layers += list(multimodal_encoder.layers)
    for index, layer in enumerate(layers):
        exported.update(bert_layer_state_dict(layer, index))
    mlm_names = _inverse(MLM_RENAMES)
    for key, value in mlm_head.state_dict().items():
        module, _, param = key.rpartition('.')
        name = ('cls.predictions.bias' if key == 'decoder.bias' else
                f'{mlm_names[module]}.{param}')
        exported[name] = value.clone()
    return exported


def bert_config(text_encoder, num_layers, vocab_size):
    """The ``transformers.BertConfig`` of the exported BERT.

    Args:
        text_encoder (nn.Module): ``BertTextEncoder`` (its arch settings).
        num_layers (int): Layers of the exported BERT.
        vocab_size (int): Rows of the word embeddings.
    """
    from transformers import BertConfig
    arch = text_encoder.arch_settings
    return BertConfig(
        architectures=['BertForMaskedLM'], vocab_size=vocab_size,
        hidden_size=arch['hidden_size'], num_hidden_layers=num_layers,
        num_attention_heads=arch['num_heads'],
        intermediate_size=arch['intermediate_size'], hidden_act='gelu',
        hidden_dropout_prob=arch['dropout'],
        attention_probs_dropout_prob=arch['dropout'],
        max_position_embeddings=arch['max_position_embeddings'],
        type_vocab_size=arch['type_vocab_size'],
        layer_norm_eps=arch['layer_norm_eps'],
        pad_token_id=arch['pad_token_id'])


def export(model, out_dir):
    """Write ``clip_visual.pth`` and ``bert/`` for ``model``.

    Args:
        model (nn.Module): A smaug model with ``backbone``,
            ``text_encoder``, ``mlm_head`` and ``data_preprocessor`` (its
            tokenizer is saved with the BERT); ``multimodal_encoder`` is
            exported when the model has one.
        out_dir (str): Output folder.

    Returns:
        tuple[str, str]: The CLIP file and the BERT folder.
    """
    missing = [name for name in ('backbone', 'text_encoder', 'mlm_head')
               if getattr(model, name, None) is None]
    if missing:
        raise ValueError(f'smaug_to_clip_bert.py: {type(model).__name__} '
                         f'has no {", ".join(missing)} to export.')
    clip_file, bert_dir = osp.join(out_dir, 'clip_visual.pth'), \
        osp.join(out_dir, 'bert')
    os.makedirs(bert_dir, exist_ok=True)
    torch.save(clip_visual_state_dict(model.backbone), clip_file)
    multimodal = getattr(model, 'multimodal_encoder', None)
    weights = bert_state_dict(model.text_encoder, multimodal, model.mlm_head)
    num_layers = len(model.text_encoder.layers) + (
        0 if multimodal is None else len(multimodal.layers))
    vocab_size = weights['bert.embeddings.word_embeddings.weight'].shape[0]
    save_file({key: value.contiguous() for key, value in weights.items()},
              osp.join(bert_dir, 'model.safetensors'),
              metadata=dict(format='pt'))
    bert_config(model.text_encoder, num_layers,
                vocab_size).save_pretrained(bert_dir)
    model.data_preprocessor.tokenizer.save_pretrained(bert_dir)
    return clip_file, bert_dir


def main(argv=None):
    """Load the model, export it and say where.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` if None.
    """
    args = parse_args(argv)
    clip_file, bert_dir = export(init_model_from_args(args), args.out_dir)
    print(f'CLIP visual weights: {clip_file}\nBERT folder: {bert_dir}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
