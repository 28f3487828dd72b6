"""Reading video files for inference exactly as a config's test set does:
the one clip reader of smaug's APIs and tools (embedding and search, the
figure tools of ``tools/analysis``).

A clip is read by the config's test pipeline (:func:`inference_pipeline_cfg`:
its ``VideoTestPipeline`` at the config's frame settings) with
:func:`read_clip`. A config that names a model without datasets (e.g. a
backbone config for ``visualize_sparsification.py``) is read with a
``VideoTestPipeline`` of the paper's style at a given frame size.
"""
import copy

from mmengine.dataset import Compose
from torch.utils.data import Dataset

from smaug.config import frame_settings
from smaug.datasets.transforms import BadMediaError, VideoTestPipeline
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


def _test_preset(cfg):
    """The ``VideoTestPipeline`` of the config's test set (else its val
    set), or None."""
    for loader in ('test_dataloader', 'val_dataloader'):
        pipeline = _dataset_pipeline((cfg.get(loader) or {}).get('dataset'))
        for step in pipeline or []:
            if isinstance(step, dict) and step.get('type') == \
                    'VideoTestPipeline':
                return step
    return None


#: Frames per clip of a config without a test pipeline, unless given.
DEFAULT_NUM_FRAMES = 4


def inference_pipeline_cfg(cfg, num_frames=None, default_size=None):
    """The transforms that read a video as the config's test set does,
    optionally with another frame count.

    They are the steps of the config's ``VideoTestPipeline`` (that of
    ``test_dataloader.dataset``, else ``val_dataloader.dataset``) at the
    config's frame settings (:func:`smaug.config.frame_settings`): video
    reading (decord, else PyAV), test-time frame sampling (segment middles),
    resizing, packing. They receive ``dict(video_path=...)``.

    Args:
        cfg (mmengine.Config): A full config (the ``cfg`` that
            :func:`smaug.apis.init_model` attaches to the model).
        num_frames (int, optional): Frames per clip. None keeps the
            config's ``num_test_frames``.
        default_size (int, optional): For a config without a test or val
            pipeline: read with a paper-style ``VideoTestPipeline`` at this
            frame side (and ``num_frames``, else :data:`DEFAULT_NUM_FRAMES`).
            None makes that an error.

    Returns:
        list[dict]: Transform configs.

    Raises:
        KeyError: When the config has no ``VideoTestPipeline`` in its test
            or val set and no ``default_size`` is given.
    """
    preset = _test_preset(cfg)
    if preset is None and default_size is None:
        raise KeyError(
            f'{cfg.filename}: no VideoTestPipeline in test_dataloader.dataset.'
            'pipeline (or val_dataloader\'s) to read videos with; use a '
            'config that has one (e.g. one inheriting a _base_/datasets '
            'retrieval file)')
    settings = frame_settings(cfg)
    options = {key: value for key, value in (preset or {}).items()
               if key in ('style', 'text_keys')}
    return copy.deepcopy(VideoTestPipeline(
        num_frames=num_frames or settings.num_test_frames
        or DEFAULT_NUM_FRAMES,
        img_size=settings.img_size or default_size, **options).step_cfgs)


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
