"""Answering a text query over a gallery of embedded videos."""
import torch

from smaug.evaluation.retrieval_scoring import (check_score_mode,
                                                merge_rerank_scores,
                                                top_candidates)
from .embedding import embed_texts
from .neighbour_index import NeighbourIndex
from .reranking import rerank


@torch.no_grad()
def search_videos(model, query, paths, gallery, top=5, rerank_k=None,
                  batch_size=16, num_frames=None, score_mode='vtm'):
    """The videos that best match a text query.

    The gallery is ranked by VTC similarity (the inner product of the
    unit-norm embeddings) through a faiss index
    (:class:`smaug.apis.NeighbourIndex`: exact, or approximate for a large
    saved gallery). With ``rerank_k``, the ``rerank_k`` best are re-scored
    with VTM (:func:`smaug.apis.rerank`) and ranked as the retrieval test
    loop ranks (:mod:`smaug.evaluation.retrieval_scoring`): the re-scored
    candidates first, by the VTM score (``score_mode='vtm'``) or VTM + VTC
    (``'vtm+vtc'``), the others after them in VTC order. The candidates'
    tokens are recomputed from the files here, since caching tokens for a
    whole gallery would take K x (1 + T) x C floats per video.

    Args:
        model (torch.nn.Module): From :func:`smaug.apis.init_model`.
        query (str): The text.
        paths (Sequence[str]): The gallery's video files.
        gallery (NeighbourIndex | torch.Tensor | np.ndarray): The faiss
            index of their embeddings (``VideoIndex.gallery``), or the
            (n, E) unit-norm embeddings themselves (``embed_videos``),
            searched exactly.
        top (int): Results to return. Defaults to 5.
        rerank_k (int, optional): Candidates to re-score with VTM; None or
            0 ranks by VTC only.
        batch_size (int): Videos (and pairs) per forward pass when
            re-ranking.
        num_frames (int, optional): Frames per clip when re-ranking, if
            the gallery was embedded with a non-default count.
        score_mode (str): ``'vtm'`` or ``'vtm+vtc'``. Defaults to 'vtm'.

    Returns:
        list[dict]: Up to ``top`` hits, best first, each with ``row`` (its
        index in ``paths``), ``path``, ``vtc_score`` (cosine similarity)
        and, for re-scored candidates, ``vtm_score``.
    """
    check_score_mode(score_mode, 'search_videos')
    if not isinstance(gallery, NeighbourIndex):
        gallery = NeighbourIndex.build(gallery, exact_limit=len(gallery))
    if len(paths) != len(gallery):
        raise ValueError(f'search_videos: {len(paths)} paths but '
                         f'{len(gallery)} embeddings')
    if not len(paths):
        return []
    query_emb = embed_texts(model, [query], progress=False)
    scores, rows = gallery.search(query_emb, max(top, rerank_k or 0))
    found = rows[0] >= 0  # an IVF index's probed cells may hold fewer
    rows = rows[0][found].tolist()
    similarity = torch.from_numpy(scores[:, found])
    ranking, vtm_scores = similarity, {}
    if rerank_k:
        candidates = top_candidates(similarity, rerank_k)
        vtm = rerank(model, query, [paths[rows[i]] for i in candidates[0]],
                     batch_size, num_frames)['scores']
        ranking = merge_rerank_scores(similarity, candidates, vtm[None],
                                      score_mode)
        vtm_scores = dict(zip(candidates[0].tolist(), vtm.tolist()))
    hits = []
    for position in top_candidates(ranking, top)[0].tolist():
        row = rows[position]
        hit = dict(row=row, path=paths[row],
                   vtc_score=float(similarity[0, position]))
        if position in vtm_scores:
            hit['vtm_score'] = vtm_scores[position]
        hits.append(hit)
    return hits
