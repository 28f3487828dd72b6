"""RetrievalMetric and its rank function against hand-computed cases."""
import pytest
import torch

from smaug.evaluation import (RetrievalMetric, ground_truth_masks,
                              rank_summary, retrieval_ranks)
from smaug.evaluation.metrics.retrieval_metric import format_table
from smaug.registry import METRICS


def mask(rows):
    """A bool matrix from nested lists of 0/1."""
    return torch.tensor(rows, dtype=torch.bool)


def evaluate(result, **kwargs):
    """Run the metric on one result, as the retrieval loops do."""
    metric = RetrievalMetric(**kwargs)
    metric.process(None, [result])
    return metric.evaluate(1)


def test_ranks_simple_and_ties_are_pessimistic():
    scores = torch.tensor([[0.9, 0.1, 0.5],
                           [0.2, 0.3, 0.1],
                           [0.5, 0.5, 0.5],
                           [0.4, 0.4, 0.8]])
    gt = mask([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])
    # row 2: all tied -> both others counted above; row 3: 0.4 tied with one
    # non-ground-truth item and below 0.8 -> rank 3.
    assert retrieval_ranks(scores, gt).tolist() == [1, 1, 3, 3]


def test_ranks_take_the_best_of_several_ground_truths():
    scores = torch.tensor([[0.1, 0.9, 0.5, 0.7],
                           [0.6, 0.6, 0.2, 0.1]])
    gt = mask([[1, 0, 1, 0],    # best gt 0.5, non-gt 0.9 and 0.7 above
               [1, 1, 0, 0]])   # ground truths tied with each other only
    assert retrieval_ranks(scores, gt).tolist() == [3, 1]


def test_ranks_perfect_and_reversed_matrices():
    n = 12
    perfect = torch.eye(n) + torch.rand(n, n) * 0.5
    assert retrieval_ranks(perfect, torch.eye(n).bool()).tolist() == [1] * n
    reversed_ = -perfect
    assert retrieval_ranks(reversed_, torch.eye(n).bool()).tolist() == [n] * n


def test_ranks_refuse_bad_input():
    with pytest.raises(ValueError, match=r'no ground truth, e.g. query \[1'):
        retrieval_ranks(torch.rand(2, 3), mask([[1, 0, 0], [0, 0, 0]]))
    with pytest.raises(ValueError, match='NaN'):
        retrieval_ranks(torch.tensor([[float('nan'), 0.]]), mask([[1, 0]]))
    with pytest.raises(ValueError, match='one shape'):
        retrieval_ranks(torch.rand(2, 3), mask([[1, 0], [0, 1]]))


def test_rank_summary_by_hand():
    summary = rank_summary(torch.tensor([1, 2, 6, 11]))
    assert summary == {'R@1': 25.0, 'R@5': 50.0, 'R@10': 75.0,
                       'R_mean': 50.0, 'MdR': 4.0, 'MnR': 5.0}
    assert rank_summary(torch.tensor([3, 1, 2]), topk=(2, ))['MdR'] == 2.0


def test_ground_truth_masks():
    gt = ground_truth_masks([[0], [0, 2], [1]], 3)
    assert gt.tolist() == [[True, False, False], [True, False, True],
                           [False, True, False]]
    with pytest.raises(ValueError, match=r'text_to_video\[1\]'):
        ground_truth_masks([[0], [3]], 3)


def test_metric_perfect_and_reversed():
    n = 12
    text_to_video = [[i] for i in range(n)]
    perfect = torch.eye(n)
    metrics = evaluate(dict(text_to_video=text_to_video, t2v_scores=perfect,
                            v2t_scores=perfect.t()))
    assert metrics['retrieval/t2v/R@1'] == 100.0
    assert metrics['retrieval/v2t/MdR'] == 1.0
    assert metrics['retrieval/t2v/MnR'] == 1.0
    assert metrics['retrieval/mean_recall'] == 100.0
    worst = evaluate(dict(text_to_video=text_to_video, t2v_scores=-perfect,
                          v2t_scores=-perfect.t()))
    assert worst['retrieval/t2v/R@10'] == 0.0
    assert worst['retrieval/t2v/MdR'] == worst['retrieval/v2t/MnR'] == n
    assert worst['retrieval/mean_recall'] == 0.0


