"""Embedding texts and video files into a model's VTC space, through the
retrieval interface (``extract_text_feats``, ``extract_video_feats``).
"""
import warnings

import torch
from torch.utils.data import DataLoader
from tqdm import tqdm

from smaug.datasets.transforms import clean_text
from .video_reading import VideoClipFiles, inference_pipeline_cfg


def _bar(total, desc, unit, progress):
    """A tqdm bar; ``progress=None`` shows it only on a terminal."""
    return tqdm(total=total, desc=desc, unit=unit, dynamic_ncols=True,
                disable=None if progress is None else not progress)


@torch.no_grad()
def embed_texts(model, texts, batch_size=64, progress=None):
    """(n, E) float32 CPU unit-norm VTC embeddings of ``texts``, cleaned as
    the datasets clean captions.

    Args:
        model (torch.nn.Module): From :func:`smaug.apis.init_model`.
        texts (Sequence[str]): Queries or captions.
        batch_size (int): Texts per forward pass. Defaults to 64.
        progress (bool, optional): Progress bar; None: on a terminal only.
    """
    if isinstance(texts, str) or not texts:
        raise ValueError('embed_texts: texts must be a non-empty list of '
                         f'strings, got {texts!r}')
    texts = [clean_text(text) for text in texts]
    embs = []
    with _bar(len(texts), 'embedding texts', 'text', progress) as bar:
        for start in range(0, len(texts), batch_size):
            batch = texts[start:start + batch_size]
            embs.append(model.extract_text_feats(batch)['emb'].float().cpu())
            bar.update(len(batch))
    return torch.cat(embs)


@torch.no_grad()
def iter_video_embeddings(model, paths, batch_size=8, num_frames=None,
                          return_tokens=False, skip_unreadable=False,
                          num_workers=0):
    """Embed video files batch by batch.

    Args:
        model (torch.nn.Module): From :func:`smaug.apis.init_model`.
        paths (Sequence[str]): Video files.
        batch_size (int): Clips per forward pass. Defaults to 8.
        num_frames (int, optional): Instead of the test pipeline's.
        return_tokens (bool): Also the tokens, for VTM re-ranking.
        skip_unreadable (bool): Warn and skip an unreadable file instead of
            raising BadMediaError. Defaults to False.
        num_workers (int): DataLoader processes. Defaults to 0.

    Yields:
        dict: ``paths`` (embedded, in order), ``emb`` (m, E) float32 CPU,
        ``skipped`` (file -> reason) and maybe ``tokens`` (m, K, 1 + T, C).
    """
    files = VideoClipFiles(paths, inference_pipeline_cfg(model.cfg,
                                                         num_frames))
    loader = DataLoader(files, batch_size=batch_size, num_workers=num_workers,
                        collate_fn=list)
    for batch in loader:
        clips, done, skipped = [], [], {}
        for index, clip, error in batch:
            if error is None:
                clips.append(clip)
                done.append(files.paths[index])
            elif skip_unreadable:
                warnings.warn(f'skipped an unreadable video: {error}')
                skipped[error.path] = error.reason
            else:
                raise error
        out = dict(paths=done, skipped=skipped)
        if clips:
            feats = model.extract_video_feats(
                model.data_preprocessor.normalize_frames(clips))
            out['emb'] = feats['emb'].float().cpu()
            if return_tokens:
                out['tokens'] = feats['tokens'].cpu()
        yield out


def embed_videos(model, paths, batch_size=8, num_frames=None,
                 return_tokens=False, skip_unreadable=False, num_workers=0,
                 progress=None):
    """Unit-norm VTC embeddings (and optionally tokens) of video files.

    Args:
        model (torch.nn.Module): From :func:`smaug.apis.init_model`.
        paths (Sequence[str]): Video files.
        batch_size (int): Clips per forward pass. Defaults to 8.
        num_frames (int, optional): Instead of the test pipeline's.
        return_tokens (bool): Also the tokens, for :func:`rerank`.
        skip_unreadable (bool): Warn and skip unreadable files instead of
            raising BadMediaError. Defaults to False.
        num_workers (int): DataLoader processes. Defaults to 0.
        progress (bool, optional): Progress bar; None: on a terminal only.

    Returns:
        dict: ``emb`` (m, E) float32 CPU, ``paths`` (embedded, in order),
        ``skipped`` (file -> reason), maybe ``tokens`` (m, K, 1 + T, C).
    """
    if isinstance(paths, str) or not paths:
        raise ValueError('embed_videos: paths must be a non-empty list of '
                         f'files, got {paths!r}')
    batches = []
    with _bar(len(paths), 'embedding videos', 'video', progress) as bar:
        for batch in iter_video_embeddings(
                model, paths, batch_size, num_frames, return_tokens,
                skip_unreadable, num_workers):
            batches.append(batch)
            bar.update(len(batch['paths']) + len(batch['skipped']))
    embedded = [batch for batch in batches if batch['paths']]
    if not embedded:
        raise ValueError(f'embed_videos: none of the {len(paths)} videos '
                         'could be read')
    result = dict(
        emb=torch.cat([batch['emb'] for batch in embedded]),
        paths=[path for batch in embedded for path in batch['paths']],
        skipped={path: reason for batch in batches
                 for path, reason in batch['skipped'].items()})
    if return_tokens:
        result['tokens'] = torch.cat([batch['tokens'] for batch in embedded])
    return result
