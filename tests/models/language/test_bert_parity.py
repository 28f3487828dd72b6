"""Our BERT modules loaded from a Hugging Face BERT reproduce its outputs."""
import pytest
import torch

from smaug.models.heads import BertMLMHead
from smaug.models.language import BertMultimodalEncoder, BertTextEncoder
from .conftest import NUM_LAYERS, NUM_TEXT_LAYERS, TINY_ARCH


def build_from(checkpoint, **kwargs):
    """Text encoder, multimodal encoder and MLM head, initialised from
    ``checkpoint`` through ``init_cfg``, in eval mode."""
    init_cfg = dict(type='PretrainedBERT', checkpoint=str(checkpoint),
                    **kwargs)
    modules = (
        BertTextEncoder(TINY_ARCH, num_layers=NUM_TEXT_LAYERS,
                        init_cfg=init_cfg),
        BertMultimodalEncoder(TINY_ARCH, num_layers=NUM_LAYERS -
                              NUM_TEXT_LAYERS, encoder_width=48,
                              init_cfg=init_cfg),
        BertMLMHead(TINY_ARCH, init_cfg=init_cfg))
    for module in modules:
        module.init_weights()
        module.eval()
    return modules


def test_text_multimodal_and_mlm_head_match_hf(hf_bert, hf_bert_dir,
                                               text_batch):
    input_ids, attention_mask = text_batch
    text_encoder, multimodal_encoder, mlm_head = build_from(hf_bert_dir)
    with torch.no_grad():
        reference = hf_bert(input_ids=input_ids,
                            attention_mask=attention_mask,
                            output_hidden_states=True)
        text = text_encoder(input_ids, attention_mask)
        fused = multimodal_encoder(text, attention_mask, None)
        logits = mlm_head(fused)
    text_diff = (text - reference.hidden_states[NUM_TEXT_LAYERS]).abs().max()
    fused_diff = (fused - reference.hidden_states[NUM_LAYERS]).abs().max()
    mlm_diff = (logits - reference.prediction_logits).abs().max()
    print(f'max abs diff: text layers 1-{NUM_TEXT_LAYERS} {text_diff:.2e}, '
          f'multimodal layers {NUM_TEXT_LAYERS + 1}-{NUM_LAYERS} (no '
          f'cross-attention) {fused_diff:.2e}, MLM logits {mlm_diff:.2e}')
    assert text_diff < 1e-5
    assert fused_diff < 1e-5
    assert mlm_diff < 1e-5


def test_bin_file_with_old_names_and_tied_decoder(hf_bert, tmp_path,
                                                  text_batch):
    """pytorch_model.bin, LayerNorm gamma/beta, no decoder.weight (tied)."""
    state_dict = {
        key.replace('LayerNorm.weight', 'LayerNorm.gamma').replace(
            'LayerNorm.bias', 'LayerNorm.beta'): value
        for key, value in hf_bert.state_dict().items()
        if key != 'cls.predictions.decoder.weight'
    }
    assert any(key.endswith('gamma') for key in state_dict)
    torch.save(state_dict, tmp_path / 'pytorch_model.bin')
    text_encoder, _, mlm_head = build_from(tmp_path)
    torch.testing.assert_close(mlm_head.decoder.weight,
                               hf_bert.bert.embeddings.word_embeddings.weight)
    input_ids, attention_mask = text_batch
    with torch.no_grad():
        reference = hf_bert(input_ids=input_ids,
                            attention_mask=attention_mask,
                            output_hidden_states=True)
        text = text_encoder(input_ids, attention_mask)
    torch.testing.assert_close(text,
                               reference.hidden_states[NUM_TEXT_LAYERS],
                               atol=1e-5, rtol=0)


def test_cross_attention_is_new_and_used(hf_bert_dir, text_batch):
    input_ids, attention_mask = text_batch
    text_encoder, multimodal_encoder, _ = build_from(hf_bert_dir)
    layer = multimodal_encoder.layers[0]
    assert layer.cross_attn.key.weight.shape == (32, 48)
    # BERT's random init for the new blocks: N(0, 0.02), zero bias.
    assert 0.01 < layer.cross_attn.query.weight.std() < 0.03
    assert not layer.cross_attn.query.bias.any()
    visual = torch.randn(3, 5, 48)
    visual_mask = torch.ones(3, 5, dtype=torch.long)
    visual_mask[:, 3:] = 0
    with torch.no_grad():
        text = text_encoder(input_ids, attention_mask)
        plain = multimodal_encoder(text, attention_mask, None)
        fused = multimodal_encoder(text, attention_mask, visual, visual_mask)
        changed = visual.clone()
        changed[:, 3:] = 100.
        fused_masked_changed = multimodal_encoder(text, attention_mask,
                                                  changed, visual_mask)
    assert fused.shape == (3, 11, 32)
    assert (fused - plain).abs().max() > 1e-3
    torch.testing.assert_close(fused, fused_masked_changed)
    with pytest.raises(ValueError, match='encoder_width'):
        multimodal_encoder(text, attention_mask, torch.randn(3, 5, 40))


def test_missing_and_unexpected_keys(hf_bert, tmp_path, capsys):
    # 7 text layers do not exist in a 6-layer BERT.
    too_deep = BertTextEncoder(
        TINY_ARCH, num_layers=7,
        init_cfg=dict(type='PretrainedBERT', checkpoint=str(tmp_path / 'x')))
    state_dict = dict(hf_bert.state_dict())
    state_dict['bert.encoder.layer.0.adapter.weight'] = torch.zeros(2)
    torch.save(state_dict, tmp_path / 'x')
    with pytest.raises(KeyError, match='layers.6.ffn.fc1.weight'):
        too_deep.init_weights()
    head = BertMLMHead(
        TINY_ARCH,
        init_cfg=dict(type='PretrainedBERT', checkpoint=str(tmp_path / 'x')))
    with pytest.raises(KeyError, match='encoder.layer.0.adapter.weight'):
        head.init_weights()
    lenient = BertMLMHead(
        TINY_ARCH,
        init_cfg=dict(type='PretrainedBERT', checkpoint=str(tmp_path / 'x'),
                      strict=False))
    lenient.init_weights()
    torch.testing.assert_close(lenient.dense.weight,
                               hf_bert.cls.predictions.transform.dense.weight)
    wrong_size = BertTextEncoder(
        dict(TINY_ARCH, vocab_size=50), num_layers=2,
        init_cfg=dict(type='PretrainedBERT', checkpoint=str(tmp_path / 'x')))
    with pytest.raises(RuntimeError, match='does not fit BertTextEncoder'):
        wrong_size.init_weights()


def test_pretrained_bert_rejects_other_modules(tmp_path):
    from smaug.models.language import PretrainedBERTInit
    with pytest.raises(TypeError, match='bert_part'):
        PretrainedBERTInit(str(tmp_path))(torch.nn.Linear(2, 2))
    with pytest.raises(FileNotFoundError, match='none of'):
        build_from(tmp_path)
