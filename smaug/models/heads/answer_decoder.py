"""The answer decoder of open-ended video QA: causal BERT layers that
cross-attend to the multimodal encoder's output."""
import torch

from smaug.models.language.bert_attention import padding_to_attn_mask
from smaug.models.language.bert_layer_stack import BertLayerStack
from smaug.registry import MODELS


@MODELS.register_module()
class BertAnswerDecoder(BertLayerStack):
    """BERT layers with causal self-attention, then cross-attention to the
    fused question-video states of Q_m, then the FFN (ALBEF's and
    Singularity's answer decoder, paper Sec. 4.1).

    The layers have Q_m's shape (cross-attention keys of the hidden size, as
    Q_m's output is text-width), so they start as a copy of Q_m: from BERT,
    ``init_cfg=dict(type='PretrainedBERT', ...)`` loads BERT's last
    ``num_layers`` layers exactly as for Q_m (``bert_part`` is
    ``'multimodal'``; the cross-attention is new); from a SMAUG pre-training
    checkpoint, :class:`~smaug.models.algorithms.SMAUGQA` copies Q_m's layers
    (see :func:`~smaug.models.algorithms.smaug_qa.pretrain_to_qa_state_dict`).

    The decoder takes embedded tokens and returns hidden states; the word
    embeddings and the LM head belong to the algorithm.

    Args:
        arch (str | dict): BERT size, see
            :func:`~smaug.models.language.bert_arch.resolve_bert_arch`.
            Defaults to ``'base'``.
        num_layers (int): Number of layers. Defaults to 3 (Q_m's).
        with_cp (bool): Activation checkpointing per layer. Defaults to False.
        init_cfg (dict | list[dict], optional): e.g.
            ``dict(type='PretrainedBERT', checkpoint='bert-base-uncased')``.
    """
    bert_part = 'multimodal'

    def __init__(self, arch='base', num_layers=3, with_cp=False,
                 init_cfg=None):
        super().__init__(arch, num_layers, init_cfg=init_cfg)
        self.layers = self.make_layers(self.embed_dims, with_cp)

    def forward(self, token_embeds, token_mask, context, context_mask):
        """Decode a batch of (partial) answers.

        Args:
            token_embeds (Tensor): (n, L, D) embedded answer tokens, [CLS]
                first.
            token_mask (Tensor | None): (n, L), 1 for tokens, 0 for padding
                (which must come last); None when nothing is padded.
            context (Tensor): (n, P, D) the multimodal encoder's output.
            context_mask (Tensor): (n, P) attention mask of ``context``.

        Returns:
            Tensor: (n, L, D); position t has seen tokens 0..t only.
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
