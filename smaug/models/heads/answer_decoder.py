"""The answer decoder of open-ended video QA: causal BERT layers that
cross-attend to the multimodal encoder's output."""
import torch

from smaug.models.language.bert_attention import padding_to_attn_mask
from smaug.models.language.bert_layer_stack import BertLayerStack
from smaug.registry import MODELS


@MODELS.register_module()
class BertAnswerDecoder(BertLayerStack):
    """BERT layers of causal self-attention, cross-attention to Q_m's
    question-video states and FFN (ALBEF's and Singularity's answer decoder,
    paper Sec. 4.1). The layers have Q_m's shape, so they start as Q_m:
    ``PretrainedBERT`` loads BERT's last ``num_layers`` layers, and
    :class:`~smaug.models.algorithms.SMAUGQA` copies a SMAUG checkpoint's.

    Args:
        arch (str | dict): BERT size. Defaults to ``'base'``.
        num_layers (int): Defaults to 3 (Q_m's).
        with_cp (bool): Activation checkpointing per layer. Defaults to False.
        init_cfg (dict | list[dict], optional): e.g. ``PretrainedBERT``.
    """
    bert_part = 'multimodal'

    def __init__(self, arch='base', num_layers=3, with_cp=False,
                 init_cfg=None):
        super().__init__(arch, num_layers, init_cfg=init_cfg)
        self.layers = self.make_layers(self.embed_dims, with_cp)

    def forward(self, token_embeds, token_mask, context, context_mask):
        """Hidden states (n, L, D) of (partial) answers; position t has seen
        tokens 0..t.

        Args:
            token_embeds (Tensor): (n, L, D) embedded tokens, [CLS] first.
            token_mask (Tensor | None): (n, L), 0 at padding (last); None when
                nothing is padded.
            context (Tensor): (n, P, D) Q_m's output.
            context_mask (Tensor): (n, P).
        """
        if context.shape[-1] != self.embed_dims:
            raise ValueError(
                'smaug/models/heads/answer_decoder.py: context has width '
                f'{context.shape[-1]}, the decoder {self.embed_dims}.')
        length = token_embeds.shape[1]
        attn_mask = torch.ones(length, length, dtype=torch.bool,
                               device=token_embeds.device).tril()
        if token_mask is not None:
            attn_mask = attn_mask & padding_to_attn_mask(token_mask)
        context_mask = padding_to_attn_mask(context_mask)
        hidden = token_embeds
        for layer in self.layers:
            hidden = layer(hidden, attn_mask, context, context_mask)
        return hidden
