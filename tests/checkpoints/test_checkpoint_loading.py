"""Checkpoints load weights-only unless the user opts in; files that are
not checkpoints, or damaged ones, are named as such, not as untrusted;
mmengine's own loader changes only when smaug is asked to change it."""
import pickle
import re
import subprocess
import sys
import zipfile

import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.model import BaseModel, BaseModule
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint

from smaug.checkpoints.checkpoint_loading import (
    UnreadableCheckpointError, UntrustedCheckpointError, load_local_checkpoint,
    use_weights_only_loader)
from smaug.engine import SMAUGRunner

import media_files


class WritesMarkerWhenUnpickled:
    """Unpickling this object creates a file: stands for arbitrary code."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, 'w'))


class TinyModel(BaseModel):
    """One weight, the weight of the malicious checkpoint."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(2))

    def forward(self, *args, **kwargs):
        return {}


@pytest.fixture
def malicious_checkpoint(tmp_path):
    """A checkpoint whose unpickling would create ``marker``."""
    marker = tmp_path / 'code_ran'
    path = tmp_path / 'malicious.pth'
    torch.save({'state_dict': {'weight': torch.ones(2)},
                'payload': WritesMarkerWhenUnpickled(marker)}, path)
    return path, marker


@pytest.fixture(autouse=True)
def weights_only_loader():
    """Every test with mmengine's local loader made weights-only, as the
    runner makes it; mmengine's own loader is put back afterwards."""
    original = CheckpointLoader._schemes['']
    use_weights_only_loader()
    yield
    CheckpointLoader.register_scheme(prefixes='', loader=original, force=True)


def test_importing_smaug_keeps_mmengine_loader():
    code = ('import smaug, smaug.apis, smaug.engine, smaug.models\n'
            'from mmengine.runner.checkpoint import (CheckpointLoader,\n'
            '                                        load_from_local)\n'
            "assert CheckpointLoader._schemes[''] is load_from_local\n")
    subprocess.run([sys.executable, '-c', code], check=True)


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


def test_trust_opt_in_loads_pickled_objects(malicious_checkpoint):
    path, marker = malicious_checkpoint
    load_local_checkpoint(str(path), trust=True)
    assert marker.exists()


@pytest.mark.parametrize('trust', [False, True])
def test_runner_loads_weights_only_unless_config_trusts(
        malicious_checkpoint, tmp_path, trust):
    path, marker = malicious_checkpoint
    CheckpointLoader.register_scheme(
        prefixes='', force=True,
        loader=lambda filename, map_location: torch.load(
            filename, map_location, weights_only=False))
    runner = SMAUGRunner(model=TinyModel(), work_dir=str(tmp_path / 'work'),
                         load_from=str(path), default_scope='smaug',
                         cfg=dict(trust_checkpoint=trust))
    assert runner.trust_checkpoint is trust
    if trust:
        runner.load_or_resume()
        assert marker.exists()
        assert torch.equal(runner.model.weight, torch.ones(2))
        return
    with pytest.raises(UntrustedCheckpointError):
        runner.load_or_resume()
    with pytest.raises(UntrustedCheckpointError):
        _load_checkpoint(str(path), map_location='cpu')
    assert not marker.exists()


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


def truncated(path):
    """Write a real checkpoint to ``path``, then keep its first half."""
    torch.save({'state_dict': {'weight': torch.ones(64)}}, path)
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])


def legacy_truncated(path):
    """The same with PyTorch's pre-1.6 (non-zip) format."""
    torch.save({'state_dict': {'weight': torch.ones(64)}}, path,
               _use_new_zipfile_serialization=False)
    path.write_bytes(path.read_bytes()[:40])


def other_zip(path):
    """A zip archive that is not a checkpoint."""
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr('notes.txt', 'not weights')


NOT_CHECKPOINTS = {
    'empty': ('model.pth', lambda path: path.write_bytes(b''),
              'it is empty'),
    'text': ('model.pth', lambda path: path.write_text('epoch 3, loss 1\n'),
             "it is not a PyTorch checkpoint .*b'epoch 3,'"),
    'json': ('model.json', lambda path: path.write_text('{"weights": []}'),
             'it is not a PyTorch checkpoint'),
    'video': ('clip.mp4', media_files.write_video,
              'it is not a PyTorch checkpoint'),
    'image': ('frame.jpg', media_files.write_image,
              'it is not a PyTorch checkpoint'),
    'plain pickle': ('model.pkl',
                     lambda path: path.write_bytes(pickle.dumps({'a': 1})),
                     'it is not a PyTorch checkpoint'),
    'zip': ('model.zip', other_zip,
            'it is a zip archive but not a PyTorch checkpoint'),
    'truncated': ('model.pth', truncated, 'it is truncated'),
    'truncated legacy': ('model.pth', legacy_truncated,
                         'it is damaged or truncated'),
}


@pytest.mark.parametrize('kind', NOT_CHECKPOINTS)
def test_files_that_are_not_checkpoints_are_named_so(tmp_path, kind):
    name, make, reason = NOT_CHECKPOINTS[kind]
    path = tmp_path / name
    make(path)
    with pytest.raises(UnreadableCheckpointError,
                       match=f'Cannot load {re.escape(str(path))} as a '
                       f'checkpoint: {reason}'):
        _load_checkpoint(str(path), map_location='cpu')
