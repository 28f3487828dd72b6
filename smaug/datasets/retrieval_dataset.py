"""Text-video retrieval datasets (MSRVTT, DiDeMo, ActivityNet Captions)."""
from smaug.registry import DATASETS
from .annotation_file import AnnotationError, require_text_list
from .base_video_text_dataset import BaseVideoTextDataset


@DATASETS.register_module()
class VideoRetrievalDataset(BaseVideoTextDataset):
    """Videos with one or more captions each, for retrieval.

    Entries: ``{"video": "rel/path.mp4", "caption": str | [str, ...]}``.

    - Training (``test_mode=False``): one item per (video, caption) pair,
      ``text`` a str, ``video_index`` the video's position in the file.
    - Test: one item per video (the gallery), ``text`` the list of its
      captions and ``video_index`` its gallery position. A video may appear
      in only one entry of a test file.
    - ``paragraph=True`` (DiDeMo, ActivityNet Captions: paragraph-to-video
      retrieval): a video's captions are joined, in file order, into one
      paragraph; training gives one item per video with that paragraph, test
      ``text=[paragraph]``.

    Ground truth (test mode): :attr:`texts` lists every query text in
    gallery order, :attr:`text_to_video` gives each text's video index and
    :attr:`video_to_texts` each video's text indices; the three are also in
    ``metainfo`` (so metrics get them as ``dataset_meta``).

    Args:
        paragraph (bool): Join each video's captions into one paragraph.
            Defaults to False.
        **kwargs: :class:`BaseVideoTextDataset` arguments.
    """

    def __init__(self, *args, paragraph=False, **kwargs):
        self.paragraph = paragraph
        super().__init__(*args, **kwargs)

    def parse_entry(self, entry, index, media):
        """Items of one video entry (see the class docstring; arguments: see
        :meth:`BaseVideoTextDataset.parse_entry`)."""
        captions = require_text_list(entry, 'caption', self.ann_file, index)
        if self.paragraph:
            captions = [' '.join(c.strip() for c in captions)]
        # every entry is one video
        if self.test_mode:
            return [dict(media, text=captions, video_index=index)]
        return [
            dict(media, text=caption, video_index=index)
            for caption in captions
        ]

    def after_load(self, infos):
        """Build the ground truth of a test gallery.

        Args:
            infos (Iterable[dict]): The data infos.
        """
        if not self.test_mode:
            return
        seen = {}
        texts, text_to_video, video_to_texts = [], [], []
        for info in infos:
            path = info.get('video_path', info.get('img_path'))
            if path in seen:
                raise AnnotationError(
                    f'{self.ann_file}: entry {info["video_index"]}: key '
                    f"'video' {path!r} repeats entry {seen[path]}; a test "
                    'gallery lists each video once (merge their captions)')
            seen[path] = info['video_index']
            video_to_texts.append(
                list(range(len(texts), len(texts) + len(info['text']))))
            text_to_video.extend([info['video_index']] * len(info['text']))
            texts.extend(info['text'])
        self._metainfo.update(
            texts=texts,
            text_to_video=text_to_video,
            video_to_texts=video_to_texts)

    def _ground_truth(self, key):
        """Return a ground-truth list of the test gallery."""
        if not self.test_mode:
            raise AttributeError(
                f'{key} is defined for a test-mode retrieval dataset only '
                f'({self.ann_file} is in training mode)')
        return self._metainfo[key]

    @property
    def texts(self):
        """list[str]: All query texts in gallery order (test mode)."""
        return self._ground_truth('texts')

    @property
    def text_to_video(self):
        """list[int]: The video index of each text (test mode)."""
        return self._ground_truth('text_to_video')

    @property
    def video_to_texts(self):
        """list[list[int]]: The text indices of each video (test mode)."""
        return self._ground_truth('video_to_texts')
