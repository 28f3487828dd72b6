"""BertAnswerDecoder: causal, padding-safe, initialised like Q_m."""
import pytest
import torch
from mmengine.registry import init_default_scope

from smaug.models.heads import BertAnswerDecoder
from smaug.models.language import BertMultimodalEncoder

ARCH = dict(hidden_size=32, num_heads=4, intermediate_size=64,
            vocab_size=60, max_position_embeddings=32)


@pytest.fixture
def decoder():
    torch.manual_seed(0)
    module = BertAnswerDecoder(arch=ARCH, num_layers=2)
    module.init_weights()
    return module.eval()


def test_position_sees_only_earlier_tokens(decoder):
    tokens = torch.randn(2, 6, 32)
    context = torch.randn(2, 5, 32)
    context_mask = torch.ones(2, 5, dtype=torch.long)
    out = decoder(tokens, None, context, context_mask)
    changed = tokens.clone()
    changed[:, 3:] = torch.randn(2, 3, 32)
    out_changed = decoder(changed, None, context, context_mask)
    assert torch.allclose(out[:, :3], out_changed[:, :3], atol=1e-5)
    assert not torch.allclose(out[:, 3:], out_changed[:, 3:], atol=1e-3)


def test_padding_and_context_mask(decoder):
    tokens = torch.randn(1, 4, 32)
    context = torch.randn(1, 5, 32)
    padded = torch.cat([tokens, torch.randn(1, 3, 32)], dim=1)
    token_mask = torch.tensor([[1, 1, 1, 1, 0, 0, 0]])
    full = torch.ones(1, 5, dtype=torch.long)
    out = decoder(tokens, None, context, full)
    out_padded = decoder(padded, token_mask, context, full)
    assert torch.allclose(out, out_padded[:, :4], atol=1e-5)
    # masked context tokens are ignored; unmasked ones matter
    context_mask = torch.tensor([[1, 1, 1, 0, 0]])
    out_masked = decoder(tokens, None, context, context_mask)
    other = context.clone()
    other[:, 3:] = torch.randn(1, 2, 32)
    assert torch.allclose(out_masked,
                          decoder(tokens, None, other, context_mask),
                          atol=1e-5)
    assert not torch.allclose(out_masked, out, atol=1e-3)


def test_context_width_is_checked(decoder):
    with pytest.raises(ValueError, match='answer_decoder.py'):
        decoder(torch.randn(1, 3, 32), None, torch.randn(1, 2, 16),
                torch.ones(1, 2))


def test_pretrained_bert_init_matches_the_multimodal_encoder(tmp_path):
    transformers = pytest.importorskip('transformers')
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=ARCH['vocab_size'], hidden_size=32, num_hidden_layers=3,
        num_attention_heads=4, intermediate_size=64,
        max_position_embeddings=32)
    transformers.BertForPreTraining(config).save_pretrained(tmp_path)
    init_cfg = dict(type='PretrainedBERT', checkpoint=str(tmp_path))
    init_default_scope('smaug')
    decoder = BertAnswerDecoder(arch=ARCH, num_layers=2, init_cfg=init_cfg)
    encoder = BertMultimodalEncoder(arch=ARCH, num_layers=2,
                                    encoder_width=32, init_cfg=init_cfg)
    decoder.init_weights()
    encoder.init_weights()
    encoder_params = dict(encoder.named_parameters())
    for name, param in decoder.named_parameters():
        same = torch.equal(param, encoder_params[name])
        if 'cross_attn' not in name:  # BERT's layers 2 and 3, in both
            assert same, name
        elif name.endswith('.weight') and '.norm.' not in name:
            assert not same, name  # new: BERT's random initialisation
