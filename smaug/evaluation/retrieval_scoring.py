"""Ranking a gallery: the top-k VTC candidates and the merge of their
re-ranking scores, for the retrieval loops, :func:`smaug.apis.rerank` and
:func:`smaug.apis.search_videos`. A re-ranked ranking puts a query's k
candidates first, by VTM (``'vtm'``) or VTM + VTC (``'vtm+vtc'``), and
the others after them in VTC order.
"""
import torch

SCORE_MODES = ('vtm', 'vtm+vtc')


def check_score_mode(score_mode, owner):
    """ValueError naming ``owner`` unless ``score_mode`` is in
    :data:`SCORE_MODES`.
    """
    if score_mode not in SCORE_MODES:
        raise ValueError(f'{owner}: score_mode must be one of {SCORE_MODES}, '
                         f'got {score_mode!r}')


def top_candidates(similarity, k):
    """(Q, min(k, G)) indices of each query's best items in (Q, G)
    ``similarity``, best first.
    """
    return similarity.topk(min(k, similarity.shape[-1]), dim=-1).indices


def merge_rerank_scores(vtc, candidates, candidate_scores, score_mode):
    """Scores ordering each query's candidates first, by their re-ranking
    score, then the rest by VTC.

    Args:
        vtc (Tensor): (Q, G) VTC similarity.
        candidates (Tensor): (Q, k) gallery indices (:func:`top_candidates`).
        candidate_scores (Tensor): (Q, k) their VTM scores.
        score_mode (str): 'vtm', or 'vtm+vtc' (VTM + VTC).

    Returns:
        Tensor: (Q, G) float64; non-candidates at least 1 below the lowest
        candidate.
    """
    check_score_mode(score_mode, 'merge_rerank_scores')
    vtc = vtc.double()
    scores = candidate_scores.double()
    if score_mode == 'vtm+vtc':
        scores = scores + vtc.gather(1, candidates)
    shift = vtc.amax(dim=1) - scores.amin(dim=1) + 1
    merged = vtc - shift[:, None]
    return merged.scatter_(1, candidates, scores)


def descending_order(scores):
    """(n,) indices sorting ``scores`` best first; ties keep their order."""
    return torch.sort(scores, descending=True, stable=True).indices
