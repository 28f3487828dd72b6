"""relaxed_topk: Plötz & Roth's successive softmax, against a written-out
reference of the paper's formula."""

import pytest
import torch

from smaug.models.necks.gumbel_topk import relaxed_topk

from successive_softmax import reference_rows
from successive_softmax import successive_softmax

# The example of issue 22: top-3 of these logits is frames 1, 3, 0 (in
# that order of size).
LOGITS = [0.3, 2., -1., 1., 0.]


def test_reference_matches_hand_computed_draws():
    # At tau = 1, p_1 = softmax(logits) (exp sum 12.8251), and p_2 is
    # proportional to exp(logits) * (1 - p_1) (sum 7.7613).
    first, second = successive_softmax(LOGITS, 2, 1.)
    assert first == pytest.approx([0.1053, 0.5761, 0.0287, 0.2120, 0.0780],
                                  abs=1e-4)
    assert second == pytest.approx([0.1556, 0.4036, 0.0460, 0.2760, 0.1188],
                                   abs=1e-4)


@pytest.mark.parametrize('tau, frame_sums', [
    (1.0, [0.44, 1.31, 0.14, 0.77, 0.34]),
    (0.5, [0.48, 1.23, 0.05, 0.94, 0.30]),
    (0.1, [0.95, 1.00, 0.00, 1.00, 0.05]),
])
def test_issue_example_frame_sums(tau, frame_sums):
    """The table of issue 22: the soft rows summed per frame."""
    draws = successive_softmax(LOGITS, 3, tau)
    assert [sum(column) for column in zip(*draws)] == pytest.approx(
        frame_sums, abs=0.005)
    index, soft = relaxed_topk(torch.tensor([LOGITS], dtype=torch.float64),
                               3, tau)
    assert index.tolist() == [[0, 1, 3]]
    assert soft.sum(1)[0].tolist() == pytest.approx(frame_sums, abs=0.005)


@pytest.mark.parametrize('tau', [2.0, 1.0, 0.5, 0.2, 0.1])
def test_rows_equal_the_reference(tau):
    logits = torch.tensor([LOGITS, [1.5, -0.2, 0.7, 2.4, 0.1],
                           [-0.3, 0.4, 0.2, -1.1, 0.9]], dtype=torch.float64)
    index, soft = relaxed_topk(logits, 3, tau)
    assert soft.shape == (3, 3, 5) and soft.dtype == torch.float64
    for row, values in enumerate(logits.tolist()):
        expected_index, expected_rows = reference_rows(values, 3, tau)
        assert index[row].tolist() == expected_index
        torch.testing.assert_close(
            soft[row], torch.tensor(expected_rows, dtype=torch.float64),
            rtol=0, atol=1e-12)


def test_small_tau_rows_are_the_one_hots_of_the_selected_indices():
    generator = torch.Generator().manual_seed(0)
    # Distinct logits at least 0.5 apart.
    logits = torch.stack([torch.randperm(8, generator=generator)
                          for _ in range(6)]).float() * 0.5
    index, soft = relaxed_topk(logits, 3, 0.01)
    assert soft.dtype == torch.float32
    one_hots = torch.nn.functional.one_hot(index, 8).float()
    torch.testing.assert_close(soft, one_hots, rtol=0, atol=1e-6)
    k_hot = torch.zeros(6, 8).scatter_(1, index, 1.)
    torch.testing.assert_close(soft.sum(1), k_hot, rtol=0, atol=1e-6)
