"""tools/model_converters/bert_to_smaug.py and loading its output."""
import runpy
import sys

import pytest
import torch

from smaug.models.language import BertMultimodalEncoder, BertTextEncoder
from .conftest import NUM_LAYERS, NUM_TEXT_LAYERS, TINY_ARCH


def run_converter(repo_root, monkeypatch, *args):
    """Run the converter in this process as its command line would."""
    script = repo_root / 'tools' / 'model_converters' / 'bert_to_smaug.py'
    monkeypatch.setattr(sys, 'argv', [str(script), *map(str, args)])
    runpy.run_path(str(script), run_name='__main__')


def test_convert_then_load_with_mmengine_pretrained(
        hf_bert, hf_bert_dir, tmp_path, repo_root, monkeypatch, capsys,
        text_batch):
    out = tmp_path / 'converted' / 'bert_smaug.pth'
    run_converter(repo_root, monkeypatch, hf_bert_dir, out,
                  '--num-text-layers', NUM_TEXT_LAYERS)
    printed = capsys.readouterr().out
    assert "missing: []" in printed and "unexpected: []" in printed
    checkpoint = torch.load(out, weights_only=True)
    prefixes = {key.split('.')[0] for key in checkpoint['state_dict']}
    assert prefixes == {'text_encoder', 'multimodal_encoder', 'mlm_head'}

    text_encoder = BertTextEncoder(
        TINY_ARCH, num_layers=NUM_TEXT_LAYERS,
        init_cfg=dict(type='Pretrained', checkpoint=str(out),
                      prefix='text_encoder.'))
    multimodal_encoder = BertMultimodalEncoder(
        TINY_ARCH, num_layers=NUM_LAYERS - NUM_TEXT_LAYERS, encoder_width=32,
        init_cfg=dict(type='Pretrained', checkpoint=str(out),
                      prefix='multimodal_encoder.'))
    input_ids, attention_mask = text_batch
    with torch.no_grad():
        for module in (text_encoder, multimodal_encoder):
            module.init_weights()
            module.eval()
        fused = multimodal_encoder(text_encoder(input_ids, attention_mask),
                                   attention_mask, None)
        reference = hf_bert.bert(
            input_ids=input_ids,
            attention_mask=attention_mask).last_hidden_state
    torch.testing.assert_close(fused, reference, atol=1e-5, rtol=0)


def test_converter_refuses_bad_input(hf_bert, hf_bert_dir, tmp_path,
                                     repo_root, monkeypatch):
    with pytest.raises(SystemExit, match='num-text-layers'):
        run_converter(repo_root, monkeypatch, hf_bert_dir,
                      tmp_path / 'a.pth', '--num-text-layers', NUM_LAYERS)
    partial = {
        key: value
        for key, value in hf_bert.state_dict().items()
        if 'layer.5.output.dense' not in key
    }
    torch.save(partial, tmp_path / 'partial.bin')
    with pytest.raises(SystemExit, match='--allow-missing'):
        run_converter(repo_root, monkeypatch, tmp_path / 'partial.bin',
                      tmp_path / 'b.pth', '--num-text-layers', 4)
    assert not (tmp_path / 'b.pth').exists()
    run_converter(repo_root, monkeypatch, tmp_path / 'partial.bin',
                  tmp_path / 'b.pth', '--num-text-layers', 4,
                  '--allow-missing')
    assert (tmp_path / 'b.pth').exists()


def test_missing_source_is_a_clear_error(tmp_path):
    from smaug.models.language import load_bert_state_dict
    with pytest.raises(FileNotFoundError, match='bert_weights.py'):
        load_bert_state_dict(str(tmp_path / 'nowhere'))
