"""The multimodal encoder Q_m: BERT's last layers with cross-attention."""
from smaug.registry import MODELS
from .bert_attention import padding_to_attn_mask
from .bert_layer_stack import BertLayerStack


@MODELS.register_module()
class BertMultimodalEncoder(BertLayerStack):
    """BERT layers (10..12 of BERT-base in SMAUG) with a new
    cross-attention block over visual tokens between self-attention and FFN.

    Args:
        arch (str | dict): BERT size. Defaults to ``'base'``.
        num_layers (int): Defaults to 3.
        encoder_width (int): Width of the visual tokens. Defaults to 768.
        with_cp (bool): Activation checkpointing per layer. Defaults to False.
        init_cfg (dict | list[dict], optional): e.g. ``PretrainedBERT``
            (BERT's last ``num_layers`` layers).
    """
    bert_part = 'multimodal'

    def __init__(self, arch='base', num_layers=3, encoder_width=768,
                 with_cp=False, init_cfg=None):
        super().__init__(arch, num_layers, init_cfg=init_cfg)
        self.encoder_width = encoder_width
        self.layers = self.make_layers(encoder_width, with_cp)

    def forward(self, text_hidden, attention_mask, visual, visual_mask=None):
        """Fuse text with visual tokens: (B, P, D), the fused [CLS] first.

        Args:
            text_hidden (Tensor): (B, P, D) text encoder output.
            attention_mask (Tensor): (B, P), 0 at padding.
            visual (Tensor | None): (B, M, encoder_width) tokens of the
                selected frames; None skips the cross-attention.
            visual_mask (Tensor, optional): (B, M); None: all valid.
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
