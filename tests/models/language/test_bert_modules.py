"""BERT building blocks: arch settings, masks, checkpointing, registry."""
import pytest
import torch

from smaug.models.language import (BertMultimodalEncoder, BertTextEncoder,
                                   resolve_bert_arch)
from smaug.registry import MODELS
from .conftest import TINY_ARCH


def test_resolve_bert_arch():
    assert resolve_bert_arch('base')['hidden_size'] == 768
    tiny = resolve_bert_arch(dict(hidden_size=32, num_heads=4,
                                  intermediate_size=64))
    assert tiny['vocab_size'] == 30522 and tiny['hidden_size'] == 32
    with pytest.raises(ValueError, match='unknown BERT arch'):
        resolve_bert_arch('huge')
    with pytest.raises(ValueError, match=r"missing \['intermediate_size'\]"):
        resolve_bert_arch(dict(hidden_size=32, num_heads=4))
    with pytest.raises(ValueError, match=r"unknown \['hiden'\]"):
        resolve_bert_arch(dict(TINY_ARCH, hiden=3))
    with pytest.raises(ValueError, match='divisible'):
        resolve_bert_arch(dict(TINY_ARCH, num_heads=5))
    with pytest.raises(ValueError, match='num_layers'):
        BertTextEncoder(TINY_ARCH, num_layers=0)


def test_padding_does_not_change_real_tokens():
    encoder = BertTextEncoder(TINY_ARCH, num_layers=2)
    encoder.init_weights()
    encoder.eval()
    ids = torch.randint(5, 100, (1, 6))
    padded = torch.cat([ids, torch.zeros(1, 4, dtype=torch.long)], dim=1)
    mask = torch.cat([torch.ones(1, 6), torch.zeros(1, 4)], dim=1).long()
    with torch.no_grad():
        short = encoder(ids, torch.ones_like(ids))
        long = encoder(padded, mask)
    torch.testing.assert_close(long[:, :6], short, atol=1e-6, rtol=0)
    with pytest.raises(ValueError, match='max_position_embeddings'):
        encoder(torch.zeros(1, 65, dtype=torch.long),
                torch.ones(1, 65, dtype=torch.long))


def test_activation_checkpointing_same_outputs_and_grads():
    arch = dict(TINY_ARCH, dropout=0.)
    torch.manual_seed(0)
    plain = BertMultimodalEncoder(arch, num_layers=2, encoder_width=16)
    plain.init_weights()
    checkpointed = BertMultimodalEncoder(arch, num_layers=2, encoder_width=16,
                                         with_cp=True)
    checkpointed.load_state_dict(plain.state_dict())
    text = torch.randn(2, 5, 32)
    visual = torch.randn(2, 7, 16)
    mask = torch.ones(2, 5)
    outputs = []
    for module in (plain, checkpointed):
        module.train()
        out = module(text, mask, visual)
        out.square().sum().backward()
        outputs.append((out, [p.grad.clone() for p in module.parameters()]))
    torch.testing.assert_close(outputs[0][0], outputs[1][0])
    for plain_grad, cp_grad in zip(outputs[0][1], outputs[1][1]):
        torch.testing.assert_close(plain_grad, cp_grad)


def test_built_from_config_with_random_init():
    encoder = MODELS.build(
        dict(type='BertTextEncoder', arch='tiny', num_layers=2))
    encoder.init_weights()
    assert isinstance(encoder, BertTextEncoder)
    assert encoder.embed_dims == 32 and len(encoder.layers) == 2
    assert not encoder.embeddings.word_embeddings.weight[0].any()  # [PAD]
    assert 0.01 < encoder.layers[0].ffn.fc1.weight.std() < 0.03
    multimodal = MODELS.build(
        dict(type='BertMultimodalEncoder', arch='tiny', num_layers=1,
             encoder_width=24))
    assert multimodal.layers[0].cross_attn.value.in_features == 24
