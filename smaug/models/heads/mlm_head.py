"""Masked language modelling: token masking and BERT's prediction head."""
import torch
from torch import nn
from torch.nn import functional as F

from smaug.models.language.bert_arch import resolve_bert_arch
from smaug.models.language.bert_module import BertBaseModule
from smaug.registry import MODELS


@MODELS.register_module()
class BertMLMHead(BertBaseModule):
    """BERT's MLM head (dense -> GELU -> LayerNorm -> decoder) and its
    80/10/10 masking (paper Appendix C: 15% of the caption tokens).

    :meth:`tie_weights` shares the decoder weight with the word embeddings,
    as BERT; a tied weight is left to the text encoder's initialisation.

    Args:
        arch (str | dict): BERT size (``resolve_bert_arch``). Defaults to
            ``'base'``.
        mask_prob (float): Share of (non-special) tokens to predict.
            Defaults to 0.15.
        mask_token_prob (float): Of those, replaced by [MASK]. Defaults to 0.8.
        random_token_prob (float): Of those, replaced by a random token.
            Defaults to 0.1.
        init_cfg (dict | list[dict], optional): e.g. ``PretrainedBERT``
            (loads ``cls.predictions``).
    """
    bert_part = 'mlm_head'

    def __init__(self, arch='base', mask_prob=0.15, mask_token_prob=0.8,
                 random_token_prob=0.1, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if not (0 <= mask_prob <= 1 and mask_token_prob >= 0
                and random_token_prob >= 0
                and mask_token_prob + random_token_prob <= 1):
            raise ValueError(
                'smaug/models/heads/mlm_head.py: need 0 <= mask_prob <= 1 and '
                'mask_token_prob + random_token_prob <= 1 (both >= 0), got '
                f'{mask_prob}, {mask_token_prob}, {random_token_prob}.')
        settings = resolve_bert_arch(arch)
        hidden_size = settings['hidden_size']
        self.mask_prob = mask_prob
        self.mask_token_prob = mask_token_prob
        self.random_token_prob = random_token_prob
        self.dense = nn.Linear(hidden_size, hidden_size)
        self.norm = nn.LayerNorm(hidden_size, eps=settings['layer_norm_eps'])
        self.decoder = nn.Linear(hidden_size, settings['vocab_size'])
        self.tied_weights = False

    def tie_weights(self, word_embeddings):
        """Share the decoder weight with ``word_embeddings`` (nn.Embedding)."""
        if word_embeddings.weight.shape != self.decoder.weight.shape:
            raise ValueError(
                'smaug/models/heads/mlm_head.py: cannot tie the decoder '
                f'{tuple(self.decoder.weight.shape)} to word embeddings '
                f'{tuple(word_embeddings.weight.shape)}.')
        self.decoder.weight = word_embeddings.weight
        self.tied_weights = True

    def init_weights(self):
        """BERT's init and ``init_cfg``, except a tied decoder weight."""
        shared = self.decoder.weight.detach().clone() \
            if self.tied_weights else None
        super().init_weights()
        if shared is not None:
            with torch.no_grad():
                self.decoder.weight.copy_(shared)

    def forward(self, hidden):
        """(..., D) hidden states -> (..., vocab_size) logits."""
        return self.decoder(self.norm(F.gelu(self.dense(hidden))))

    def mask_tokens(self, input_ids, special_tokens_mask, vocab_size,
                    mask_token_id):
        """Choose the tokens to predict and corrupt them (torch's global RNG).

        Args:
            input_ids (Tensor): (B, P) token ids.
            special_tokens_mask (Tensor): (B, P), nonzero at [CLS], [SEP] and
                padding, never masked.
            vocab_size (int): Random replacements are below it.
            mask_token_id (int): Id of [MASK].

        Returns:
            tuple[Tensor, Tensor]: corrupted ids (B, P) and labels (B, P): the
            original id where predicted, -100 elsewhere.
        """
        if special_tokens_mask.shape != input_ids.shape:
            raise ValueError(
                'smaug/models/heads/mlm_head.py: special_tokens_mask has '
                f'shape {tuple(special_tokens_mask.shape)}, input_ids '
                f'{tuple(input_ids.shape)}.')
        probs = torch.full(input_ids.shape, self.mask_prob,
                           device=input_ids.device)
        probs.masked_fill_(special_tokens_mask.bool(), 0.)
        selected = torch.bernoulli(probs).bool()
        labels = input_ids.masked_fill(~selected, -100)
        roll = torch.rand(input_ids.shape, device=input_ids.device)
        to_mask = selected & (roll < self.mask_token_prob)
        to_random = selected & (roll >= self.mask_token_prob) & (
            roll < self.mask_token_prob + self.random_token_prob)
        random_ids = torch.randint_like(input_ids, vocab_size)
        masked_ids = input_ids.masked_fill(to_mask, mask_token_id)
        masked_ids = torch.where(to_random, random_ids, masked_ids)
        return masked_ids, labels

    @staticmethod
    def labelled_index(labels):
        """(n,) flat indices of the labelled tokens of (B, P) ``labels``: a
        host-device sync (n depends on the data), best made at a step's start.
        """
        return (labels.flatten() != -100).nonzero().squeeze(1)

    def loss(self, hidden, labels, labelled=None):
        """Cross-entropy at the labelled positions; only those go through the
        vocabulary-sized decoder.

        Args:
            hidden (Tensor): (B, P, D) multimodal encoder output.
            labels (Tensor): (B, P) from :meth:`mask_tokens`.
            labelled (Tensor, optional): :meth:`labelled_index`; computed when
                None.

        Returns:
            Tensor: Scalar; 0 (on the graph) when no token is labelled.
        """
        if labelled is None:
            labelled = self.labelled_index(labels)
        logits = self(hidden.flatten(0, 1)[labelled])
        if logits.shape[0] == 0:
            return logits.sum() * 0.
        return F.cross_entropy(logits, labels.flatten()[labelled])
