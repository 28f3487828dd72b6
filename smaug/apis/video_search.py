"""Answering a text query over a gallery of embedded videos."""
import torch

from smaug.engine.retrieval_loops import SCORE_MODES
from .embedding import embed_texts
from .reranking import rerank


@torch.no_grad()
def search_videos(model, query, paths, embeddings, top=5, rerank_k=None,
                  batch_size=16, num_frames=None, score_mode='vtm'):
    """The videos that best match a text query.

    The gallery is ranked by VTC similarity (the cosine of the unit-norm
    embeddings). With ``rerank_k``, the ``rerank_k`` best are re-scored with
    VTM (:func:`smaug.apis.rerank`) and reordered among themselves; their
    tokens are recomputed from the files here, since caching tokens for a
    whole gallery would take K x (1 + T) x C floats per video. Candidates
    below the first ``rerank_k`` keep their VTC order after them.
    ``score_mode`` is that of the retrieval test loop: re-scored candidates
    are ordered by the VTM score (``'vtm'``) or VTM + VTC (``'vtm+vtc'``).

    Args:
        model (torch.nn.Module): From :func:`smaug.apis.init_model`.
        query (str): The text.
        paths (Sequence[str]): The gallery's video files.
        embeddings (torch.Tensor): (n, E) their unit-norm VTC embeddings
            (``embed_videos`` or ``VideoIndex.gallery``).
        top (int): Results to return. Defaults to 5.
        rerank_k (int, optional): Candidates to re-score with VTM; None or
            0 ranks by VTC only.
        batch_size (int): Videos (and pairs) per forward pass when
            re-ranking.
        num_frames (int, optional): Frames per clip when re-ranking, if
            the gallery was embedded with a non-default count.
        score_mode (str): ``'vtm'`` or ``'vtm+vtc'``. Defaults to 'vtm'.

    Returns:
        list[dict]: Up to ``top`` hits, best first, each with ``path``,
        ``vtc_score`` (cosine similarity) and, for re-scored candidates,
        ``vtm_score``.
    """
    if score_mode not in SCORE_MODES:
        raise ValueError(f'search_videos: score_mode must be one of '
                         f'{SCORE_MODES}, got {score_mode!r}')
    if len(paths) != len(embeddings):
        raise ValueError(f'search_videos: {len(paths)} paths but '
                         f'{len(embeddings)} embeddings')
    if not len(paths):
        return []
    query_emb = embed_texts(model, [query], progress=False)[0]
    similarity = embeddings.float() @ query_emb
    num = min(max(top, rerank_k or 0), len(paths))
    scores, rows = similarity.topk(num)
    hits = [dict(path=paths[row], vtc_score=float(score))
            for score, row in zip(scores.tolist(), rows.tolist())]
    if rerank_k:
        candidates = hits[:rerank_k]
        vtc = scores[:rerank_k] if score_mode == 'vtm+vtc' else None
        result = rerank(model, query, [hit['path'] for hit in candidates],
                        batch_size, num_frames, vtc)
        hits = [dict(candidates[i], vtm_score=float(result['scores'][i]))
                for i in result['order'].tolist()] + hits[rerank_k:]
    return hits[:top]
