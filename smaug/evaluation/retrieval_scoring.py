"""Ranking a gallery by retrieval scores: top-k candidates by VTC and the
merge of their re-ranking scores.

One implementation for every place that ranks: the retrieval loops
(:mod:`smaug.engine.loops.retrieval_loops`, both directions of a whole test
set), :func:`smaug.apis.search_videos` and :func:`smaug.apis.rerank` (one query
over a folder of videos, as ``tools/search.py`` runs it). A re-ranked
ranking puts the ``k`` VTC candidates of a query first, ordered by their
re-ranking score (the VTM score, ``score_mode='vtm'``, Singularity's choice,
or VTM + VTC, ``'vtm+vtc'``), and the other items after them in VTC order.
"""
import torch

SCORE_MODES = ('vtm', 'vtm+vtc')


def check_score_mode(score_mode, owner):
    """Raise a ValueError naming ``owner`` unless ``score_mode`` is one of
    :data:`SCORE_MODES`.

    Args:
        score_mode (str): The mode to check.
        owner (str): Who was given it (for the message).
    """
    if score_mode not in SCORE_MODES:
        raise ValueError(f'{owner}: score_mode must be one of {SCORE_MODES}, '
                         f'got {score_mode!r}')


def top_candidates(similarity, k):
    """Each query's ``k`` best gallery items, best first.

    Args:
        similarity (torch.Tensor): (Q, G) scores, queries by gallery items.
        k (int): Candidates per query, capped at the gallery size G.

    Returns:
        torch.Tensor: (Q, min(k, G)) long gallery indices.
    """
    return similarity.topk(min(k, similarity.shape[-1]), dim=-1).indices


def merge_rerank_scores(vtc, candidates, candidate_scores, score_mode):
    """Score matrix whose order is: candidates by re-ranking score, then the
    rest by VTC score.

    Args:
        vtc (torch.Tensor): (Q, G) VTC similarity.
        candidates (torch.Tensor): (Q, k) long gallery indices re-scored per
            query (:func:`top_candidates`).
        candidate_scores (torch.Tensor): (Q, k) VTM scores of those pairs.
        score_mode (str): 'vtm' (the candidates' score is the VTM score) or
            'vtm+vtc' (VTM + VTC).

    Returns:
        torch.Tensor: (Q, G) float64. Non-candidates are VTC scores shifted
        per row to lie at least 1 below the lowest candidate score.
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
    """Indices that sort ``scores`` from best to worst; ties keep their
    order.

    Args:
        scores (torch.Tensor): (n,) scores.

    Returns:
        torch.Tensor: (n,) long.
    """
    return torch.sort(scores, descending=True, stable=True).indices
