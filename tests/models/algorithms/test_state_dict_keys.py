"""Checkpoints keep loading: every algorithm of the tiny config has the
parameter names and shapes recorded in
tests/fixtures/tiny_state_dict_keys.json (written from the models as they
were before the algorithms were restructured)."""
import json
from pathlib import Path

import pytest

from tiny_smaug import REPO_ROOT, build_tiny_smaug, write_vocab

FIXTURES = Path(__file__).resolve().parents[2] / 'fixtures'

RECORDED = json.loads((FIXTURES / 'tiny_state_dict_keys.json').read_text())
QA_CONFIG = REPO_ROOT / 'configs' / '_base_' / 'models' / 'smaug_qa_tiny.py'
BUILDS = {
    'SMAUGPretrain': dict(),
    'SMAUGRetrieval': dict(type='SMAUGRetrieval', mlm_head=None,
                           mvm_head=None),
    'SMAUGMultipleChoice': dict(type='SMAUGMultipleChoice', mlm_head=None,
                                mvm_head=None),
    'SMAUGQA': dict(config=QA_CONFIG),
}


@pytest.mark.parametrize('name', sorted(BUILDS))
def test_state_dict_keys_and_shapes_are_the_recorded_ones(name, tmp_path):
    model = build_tiny_smaug(write_vocab(tmp_path / 'vocab.txt'),
                             **BUILDS[name])
    assert type(model).__name__ == name
    shapes = {key: list(value.shape)
              for key, value in model.state_dict().items()}
    assert shapes == RECORDED[name]
