"""Top-k candidates, the merge of re-ranking scores and the ranking order
shared by the retrieval loops and the search API."""
import pytest
import torch

from smaug.evaluation.retrieval_scoring import (descending_order,
                                                merge_rerank_scores,
                                                top_candidates)


def test_merge_rerank_scores_by_hand():
    vtc = torch.tensor([[0.9, 0.8, 0.1, 0.0]])
    candidates = torch.tensor([[0, 1]])
    vtm = torch.tensor([[-5.0, 3.0]])
    merged = merge_rerank_scores(vtc, candidates, vtm, 'vtm')
    assert merged[0].argsort(descending=True).tolist() == [1, 0, 2, 3]
    assert merged[0, :2].tolist() == [-5.0, 3.0]
    assert merged[0, 2] <= -6.0
    summed = merge_rerank_scores(vtc, candidates, vtm, 'vtm+vtc')
    assert summed[0, :2].tolist() == pytest.approx([-4.1, 3.8])
    assert summed[0].argsort(descending=True).tolist() == [1, 0, 2, 3]
    with pytest.raises(ValueError, match='score_mode'):
        merge_rerank_scores(vtc, candidates, vtm, 'itm')


def test_top_candidates_best_first_and_capped_at_gallery():
    similarity = torch.tensor([[0.1, 0.7, 0.3], [0.9, 0.2, 0.5]])
    assert top_candidates(similarity, 2).tolist() == [[1, 2], [0, 2]]
    assert top_candidates(similarity, 16).tolist() == [[1, 2, 0], [0, 2, 1]]
    assert top_candidates(similarity.t(), 1).tolist() == [[1], [0], [1]]


def test_descending_order_keeps_ties_in_place():
    scores = torch.tensor([0.5, 2.0, 0.5, 2.0, -1.0])
    assert descending_order(scores).tolist() == [1, 3, 0, 2, 4]
