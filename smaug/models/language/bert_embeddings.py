"""BERT's input embeddings: word + position + token type -> LayerNorm."""
import torch
from torch import nn


class BertEmbeddings(nn.Module):
    """BERT's word + position + token type embeddings, then LayerNorm
    and dropout; token type 0 unless ``token_type_ids`` are given.

    Args:
        vocab_size (int): Word pieces.
        hidden_size (int): Width.
        max_position_embeddings (int): Longest sequence.
        type_vocab_size (int): Token types.
        pad_token_id (int): [PAD], whose embedding gets no gradient.
        layer_norm_eps (float): LayerNorm epsilon.
        dropout (float): Dropout after the LayerNorm.
    """

    def __init__(self, vocab_size, hidden_size, max_position_embeddings,
                 type_vocab_size, pad_token_id, layer_norm_eps, dropout):
        super().__init__()
        self.word_embeddings = nn.Embedding(
            vocab_size, hidden_size, padding_idx=pad_token_id)
        self.position_embeddings = nn.Embedding(max_position_embeddings,
                                                hidden_size)
        self.token_type_embeddings = nn.Embedding(type_vocab_size,
                                                  hidden_size)
        self.norm = nn.LayerNorm(hidden_size, eps=layer_norm_eps)
        self.dropout = nn.Dropout(dropout)

    def forward(self, input_ids, token_type_ids=None):
        """Embed ``input_ids`` (B, P) into (B, P, D)."""
        length = input_ids.shape[1]
        if length > self.position_embeddings.num_embeddings:
            raise ValueError(
                'smaug/models/language/bert_embeddings.py: input_ids has '
                f'{length} tokens, more than max_position_embeddings='
                f'{self.position_embeddings.num_embeddings}.')
        positions = torch.arange(length, device=input_ids.device)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        embeddings = (
            self.word_embeddings(input_ids) +
            self.token_type_embeddings(token_type_ids) +
            self.position_embeddings(positions))
        return self.dropout(self.norm(embeddings))
