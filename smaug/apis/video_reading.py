"""Reading video files for inference exactly as a config's test set does."""
import copy

from mmengine.dataset import Compose
from torch.utils.data import Dataset

from smaug.config import frame_settings
from smaug.datasets.transforms import BadMediaError, VideoTestPipeline
from smaug.registry import TRANSFORMS


def _dataset_pipeline(dataset_cfg):
    """The ``pipeline`` of a dataset config, looking inside wrappers
    (``dataset=``, the first of ``datasets=``).
    """
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
    """The steps of the config's test (else val) ``VideoTestPipeline`` at
    its frame settings (:func:`smaug.config.frame_settings`); they take
    ``dict(video_path=...)``.

    Args:
        cfg (mmengine.Config): A full config (``model.cfg`` of
            :func:`smaug.apis.init_model`).
        num_frames (int, optional): Frames per clip; None keeps the config's
            ``num_test_frames``.
        default_size (int, optional): Without a test or val pipeline, read
            with a paper-style ``VideoTestPipeline`` at this size (and
            ``num_frames``, else :data:`DEFAULT_NUM_FRAMES`); None makes that
            a KeyError.

    Returns:
        list[dict]: Transform configs.
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
    """Transform configs built in smaug's registry, whatever the default
    scope, as one ``Compose``.
    """
    return Compose([TRANSFORMS.build(step) for step in pipeline])


def read_clip(path, pipeline):
    """uint8 (K, 3, H, W) test-time clip of a video file, read by
    ``pipeline`` (configs or their ``Compose``); BadMediaError when
    unreadable.
    """
    if not isinstance(pipeline, Compose):
        pipeline = compose_pipeline(pipeline)
    return pipeline(dict(video_path=path))['inputs']


class VideoClipFiles(Dataset):
    """Video files as test-time clips: item ``(index, clip, error)``, the
    uint8 (K, 3, H, W) clip or the file's :class:`BadMediaError`, so that the
    caller decides about bad files.

    Args:
        paths (Sequence[str]): Video files.
        pipeline (list[dict]): See :func:`inference_pipeline_cfg`.
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
