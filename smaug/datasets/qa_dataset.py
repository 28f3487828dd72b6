"""Open-ended video question answering (MSRVTT-QA, ActivityNet-QA)."""
import json
import logging

from mmengine.fileio import get_text, join_path
from mmengine.logging import print_log
from mmengine.utils import is_abs

from smaug.registry import DATASETS
from .annotation_file import AnnotationError, require, require_text
from .base_video_text_dataset import BaseVideoTextDataset


@DATASETS.register_module()
class VideoQADataset(BaseVideoTextDataset):
    """Questions about videos, answered from a fixed answer list.

    Entries: ``{"video", "question": str, "answer": str, "question_id":
    str | int}``; one item per entry. The answer list file (a JSON list of
    strings, the candidates the answer decoder ranks) is loaded into
    ``metainfo['answer_list']``. Answers outside the list are kept (they
    train the decoder and count as errors at test), as is usual; a warning
    at start-up counts them and names the first few.

    Args:
        answer_list_file (str): JSON list of answer strings, relative to
            ``data_root`` unless absolute.
        **kwargs: :class:`BaseVideoTextDataset` arguments.
    """

    def __init__(self, *args, answer_list_file, **kwargs):
        self.answer_list_file = answer_list_file
        super().__init__(*args, **kwargs)

    def _load_answer_list(self):
        """Read and check the answer list file."""
        path = self.answer_list_file
        if self.data_root and not is_abs(path):
            path = join_path(self.data_root, path)
        try:
            answers = json.loads(get_text(path, self.backend_args))
        except FileNotFoundError as err:
            raise AnnotationError(f'{path}: answer list not found') from err
        except json.JSONDecodeError as err:
            raise AnnotationError(
                f'{path}: invalid JSON at line {err.lineno} column '
                f'{err.colno}: {err.msg}') from err
        if not isinstance(answers, list) or not answers:
            raise AnnotationError(
                f'{path}: an answer list must be a non-empty JSON list')
        for index, answer in enumerate(answers):
            if not isinstance(answer, str) or not answer.strip():
                raise AnnotationError(
                    f'{path}: entry {index}: answers must be non-empty '
                    f'strings, got {answer!r}')
        return answers

    def full_init(self):
        """Load the answer list, then the questions."""
        if not self._fully_initialized:
            self._metainfo['answer_list'] = self._load_answer_list()
        super().full_init()

    def after_load(self, infos):
        """Warn of answers outside the answer list.

        Args:
            infos (Iterable[dict]): The data infos.
        """
        known = set(self._metainfo['answer_list'])
        outside = []
        for index, info in enumerate(infos):
            if info['answer'] not in known:
                outside.append((index, info['answer']))
        if outside:
            examples = ', '.join(f'entry {index}: {answer!r}'
                                 for index, answer in outside[:3])
            print_log(
                f'{self.ann_file}: {len(outside)} of {index + 1} '
                f'answers are not in the answer list '
                f'{self.answer_list_file} ({examples}); they are kept, but '
                'the model can never predict them (they count as errors '
                'at test).', logger='current', level=logging.WARNING)

    def parse_entry(self, entry, index, media):
        """One item per question (arguments: see
        :meth:`BaseVideoTextDataset.parse_entry`)."""
        path = self.ann_file
        return [
            dict(
                media,
                question=require_text(entry, 'question', path, index),
                answer=require_text(entry, 'answer', path, index),
                question_id=require(entry, 'question_id', (str, int), path,
                                    index))
        ]
