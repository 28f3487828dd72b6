"""The pinned environment imports cleanly, also beside pycocotools.

mmpretrain enables its multimodal (BLIP, Flamingo...) code when pycocotools
is installed, and that code crashes at import under transformers 4.57 and
5.x. A user's environment may well have pycocotools, so the test makes it
look installed (a distribution record plus stub modules) and imports
mmpretrain's models and datasets and smaug in a fresh interpreter.
"""
import subprocess
import sys


def make_fake_pycocotools(root):
    """Write a stub pycocotools package with distribution metadata.

    Args:
        root (Path): Folder that goes on ``sys.path``.
    """
    package = root / 'pycocotools'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'coco.py').write_text('class COCO:\n    pass\n')
    (package / 'cocoeval.py').write_text('class COCOeval:\n    pass\n')
    (package / 'mask.py').write_text('')
    dist_info = root / 'pycocotools-2.0.11.dist-info'
    dist_info.mkdir()
    (dist_info / 'METADATA').write_text(
        'Metadata-Version: 2.1\nName: pycocotools\nVersion: 2.0.11\n')


def test_imports_with_pycocotools_present(tmp_path):
    make_fake_pycocotools(tmp_path)
    code = ('from mmpretrain.utils.dependency import WITH_MULTIMODAL\n'
            'assert WITH_MULTIMODAL, "multimodal path not exercised"\n'
            'import mmpretrain.models, mmpretrain.datasets\n'
            'import smaug.models, smaug.datasets, smaug.evaluation\n')
    result = subprocess.run([sys.executable, '-c', code],
                            env={'PYTHONPATH': str(tmp_path),
                                 'PATH': '/usr/bin:/bin'},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]


def test_numpy_keeps_what_mmpretrain_needs():
    import numpy as np
    assert hasattr(np, 'in1d'), 'numpy >= 2.4 removed np.in1d'


def test_only_the_mmcv_lite_op_warning_is_silenced(repo_root, tool_env):
    """A command that builds models prints no MultiScaleDeformableAttention
    warning (mmcv-lite lacks the op; smaug never uses it), while any other
    warning still reaches the user."""
    tool = repo_root / 'tools' / 'model_converters' / 'clip_to_smaug.py'
    result = subprocess.run([sys.executable, str(tool), '--help'],
                            env=tool_env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert 'MultiScaleDeformableAttention' not in result.stderr
    code = ('import warnings\nimport smaug\nimport mmpretrain.models\n'
            'warnings.warn("another warning")\n')
    result = subprocess.run([sys.executable, '-c', code], env=tool_env,
                            capture_output=True, text=True, timeout=120)
    assert 'another warning' in result.stderr
    assert 'MultiScaleDeformableAttention' not in result.stderr
