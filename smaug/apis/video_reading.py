"""Reading video files for inference exactly as a config's test set does."""
import copy

from mmengine.dataset import Compose
from torch.utils.data import Dataset

from smaug.datasets.transforms import BadMediaError
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


#: Frames per clip of :func:`standard_test_pipeline_cfg` unless given.
DEFAULT_NUM_FRAMES = 4


def standard_test_pipeline_cfg(num_frames, size):
    """The test transforms smaug's dataset configs write (decord, else PyAV;
    ``num_frames`` segment middles; bicubic resize to ``size`` x ``size``;
    packing), for a config without datasets.
    """
    return [
        dict(type='DecordInit'),
        dict(type='SampleClipFrames', num_frames=num_frames, test_mode=True),
        dict(type='DecordDecode'),
        dict(type='ClipResize', scale=(size, size), interpolation='bicubic'),
        dict(type='PackVideoTextInputs'),
    ]


def inference_pipeline_cfg(cfg, num_frames=None, default_size=None):
    """The config's test (else val) video pipeline; it takes
    ``dict(video_path=...)``.

    Args:
        cfg (mmengine.Config): A full config (``model.cfg`` of
            :func:`smaug.apis.init_model`).
        num_frames (int, optional): Replaces the frame-sampling step's
            ``num_frames``.
        default_size (int, optional): Without a test or val pipeline, read
            with :func:`standard_test_pipeline_cfg` at this size; None makes
            that a KeyError.

    Returns:
        list[dict]: Transform configs.
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
