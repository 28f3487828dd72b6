"""The text encoder Q_l: BERT's embeddings and first layers (paper eq. 4)."""
from smaug.registry import MODELS
from .bert_attention import padding_to_attn_mask
from .bert_embeddings import BertEmbeddings
from .bert_layer_stack import BertLayerStack


@MODELS.register_module()
class BertTextEncoder(BertLayerStack):
    """BERT embeddings followed by ``num_layers`` BERT layers (layers 1..9 of
    BERT-base in SMAUG). The output's first token is the text [CLS] feature.

    Args:
        arch (str | dict): BERT size, see
            :func:`~smaug.models.language.bert_arch.resolve_bert_arch`.
            Defaults to ``'base'``.
        num_layers (int): Number of layers. Defaults to 9.
        with_cp (bool): Activation checkpointing per layer. Defaults to False.
        init_cfg (dict | list[dict], optional): e.g.
            ``dict(type='PretrainedBERT', checkpoint='bert-base-uncased')``
            loads BERT's embeddings and first ``num_layers`` layers.
    """
    bert_part = 'text'

    def __init__(self, arch='base', num_layers=9, with_cp=False,
                 init_cfg=None):
        super().__init__(arch, num_layers, init_cfg=init_cfg)
        self.embeddings = BertEmbeddings(
            **{key: self.arch_settings[key] for key in (
                'vocab_size', 'hidden_size', 'max_position_embeddings',
                'type_vocab_size', 'pad_token_id', 'layer_norm_eps',
                'dropout')})
        self.layers = self.make_layers(with_cp=with_cp)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        """Encode token ids.

        Args:
            input_ids (Tensor): (B, P) long token ids.
            attention_mask (Tensor): (B, P), 1 for tokens, 0 for padding.
            token_type_ids (Tensor, optional): (B, P) segment ids; zeros
                when None.

        Returns:
            Tensor: (B, P, D) hidden states after the last layer.
        """
        hidden = self.embeddings(input_ids, token_type_ids)
        attn_mask = padding_to_attn_mask(attention_mask)
        for layer in self.layers:
            hidden = layer(hidden, attn_mask)
        return hidden
