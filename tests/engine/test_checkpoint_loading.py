"""Checkpoints load weights-only unless the user opts in."""
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.model import BaseModule
from mmengine.runner.checkpoint import _load_checkpoint

from smaug.engine.checkpoint_loading import (TRUST_ENV_VAR,
                                             UntrustedCheckpointError,
                                             load_local_checkpoint)


class WritesMarkerWhenUnpickled:
    """Unpickling this object creates a file: stands for arbitrary code."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, 'w'))


@pytest.fixture
def malicious_checkpoint(tmp_path):
    """A checkpoint whose unpickling would create ``marker``."""
    marker = tmp_path / 'code_ran'
    path = tmp_path / 'malicious.pth'
    torch.save({'state_dict': {'weight': torch.ones(2)},
                'payload': WritesMarkerWhenUnpickled(marker)}, path)
    return path, marker


@pytest.fixture(autouse=True)
def untrusted(monkeypatch):
    """Run every test without the trust opt-in unless it sets it."""
    monkeypatch.delenv(TRUST_ENV_VAR, raising=False)


def test_load_from_refuses_code_in_pickle(malicious_checkpoint):
    path, marker = malicious_checkpoint
    with pytest.raises(UntrustedCheckpointError, match='--trust-checkpoint'):
        _load_checkpoint(str(path), map_location='cpu')
    assert not marker.exists()


def test_init_cfg_pretrained_refuses_code_in_pickle(malicious_checkpoint):
    path, marker = malicious_checkpoint

    class Tiny(BaseModule):

        def __init__(self):
            super().__init__(
                init_cfg=dict(type='Pretrained', checkpoint=str(path)))
            self.weight = torch.nn.Parameter(torch.zeros(2))

    with pytest.raises(UntrustedCheckpointError):
        Tiny().init_weights()
    assert not marker.exists()


def test_trust_opt_in_loads_pickled_objects(malicious_checkpoint, monkeypatch):
    path, marker = malicious_checkpoint
    monkeypatch.setenv(TRUST_ENV_VAR, '1')
    load_local_checkpoint(str(path))
    assert marker.exists()


def test_mmengine_objects_load_weights_only(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(1.5)
    path = tmp_path / 'own.pth'
    torch.save({'message_hub': {'log_scalars': {'loss': buffer}},
                'meta': {'seed': 3}}, path)
    loaded = load_local_checkpoint(str(path))
    assert loaded['message_hub']['log_scalars']['loss'].mean() == 1.5


def test_getattr_stand_in_refuses_other_attributes(tmp_path):

    class ReachesOtherAttribute:

        def __reduce__(self):
            return (getattr, (HistoryBuffer, '__init__'))

    path = tmp_path / 'getattr.pth'
    torch.save({'payload': ReachesOtherAttribute()}, path)
    with pytest.raises(UntrustedCheckpointError):
        load_local_checkpoint(str(path))


def test_missing_checkpoint_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.pth'):
        load_local_checkpoint(str(tmp_path / 'nothing.pth'))
