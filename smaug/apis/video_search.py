"""Answering a text query over a gallery of embedded videos."""
import torch

from smaug.evaluation.retrieval_scoring import (check_score_mode,
                                                merge_rerank_scores,
                                                top_candidates)
from .embedding import embed_texts
from .reranking import rerank


@torch.no_grad()
def search_videos(model, query, paths, embeddings, top=5, rerank_k=None,
                  batch_size=16, num_frames=None, score_mode='vtm'):
    """The videos that best match a text query: VTC ranking, and with
    ``rerank_k`` the best candidates re-scored by VTM and placed first, as the
    retrieval test loop ranks (their tokens are recomputed from the files).

    Args:
        model (torch.nn.Module): From :func:`smaug.apis.init_model`.
        query (str): The text.
        paths (Sequence[str]): The gallery's video files.
        embeddings (torch.Tensor): (n, E) their unit-norm VTC embeddings.
        top (int): Results. Defaults to 5.
        rerank_k (int, optional): Candidates re-scored; None or 0: VTC only.
        batch_size (int): Videos (and pairs) per forward pass.
        num_frames (int, optional): Frames per clip when re-ranking.
        score_mode (str): ``'vtm'`` or ``'vtm+vtc'``. Defaults to 'vtm'.

    Returns:
        list[dict]: Up to ``top`` hits, best first: ``path``, ``vtc_score``
        and, when re-scored, ``vtm_score``.
    """
    check_score_mode(score_mode, 'search_videos')
    if len(paths) != len(embeddings):
        raise ValueError(f'search_videos: {len(paths)} paths but '
                         f'{len(embeddings)} embeddings')
    if not len(paths):
        return []
    query_emb = embed_texts(model, [query], progress=False)[0]
    similarity = (embeddings.float() @ query_emb)[None]
    ranking, vtm_scores = similarity, {}
    if rerank_k:
        candidates = top_candidates(similarity, rerank_k)
        vtm = rerank(model, query, [paths[row] for row in candidates[0]],
                     batch_size, num_frames)['scores']
        ranking = merge_rerank_scores(similarity, candidates, vtm[None],
                                      score_mode)
        vtm_scores = dict(zip(candidates[0].tolist(), vtm.tolist()))
    hits = []
    for row in top_candidates(ranking, top)[0].tolist():
        hit = dict(path=paths[row], vtc_score=float(similarity[0, row]))
        if row in vtm_scores:
            hit['vtm_score'] = vtm_scores[row]
        hits.append(hit)
    return hits
