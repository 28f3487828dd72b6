"""BertMLMHead: BERT's masking recipe and the loss."""
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from smaug.models.heads import BertMLMHead

ARCH = dict(hidden_size=16, num_heads=2, intermediate_size=32,
            vocab_size=1000)
MASK_ID = 4


def test_masking_statistics():
    head = BertMLMHead(ARCH)
    torch.manual_seed(0)
    input_ids = torch.randint(5, 1000, (400, 64))
    special = torch.zeros_like(input_ids, dtype=torch.bool)
    special[:, 0] = True  # [CLS]
    lengths = torch.randint(8, 64, (400, ))
    special[torch.arange(400), lengths] = True  # [SEP]
    special |= torch.arange(64)[None] > lengths[:, None]  # padding
    input_ids[torch.arange(64)[None] > lengths[:, None]] = 0
    torch.manual_seed(1)
    masked_ids, labels = head.mask_tokens(input_ids, special, 1000, MASK_ID)

    selected = labels != -100
    assert not selected[special].any()
    assert torch.equal(masked_ids[special], input_ids[special])
    assert torch.equal(masked_ids[~selected], input_ids[~selected])
    assert torch.equal(labels[selected], input_ids[selected])
    rate = selected.sum() / (~special).sum()
    to_mask = (masked_ids == MASK_ID)[selected].float().mean()
    kept = (masked_ids == input_ids)[selected].float().mean()
    random = 1 - to_mask - kept
    print(f'masked {rate:.4f} of {(~special).sum()} tokens: [MASK] '
          f'{to_mask:.4f}, random {random:.4f}, kept {kept:.4f}')
    assert abs(rate - 0.15) < 0.01
    assert abs(to_mask - 0.8) < 0.02
    assert abs(random - 0.1) < 0.02
    assert abs(kept - 0.1) < 0.02

    torch.manual_seed(1)
    again = head.mask_tokens(input_ids, special, 1000, MASK_ID)
    assert torch.equal(again[0], masked_ids) and torch.equal(
        again[1], labels)
    with pytest.raises(ValueError, match='special_tokens_mask'):
        head.mask_tokens(input_ids, special[:, 1:], 1000, MASK_ID)


def test_loss_ignores_unlabelled_tokens():
    torch.manual_seed(0)
    head = BertMLMHead(ARCH)
    head.init_weights()
    hidden = torch.randn(2, 5, 16, requires_grad=True)
    labels = torch.full((2, 5), -100)
    labels[0, 1], labels[1, 3] = 7, 9
    expected = F.cross_entropy(head(hidden).flatten(0, 1), labels.flatten(),
                               ignore_index=-100)
    torch.testing.assert_close(head.loss(hidden, labels), expected)
    empty = head.loss(hidden, torch.full((2, 5), -100))
    assert empty.item() == 0
    empty.backward()
    assert head.decoder.weight.grad is not None


def test_tied_decoder_belongs_to_the_embeddings():
    head = BertMLMHead(ARCH)
    embeddings = nn.Embedding(1000, 16)
    head.tie_weights(embeddings)
    assert head.decoder.weight is embeddings.weight
    before = embeddings.weight.detach().clone()
    head.init_weights()
    torch.testing.assert_close(embeddings.weight, before)
    assert 0.01 < head.dense.weight.std() < 0.03
    with pytest.raises(ValueError, match='cannot tie'):
        BertMLMHead(ARCH).tie_weights(nn.Embedding(10, 16))
    with pytest.raises(ValueError, match='mask_token_prob'):
        BertMLMHead(ARCH, mask_token_prob=0.95)
