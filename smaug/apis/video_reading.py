"""Reading video files for inference exactly as a config's test set does."""
import copy

from mmengine.dataset import Compose
from torch.utils.data import Dataset

from smaug.datasets.transforms import BadMediaError


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


def inference_pipeline_cfg(cfg, num_frames=None):
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

    Returns:
        list[dict]: Transform configs.

    Raises:
        KeyError: When the config has no test or val pipeline, or
            ``num_frames`` is given and no step has a ``num_frames`` field.
    """
    pipeline = None
    for loader in ('test_dataloader', 'val_dataloader'):
        if cfg.get(loader):
            pipeline = _dataset_pipeline(cfg[loader].get('dataset'))
        if pipeline:
            break
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
        self.pipeline = Compose(pipeline)

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        try:
            packed = self.pipeline(dict(video_path=self.paths[index]))
        except BadMediaError as error:
            return index, None, error
        return index, packed['inputs'], None
