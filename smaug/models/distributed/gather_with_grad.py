"""All-gather across ranks that lets gradients flow back to every rank."""
import torch
import torch.distributed as dist
from mmengine.dist import get_dist_info


class _GatherWithGrad(torch.autograd.Function):
    """Forward: every rank's tensor concatenated along dim 0. Backward:
    each rank's chunk gets the sum over ranks of its gradients, so that with
    DDP's averaging N ranks train as one process on the global batch.
    """

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
    """(N, ...) of every rank -> (world_size * N, ...), differentiably;
    rank r's rows at ``[r * N, (r + 1) * N)``; ``tensor`` in one process.
    """
    if get_dist_info()[1] == 1:
        return tensor
    return _GatherWithGrad.apply(tensor)
