"""The multimodal encoder Q_m: BERT's last layers with cross-attention."""
from smaug.registry import MODELS
from .bert_attention import padding_to_attn_mask
from .bert_layer_stack import BertLayerStack


@MODELS.register_module()
class BertMultimodalEncoder(BertLayerStack):
    """BERT layers (10..12 of BERT-base in SMAUG) each followed by a
    cross-attention block over visual tokens: self-attention ->
    cross-attention -> FFN. The cross-attention blocks are new (BERT's random
    initialisation); the rest can come from BERT.

    Args:
        arch (str | dict): BERT size, see
            :func:`~smaug.models.language.bert_arch.resolve_bert_arch`.
            Defaults to ``'base'``.
        num_layers (int): Number of layers. Defaults to 3.
        encoder_width (int): Width of the visual tokens (keys and values of
            the cross-attention). Defaults to 768.
        with_cp (bool): Activation checkpointing per layer. Defaults to False.
        init_cfg (dict | list[dict], optional): e.g.
            ``dict(type='PretrainedBERT', checkpoint='bert-base-uncased')``
            loads BERT's last ``num_layers`` layers.
    """
    bert_part = 'multimodal'

    def __init__(self, arch='base', num_layers=3, encoder_width=768,
                 with_cp=False, init_cfg=None):
        super().__init__(arch, num_layers, init_cfg=init_cfg)
        self.encoder_width = encoder_width
        self.layers = self.make_layers(encoder_width, with_cp)

    def forward(self, text_hidden, attention_mask, visual, visual_mask=None):
        """Fuse text with visual tokens.

        Args:
            text_hidden (Tensor): (B, P, D) text encoder output.
            attention_mask (Tensor): (B, P), 1 for tokens, 0 for padding.
            visual (Tensor | None): (B, M, encoder_width) visual tokens (the
                selected frames' tokens, concatenated). None skips every
                cross-attention block, which makes the module plain BERT
                layers (used to check the weight conversion).
            visual_mask (Tensor, optional): (B, M), 1 for valid visual
                tokens; None means all are valid.

        Returns:
            Tensor: (B, P, D); the first token is the fused [CLS].
        """
        if visual is not None and visual.shape[-1] != self.encoder_width:
            raise ValueError(
                'smaug/models/language/multimodal_encoder.py: visual tokens '
                f'have width {visual.shape[-1]}, but encoder_width is '
                f'{self.encoder_width}.')
        attn_mask = padding_to_attn_mask(attention_mask)
        context_mask = padding_to_attn_mask(visual_mask)
        hidden = text_hidden
        for layer in self.layers:
            hidden = layer(hidden, attn_mask, visual, context_mask)
        return hidden
