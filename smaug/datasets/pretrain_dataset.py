"""Video-text and image-text pre-training corpora."""
import random

from smaug.registry import DATASETS
from .annotation_file import require_text_list
from .base_video_text_dataset import BaseVideoTextDataset


@DATASETS.register_module()
class VideoTextPretrainDataset(BaseVideoTextDataset):
    """A caption corpus: WebVid (``"video"`` entries), CC3M, CC12M, SBU, VG,
    COCO (``"image"`` entries, one-frame clips).

    Entries: ``{"video" | "image": "rel/path", "caption": str | [str, ...]}``.
    Items carry ``video_path`` or ``img_path`` and ``text`` (one caption).

    An entry with several captions (COCO: 5 per image; VG: region
    descriptions) gives, with ``caption_mode='flatten'`` (default), one item
    per caption, so an epoch visits every image-text pair once and corpus
    sizes count pairs, as the paper's "5M"/"17M" do. ``'random'`` keeps one
    item per entry and draws one of its captions each time it is read (an
    epoch then counts media, not pairs).

    Args:
        caption_mode (str): ``'flatten'`` or ``'random'``. Defaults to
            ``'flatten'``.
        **kwargs: :class:`BaseVideoTextDataset` arguments.
    """

    def __init__(self, *args, caption_mode='flatten', **kwargs):
        if caption_mode not in ('flatten', 'random'):
            raise ValueError(f"caption_mode must be 'flatten' or 'random', "
                             f'got {caption_mode!r}')
        self.caption_mode = caption_mode
        super().__init__(*args, **kwargs)

    def parse_entry(self, entry, index, media):
        """One item per caption (``'flatten'``) or per entry (``'random'``;
        arguments: see :meth:`BaseVideoTextDataset.parse_entry`)."""
        captions = require_text_list(entry, 'caption', self.ann_file, index)
        if self.caption_mode == 'random':
            return [dict(media, text=captions)]
        return [dict(media, text=caption) for caption in captions]

    def get_data_info(self, idx):
        """Return the data info of ``idx`` with one caption chosen.

        Args:
            idx (int): Sample index.
        """
        info = super().get_data_info(idx)
        if isinstance(info['text'], list):
            info['text'] = random.choice(info['text'])
        return info
