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
    """Fingerprint the weights, the model config and the video pipeline.

    Two models with equal fingerprints embed a video identically, so a
    cache of embeddings is valid exactly while the fingerprint is
    unchanged. The weights are hashed by content (a checkpoint copied
    elsewhere keeps its fingerprint; retraining changes it); hashing
    ViT-B/16 + BERT-base takes about a second on a CPU. The whole model
    config is included, text side too, which errs on the side of
    re-indexing.

    Args:
        model (torch.nn.Module): From :func:`smaug.apis.init_model` (its
            ``cfg`` gives the model config and the test pipeline).
        num_frames (int, optional): The frame count the videos are read
            with, when it overrides the pipeline's.

    Returns:
        dict[str, str]: sha256 hex digests ``weights``, ``model_config`` and
        ``pipeline``.
    """
    return dict(
        weights=_weights_digest(model),
        model_config=_json_digest(model.cfg.model.to_dict()),
        pipeline=_json_digest(inference_pipeline_cfg(model.cfg, num_frames)))
