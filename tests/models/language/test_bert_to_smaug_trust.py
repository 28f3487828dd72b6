"""tools/model_converters/bert_to_smaug.py reads its input weights-only."""
import argparse
import sys

import torch

from trust_checks import assert_refused_unless_trusted


def test_pickled_objects_need_trust(hf_bert, tmp_path, repo_root):
    src, dst = tmp_path / 'pytorch_model.bin', tmp_path / 'bert_smaug.pth'
    weights = dict(hf_bert.state_dict())
    weights['training_args'] = argparse.Namespace(epochs=3)
    torch.save(weights, src)
    command = [sys.executable,
               str(repo_root / 'tools' / 'model_converters' /
                   'bert_to_smaug.py'), str(src), str(dst),
               '--num-text-layers', '4', '--allow-missing']
    assert_refused_unless_trusted(command, dst)
    converted = torch.load(dst, weights_only=True)['state_dict']
    assert any(key.startswith('text_encoder.') for key in converted)
