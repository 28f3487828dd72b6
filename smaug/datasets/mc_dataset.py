"""Multiple-choice video-caption matching (MSRVTT-MC)."""
from smaug.registry import DATASETS
from .annotation_file import AnnotationError, require, require_text_list
from .base_video_text_dataset import BaseVideoTextDataset


@DATASETS.register_module()
class VideoMCDataset(BaseVideoTextDataset):
    """Pick the caption of a video among ``num_options`` candidates.

    Entries: ``{"video", "caption": [options], "answer": i}`` with ``i`` the
    0-based index of the right option; one item per entry, carrying
    ``options`` and ``answer_index``.

    Args:
        num_options (int): Options per question. Defaults to 5 (MSRVTT-MC).
        **kwargs: :class:`BaseVideoTextDataset` arguments.
    """

    def __init__(self, *args, num_options=5, **kwargs):
        self.num_options = num_options
        super().__init__(*args, **kwargs)

    def parse_entry(self, entry, index, media):
        """One item per question (arguments: see
        :meth:`BaseVideoTextDataset.parse_entry`)."""
        path = self.ann_file
        options = require_text_list(entry, 'caption', path, index)
        if not isinstance(entry['caption'], list) or \
                len(options) != self.num_options:
            raise AnnotationError(
                f"{path}: entry {index}: key 'caption' must list "
                f'{self.num_options} options, got {len(options)}')
        answer = require(entry, 'answer', int, path, index)
        if not 0 <= answer < self.num_options:
            raise AnnotationError(
                f"{path}: entry {index}: key 'answer' must be in "
                f'[0, {self.num_options}), got {answer}')
        return [dict(media, options=options, answer_index=answer)]
