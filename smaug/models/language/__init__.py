"""Re-exports."""
from .bert_arch import BERT_ARCHS, resolve_bert_arch
from .bert_attention import BertAttention, padding_to_attn_mask
from .bert_embeddings import BertEmbeddings
from .bert_ffn import BertFFN
from .bert_layer import BertLayer
from .bert_layer_stack import BertLayerStack
from .bert_module import BertBaseModule, BertRandomInit, bert_random_init
from .bert_weights import (ConvertedBert, convert_bert_state_dict,
                           load_bert_state_dict)
from .multimodal_encoder import BertMultimodalEncoder
from .pretrained_bert_init import PretrainedBERTInit, load_bert_part
from .text_encoder import BertTextEncoder
from .tokenizer import build_bert_tokenizer

__all__ = [
    'BERT_ARCHS', 'BertAttention', 'BertBaseModule', 'BertEmbeddings',
    'BertFFN', 'BertLayer', 'BertLayerStack', 'BertMultimodalEncoder',
    'BertRandomInit', 'BertTextEncoder', 'ConvertedBert', 'PretrainedBERTInit',
    'bert_random_init', 'build_bert_tokenizer', 'convert_bert_state_dict',
    'load_bert_part', 'load_bert_state_dict', 'padding_to_attn_mask',
    'resolve_bert_arch'
]
