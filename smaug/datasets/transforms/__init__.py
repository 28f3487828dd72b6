"""Re-exports."""
from .bad_media import BadMediaError
from .clip_crop import ClipCenterCrop, ClipRandomResizedCrop
from .clip_flip import ClipFlip
from .clip_resize import ClipResize, resize_clip
from .decord_loading import DecordDecode, DecordInit
from .formatting import PackVideoTextInputs
from .frame_sampling import SampleClipFrames
from .image_loading import LoadImageAsClip
from .pipeline_presets import (ImageTrainPipeline, VideoTestPipeline,
                               VideoTrainPipeline)
from .shard_loading import LoadFromShards, PresampledFrames
from .text_cleaning import CleanText, clean_text
from .video_file import open_video

__all__ = [
    'BadMediaError', 'ClipCenterCrop', 'ClipRandomResizedCrop', 'ClipFlip',
    'ClipResize', 'resize_clip', 'DecordDecode', 'DecordInit',
    'PackVideoTextInputs', 'SampleClipFrames', 'LoadImageAsClip',
    'ImageTrainPipeline', 'VideoTestPipeline', 'VideoTrainPipeline',
    'LoadFromShards', 'PresampledFrames', 'CleanText',
    'clean_text', 'open_video'
]
