"""Re-exports."""
from . import transforms
from .annotation_file import (AnnotationError, dump_annotation_file,
                              load_annotation_file)
from .base_video_text_dataset import BaseVideoTextDataset
from .corpus_batch_sampler import CorpusBatchSampler
from .mc_dataset import VideoMCDataset
from .pretrain_dataset import VideoTextPretrainDataset
from .qa_dataset import VideoQADataset
from .retrieval_dataset import VideoRetrievalDataset

__all__ = [
    'AnnotationError', 'dump_annotation_file', 'load_annotation_file',
    'BaseVideoTextDataset', 'CorpusBatchSampler', 'VideoMCDataset',
    'VideoTextPretrainDataset', 'VideoQADataset', 'VideoRetrievalDataset',
    'transforms'
]
