"""Convert Hugging Face BERT weights for smaug's language modules.

The output holds, under ``state_dict``, ``text_encoder.*`` (embeddings and
the first ``--num-text-layers`` layers), ``multimodal_encoder.*`` (the other
layers' self-attention and FFN; cross-attention is not in BERT and stays
randomly initialised) and ``mlm_head.*`` (``cls.predictions``); see
``smaug/models/language/bert_weights.py`` for the key mapping. A config then
loads each part with mmengine's initialiser, e.g.::

    text_encoder=dict(
        type='BertTextEncoder',
        init_cfg=dict(type='Pretrained', checkpoint='bert_base_smaug.pth',
                      prefix='text_encoder.'))

(``init_cfg=dict(type='PretrainedBERT', checkpoint=<HF folder or hub
name>)`` reads the Hugging Face weights directly, with no conversion step.)

Examples::

    python tools/model_converters/bert_to_smaug.py bert-base-uncased \\
        checkpoints/bert_base_smaug.pth
    python tools/model_converters/bert_to_smaug.py path/to/hf_bert_folder \\
        out.pth --num-text-layers 9
"""
import os
import os.path as osp
import sys

import torch

from smaug.checkpoints import use_weights_only_loader
from smaug.cli import add_trust_argument, command_parser
from smaug.models.language.bert_weights import (convert_bert_state_dict,
                                                count_bert_layers,
                                                load_bert_state_dict,
                                                normalise_bert_keys)


def parse_args():
    """Parse the command line."""
    parser = command_parser(__doc__)
    parser.add_argument(
        'src', help='Hugging Face BERT folder, weight file or hub name')
    parser.add_argument('dst', help='output checkpoint (.pth)')
    parser.add_argument(
        '--num-text-layers', type=int, default=9,
        help='layers that go to the text encoder (default: 9)')
    parser.add_argument(
        '--allow-missing', action='store_true',
        help='write the output even if BERT keys are missing or unexpected')
    add_trust_argument(parser)
    return parser.parse_args()


def main():
    """Read, convert, report and save."""
    args = parse_args()
    use_weights_only_loader(trust=args.trust_checkpoint)
    state_dict = normalise_bert_keys(load_bert_state_dict(args.src))
    num_layers = count_bert_layers(state_dict)
    if not 1 <= args.num_text_layers < num_layers:
        sys.exit(f'bert_to_smaug.py: --num-text-layers must be in [1, '
                 f'{num_layers - 1}] for {args.src} ({num_layers} layers), '
                 f'got {args.num_text_layers}.')
    converted = convert_bert_state_dict(state_dict, args.num_text_layers)
    print(f'{args.src}: {num_layers} layers -> text encoder '
          f'{args.num_text_layers}, multimodal encoder '
          f'{num_layers - args.num_text_layers}; '
          f'{len(converted.state_dict)} tensors.')
    print(f'ignored (unused by SMAUG): {converted.ignored_keys}')
    print(f'missing: {converted.missing_keys}')
    print(f'unexpected: {converted.unexpected_keys}')
    if (converted.missing_keys
            or converted.unexpected_keys) and not args.allow_missing:
        sys.exit('bert_to_smaug.py: missing or unexpected keys; pass '
                 '--allow-missing to write the output anyway.')
    if osp.dirname(args.dst):
        os.makedirs(osp.dirname(args.dst), exist_ok=True)
    torch.save(
        dict(
            state_dict=converted.state_dict,
            meta=dict(source=args.src,
                      num_text_layers=args.num_text_layers,
                      num_layers=num_layers)), args.dst)
    print(f'saved {args.dst}')


if __name__ == '__main__':
    main()
