"""Re-exports."""
from .embedding import embed_texts, embed_videos, iter_video_embeddings
from .index_storage import IndexWriteError
from .model_fingerprint import model_fingerprint
from .model_loading import init_model, load_weights
from .neighbour_index import NeighbourIndex
from .reranking import rerank
from .video_index import VIDEO_EXTENSIONS, VideoIndex, scan_videos
from .video_reading import VideoClipFiles, inference_pipeline_cfg, read_clip
from .video_search import search_videos

__all__ = [
    'embed_texts', 'embed_videos', 'iter_video_embeddings', 'IndexWriteError',
    'model_fingerprint', 'init_model', 'load_weights', 'NeighbourIndex',
    'rerank',
    'VIDEO_EXTENSIONS', 'VideoIndex', 'scan_videos', 'VideoClipFiles',
    'inference_pipeline_cfg', 'read_clip', 'search_videos'
]
