"""VTC over 2 gloo processes with batch B/2 each equals one process with B
(loss, and gradients w.r.t. the inputs, projections and temperature).

The processes are forked (``torch.multiprocessing.start_processes``), so they
start in a fraction of a second instead of re-importing smaug.
"""
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from smaug.models.heads import VTCHead
from smaug.models.distributed import gather_with_grad

BATCH, VIDEO_DIMS, TEXT_DIMS, WORLD_SIZE = 8, 12, 10, 2


def make_problem():
    """The same head and global batch in every process (float64)."""
    torch.manual_seed(0)
    head = VTCHead(VIDEO_DIMS, TEXT_DIMS, embed_dims=6,
                   learnable_temperature=True).double()
    head.init_weights()
    video_cls = torch.randn(BATCH, VIDEO_DIMS, dtype=torch.float64)
    text_cls = torch.randn(BATCH, TEXT_DIMS, dtype=torch.float64)
    return head, video_cls, text_cls


def step(head, video_cls, text_cls):
    """Forward + backward; the loss and the gradients."""
    video_cls = video_cls.clone().requires_grad_()
    text_cls = text_cls.clone().requires_grad_()
    loss = head.loss(*head(video_cls, text_cls))
    loss.backward()
    grads = {name: param.grad for name, param in head.named_parameters()}
    return loss.detach(), video_cls.grad, text_cls.grad, grads


def worker(rank, port, out_dir):
    """One rank: its half of the batch; parameter gradients averaged over
    ranks as DDP would; results saved to ``out_dir/rank{rank}.pth``."""
    torch.set_num_threads(1)  # no OpenMP pool inherited across fork
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank, world_size=WORLD_SIZE)
    try:
        head, video_cls, text_cls = make_problem()
        local = slice(rank * BATCH // WORLD_SIZE,
                      (rank + 1) * BATCH // WORLD_SIZE)
        assert torch.equal(gather_with_grad(video_cls[local]), video_cls)
        loss, video_grad, text_grad, grads = step(head, video_cls[local],
                                                  text_cls[local])
        for grad in grads.values():
            dist.all_reduce(grad)
            grad /= WORLD_SIZE
        torch.save((loss, video_grad, text_grad, grads),
                   f'{out_dir}/rank{rank}.pth')
    finally:
        dist.destroy_process_group()


def test_two_processes_equal_one(free_port, tmp_path):
    mp.start_processes(worker, args=(free_port, str(tmp_path)),
                       nprocs=WORLD_SIZE, start_method='fork')
    per_rank = [
        torch.load(tmp_path / f'rank{rank}.pth', weights_only=True)
        for rank in range(WORLD_SIZE)
    ]
    loss, video_grad, text_grad, grads = step(*make_problem())

    distributed_loss = sum(result[0] for result in per_rank) / WORLD_SIZE
    print(f'VTC loss: 1 process {loss.item():.15f}, 2 processes '
          f'{distributed_loss.item():.15f}')
    torch.testing.assert_close(distributed_loss, loss, rtol=0, atol=1e-12)
    # Each rank's loss is a mean over its B/2 pairs: WORLD_SIZE times its
    # share of the global mean, hence the division.
    for index, reference in ((1, video_grad), (2, text_grad)):
        torch.testing.assert_close(
            torch.cat([result[index] for result in per_rank]) / WORLD_SIZE,
            reference, rtol=0, atol=1e-12)
    assert set(grads) == {'temperature', 'video_proj.weight',
                          'video_proj.bias', 'text_proj.weight',
                          'text_proj.bias'}
    for name, grad in grads.items():
        assert grad.abs().max() > 0, name
        for result in per_rank:
            torch.testing.assert_close(result[3][name], grad, rtol=0,
                                       atol=1e-12, msg=name)
