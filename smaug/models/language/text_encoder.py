"""The text encoder Q_l: BERT's embeddings and first layers (paper eq. 4)."""
from smaug.registry import MODELS
from .bert_attention import padding_to_attn_mask
from .bert_embeddings import BertEmbeddings
from .bert_layer_stack import BertLayerStack


@MODELS.register_module()
class BertTextEncoder(BertLayerStack):
    """BERT embeddings and ``num_layers`` layers (1..9 of BERT-base in
    SMAUG); the output's first token is the text [CLS].

    Args:
        arch (str | dict): BERT size. Defaults to ``'base'``.
        num_layers (int): Defaults to 9.
        with_cp (bool): Activation checkpointing per layer. Defaults to False.
        init_cfg (dict | list[dict], optional): e.g. ``PretrainedBERT``.
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
            input_ids (Tensor): (B, P).
            attention_mask (Tensor): (B, P), 0 at padding.
            token_type_ids (Tensor, optional): (B, P); zeros when None.

        Returns:
            Tensor: (B, P, D).
        """
        hidden = self.embeddings(input_ids, token_type_ids)
        attn_mask = padding_to_attn_mask(attention_mask)
        for layer in self.layers:
            hidden = layer(hidden, attn_mask)
        return hidden