def test_metric_several_captions_per_video_by_hand():
    # 3 videos; video 0 has captions 0 and 1, video 1 caption 2, video 2
    # captions 3 and 4.
    text_to_video = [[0], [0], [1], [2], [2]]
    t2v = torch.tensor([[0.9, 0.1, 0.0],    # rank 1
                        [0.2, 0.8, 0.1],    # rank 2
                        [0.7, 0.1, 0.3],    # rank 3
                        [0.1, 0.2, 0.6],    # rank 1
                        [0.5, 0.5, 0.5]])   # rank 3 (ties pessimistic)
    metrics = evaluate(dict(text_to_video=text_to_video, t2v_scores=t2v,
                            v2t_vtc_scores=t2v.t()), topk=(1, 2))
    assert metrics['retrieval/t2v/R@1'] == pytest.approx(40.0)
    assert metrics['retrieval/t2v/R@2'] == pytest.approx(60.0)
    assert metrics['retrieval/t2v/R_mean'] == pytest.approx(50.0)
    assert metrics['retrieval/t2v/MdR'] == 2.0
    assert metrics['retrieval/t2v/MnR'] == pytest.approx(2.0)
    # v2t, columns of t2v: video 0 best caption 0 (0.9, rank 1); video 1:
    # caption 2 scores 0.1, captions 1 (0.8), 4 (0.5), 3 (0.2) above and
    # caption 0 tied (0.1) -> rank 5; video 2: best gt 0.6 -> rank 1.
    assert metrics['retrieval/v2t_vtc/MnR'] == pytest.approx(7 / 3)
    assert metrics['retrieval/v2t_vtc/MdR'] == 1.0
    assert metrics['retrieval/v2t_vtc/R@1'] == pytest.approx(200 / 3)
    # mean_recall averages the re-ranked directions present (t2v only).
    assert metrics['retrieval/mean_recall'] == pytest.approx(50.0)
    assert not any('v2t/' in key for key in metrics)


def test_metric_caption_of_several_videos():
    t2v = torch.tensor([[0.1, 0.4, 0.9], [0.3, 0.2, 0.1]])
    metrics = evaluate(dict(text_to_video=[[0, 1], [1]], t2v_scores=t2v),
                       topk=(1, ))
    # text 0: best gt 0.4, non-gt 0.9 above -> rank 2; text 1: rank 2.
    assert metrics['retrieval/t2v/MnR'] == 2.0


def test_metric_gallery_smaller_than_k():
    scores = torch.tensor([[0.1, 0.5, 0.9]])
    metrics = evaluate(dict(text_to_video=[[0]], t2v_scores=scores))
    assert metrics['retrieval/t2v/R@1'] == 0.0
    assert metrics['retrieval/t2v/R@5'] == metrics['retrieval/t2v/R@10'] \
        == 100.0
    assert metrics['retrieval/t2v/MdR'] == 3.0


def test_metric_prefix_registry_and_errors():
    metric = METRICS.build(dict(type='RetrievalMetric', prefix='msrvtt'))
    metric.process(None, [dict(text_to_video=[[0]],
                               t2v_scores=torch.ones(1, 1))])
    assert metric.evaluate(1)['msrvtt/t2v/R@1'] == 100.0
    assert metric.results == []
    with pytest.raises(KeyError, match='text_to_video'):
        metric.process(None, [dict(pred_score=torch.ones(3))])
    one = dict(text_to_video=[[0]], t2v_scores=torch.ones(1, 1))
    metric.process(None, [one, one])
    with pytest.raises(ValueError, match='got 2 results'):
        metric.evaluate(1)
    with pytest.raises(ValueError, match='shape'):
        evaluate(dict(text_to_video=[[0], [1]], v2t_scores=torch.ones(3, 3)))
    with pytest.raises(ValueError, match='topk'):
        RetrievalMetric(topk=(0, 5))


def test_format_table():
    table = format_table({'t2v': {'R@1': 50.0, 'MdR': 2.0},
                          'v2t_vtc': {'R@1': 12.345, 'MdR': 10.0}})
    lines = table.splitlines()
    assert lines[0].split() == ['R@1', 'MdR']
    assert lines[2].split() == ['v2t_vtc', '12.35', '10.00']
    assert len({len(line) for line in lines}) == 1
