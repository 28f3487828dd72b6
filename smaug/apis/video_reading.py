"""Reading video files for inference exactly as a config's test set does:
the one clip reader of smaug's APIs and tools (embedding and search, the
figure tools of ``tools/analysis``).

A clip is read by the config's test pipeline (:func:`inference_pipeline_cfg`)
with :func:`read_clip`. A config that names a model without datasets (e.g. a
backbone config for ``visualize_sparsification.py``) is read with
:func:`standard_test_pipeline_cfg`, the test transforms that smaug's dataset
configs write.
"""
import copy

from mmengine.dataset import Compose
from torch.utils.data import Dataset

from smaug.datasets.transforms import BadMediaError
from smaug.registry import TRANSFORMS


def _dataset_pipeline(dataset_cfg):
    """The ``pipeline`` of a dataset config, looking inside wrappers
    (``dataset=`` of RepeatDataset and the like, the first of ``datasets=``
    of ConcatDataset)."""
    while dataset_cfg is not None:
        if 'pipeline' in dataset_cfg:
            return dataset_cfg['pipeline']
        inner = dataset_cfg.get('datasets')
        dataset_cfg = inner[0] if inner else dataset_cfg.get('dataset')
    return None


#: Frames per clip of :func:`standard_test_pipeline_cfg` unless given.
DEFAULT_NUM_FRAMES = 4


def standard_test_pipeline_cfg(num_frames, size):
    """smaug's test-time video transforms, as the ``test_pipeline`` of the
    dataset configs (``configs/_base_/datasets``) writes them: decord (else
    PyAV), ``num_frames`` frames from the middles of equal segments, each
    resized to ``size`` x ``size`` (bicubic), packed.

    Args:
        num_frames (int): Frames per clip, K.
        size (int): Frame side in pixels (the backbone's ``img_size``).

    Returns:
        list[dict]: Transform configs.
    """
    return [
        dict(type='DecordInit'),
        dict(type='SampleClipFrames', num_frames=num_frames, test_mode=True),
        dict(type='DecordDecode'),
        dict(type='ClipResize', scale=(size, size), interpolation='bicubic'),
        dict(type='PackVideoTextInputs'),
    ]


def inference_pipeline_cfg(cfg, num_frames=None, default_size=None):
    """The config's test-time video pipeline, optionally with another
    frame count.

    The pipeline is that of ``test_dataloader.dataset`` (else
    ``val_dataloader.dataset``): video reading (decord, else PyAV),
    test-time frame sampling (segment middles), resizing, packing. It receives
    ``dict(video_path=...)``.

    Args:
        cfg (mmengine.Config): A full config (the ``cfg`` that
            :func:`smaug.apis.init_model` attaches to the model).
        num_frames (int, optional): Frames per clip; replaces the
            ``num_frames`` of the pipeline's frame-sampling step. None keeps
            the config's.
        default_size (int, optional): For a config without a test or val
            pipeline: read with :func:`standard_test_pipeline_cfg` at this
            frame side (and ``num_frames``, else
            :data:`DEFAULT_NUM_FRAMES`). None makes that an error.

    Returns:
        list[dict]: Transform configs.

    Raises:
        KeyError: When the config has no test or val pipeline and no
            ``default_size`` is given, or ``num_frames`` is given and no
            step has a ``num_frames`` field.
    """
    pipeline = None
    for loader in ('test_dataloader', 'val_dataloader'):
        if cfg.get(loader):
            pipeline = _dataset_pipeline(cfg[loader].get('dataset'))
        if pipeline:
            break
    if not pipeline and default_size is not None:
        return standard_test_pipeline_cfg(num_frames or DEFAULT_NUM_FRAMES,
                                          default_size)
    if not pipeline:
        raise KeyError(
            f'{cfg.filename}: no test_dataloader.dataset.pipeline (or '
            'val_dataloader\'s) to read videos with; use a config that has '
            'one (e.g. one inheriting a _base_/datasets retrieval file)')
    pipeline = copy.deepcopy(list(pipeline))
    if num_frames is not None:
        samplers = [step for step in pipeline if 'num_frames' in step]
        if not samplers:
            raise KeyError(f'{cfg.filename}: no step of the test pipeline '
                           'has a "num_frames" field to set')
        for step in samplers:
            step['num_frames'] = num_frames
    return pipeline


def compose_pipeline(pipeline):
    """Build transform configs in smaug's registry (whatever the default
    scope) into one callable.

    Args:
        pipeline (list[dict]): Transform configs.

    Returns:
        Compose: The transforms in order.
    """
    return Compose([TRANSFORMS.build(step) for step in pipeline])


def read_clip(path, pipeline):
    """Read a video file into a test-time clip.

    Args:
        path (str): The video file.
        pipeline (list[dict] | Compose): Transform configs (see
            :func:`inference_pipeline_cfg`) or their composition.

    Returns:
        torch.Tensor: uint8 (K, 3, H, W).

    Raises:
        BadMediaError: When the file cannot be read as a video.
    """
    if not isinstance(pipeline, Compose):
        pipeline = compose_pipeline(pipeline)
    return pipeline(dict(video_path=path))['inputs']


class VideoClipFiles(Dataset):
    """Video files read into test-time clips, one item per file.

    An item is ``(index, clip, error)``: the uint8 clip (K, 3, H, W) and
    None, or None and the :class:`BadMediaError` of a file that cannot be
    read, so that a caller (or a DataLoader worker) decides what to do with
    bad files instead of losing the batch.

    Args:
        paths (Sequence[str]): Video files.
        pipeline (list[dict]): Transform configs (see
            :func:`inference_pipeline_cfg`).
    """

    def __init__(self, paths, pipeline):
        self.paths = list(paths)
        self.pipeline = compose_pipeline(pipeline)

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        try:
            clip = read_clip(self.paths[index], self.pipeline)
        except BadMediaError as error:
            return index, None, error
        return index, clip, None
