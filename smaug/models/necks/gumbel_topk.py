"""Gumbel noise and a differentiable relaxation of top-k selection."""
import torch


def sample_gumbel(like):
    """Standard Gumbel noise shaped like ``like``, from torch's global RNG
    (so mmengine's seeding covers it)."""
    return -torch.empty_like(like).exponential_().log()


def relaxed_topk(logits, k, tau):
    """Top-k indices and a soft relaxation of their one-hot rows.

    The relaxation is the successive softmax of Plötz & Roth (2018): draw j
    is ``p_j = softmax(a_j / tau)`` with ``a_1 = logits`` and
    ``a_{j+1} = a_j + log(1 - p_j)``: the update is added to the unscaled
    logits, the temperature divides only inside the softmax. As tau -> 0,
    ``p_j`` becomes the one-hot of the j-th largest logit, so the k rows sum
    to the k-hot of the selected indices. Rows are returned in ascending
    index order (temporal order for frames), the soft rows permuted alike.

    Args:
        logits (Tensor): (B, K) scores, Gumbel-perturbed by the caller in
            training.
        k (int): Number to select, ``1 <= k <= K``.
        tau (float): Relaxation temperature (> 0).

    Returns:
        tuple[Tensor, Tensor]: indices (B, k), ascending; soft one-hot rows
        (B, k, K), row i relaxing the selection of ``indices[:, i]``.
    """
    index = logits.topk(k, dim=1).indices
    alpha = logits.to(torch.promote_types(logits.dtype, torch.float32))
    draws = []
    for _ in range(k):
        probs = (alpha / tau).softmax(dim=1)
        draws.append(probs)
        alpha = alpha + torch.log((1 - probs).clamp_min(1e-20))
    soft = torch.stack(draws, dim=1)
    index, order = index.sort(dim=1)
    soft = soft.gather(1, order[..., None].expand_as(soft))
    return index, soft.to(logits.dtype)
