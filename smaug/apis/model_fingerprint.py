"""A fingerprint of what a cached video embedding depends on."""
import hashlib
import json

import torch

from .video_reading import inference_pipeline_cfg


def _json_digest(value):
    """sha256 of a config value written as sorted JSON."""
    text = json.dumps(value, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def _weights_digest(model):
    """sha256 over every state-dict entry's name, dtype, shape and bytes."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        flat = tensor.detach().cpu().contiguous().reshape(-1)
        digest.update(f'{name}:{flat.dtype}:{tuple(tensor.shape)};'.encode())
        digest.update(flat.view(torch.uint8).numpy())
    return digest.hexdigest()


def model_fingerprint(model, num_frames=None):
    """sha256 digests ``weights`` (by content), ``model_config`` and
    ``pipeline`` of what a video embedding depends on: equal fingerprints
    embed a video identically.

    Args:
        model (torch.nn.Module): From :func:`smaug.apis.init_model`.
        num_frames (int, optional): The frame count videos are read with,
            when it overrides the pipeline's.
    """
    return dict(
        weights=_weights_digest(model),
        model_config=_json_digest(model.cfg.model.to_dict()),
        pipeline=_json_digest(inference_pipeline_cfg(model.cfg, num_frames)))
