"""All-gather across ranks that lets gradients flow back to every rank."""
import torch
import torch.distributed as dist
from mmengine.dist import get_dist_info


class _GatherWithGrad(torch.autograd.Function):
    """Forward: concatenate every rank's tensor along dim 0. Backward: each
    rank's chunk receives the sum over ranks of the gradients flowing into
    that chunk (an all-reduce, then the own slice), so that after DDP's
    gradient averaging the result equals single-process training on the
    global batch."""

    @staticmethod
    def forward(ctx, tensor):
        rank, world_size = get_dist_info()
        ctx.rank, ctx.length = rank, tensor.shape[0]
        gathered = [torch.empty_like(tensor) for _ in range(world_size)]
        dist.all_gather(gathered, tensor.contiguous())
        return torch.cat(gathered, dim=0)

    @staticmethod
    def backward(ctx, grad):
        grad = grad.contiguous()
        dist.all_reduce(grad)
        start = ctx.rank * ctx.length
        return grad[start:start + ctx.length]


def gather_with_grad(tensor):
    """Concatenate ``tensor`` of every rank along dim 0, differentiably.

    Every rank must pass the same shape (mmengine's samplers give every rank
    the same batch sizes). In a single process it returns ``tensor`` itself.
    Rank r's rows are at ``[r * len(tensor), (r + 1) * len(tensor))``.

    Args:
        tensor (Tensor): (N, ...) this rank's rows.

    Returns:
        Tensor: (world_size * N, ...).
    """
    if get_dist_info()[1] == 1:
        return tensor
    return _GatherWithGrad.apply(tensor)
