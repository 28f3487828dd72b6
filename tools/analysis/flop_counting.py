"""FLOPs of a training step, counted by PyTorch's FlopCounterMode.

``torch.utils.flop_counter`` has no formula for the CPU flash-attention
kernel that ``scaled_dot_product_attention`` dispatches to on the CPU, so
attention would count as zero there; :data:`CPU_SDPA_FLOP_FORMULAS` adds
PyTorch's own SDPA formulas for it.
"""
import sys

import torch
from torch.utils.flop_counter import (FlopCounterMode,
                                      sdpa_backward_flop_count,
                                      sdpa_flop_count)


def cpu_sdpa_flops(query_shape, key_shape, value_shape, *args, **kwargs):
    """FLOPs of the CPU attention kernel, by PyTorch's SDPA formula."""
    return sdpa_flop_count(query_shape, key_shape, value_shape)


def cpu_sdpa_backward_flops(grad_out_shape, query_shape, key_shape,
                            value_shape, *args, **kwargs):
    """FLOPs of the CPU attention kernel's backward, by PyTorch's
    formula."""
    return sdpa_backward_flop_count(grad_out_shape, query_shape, key_shape,
                                    value_shape)


CPU_SDPA_FLOP_FORMULAS = {
    torch.ops.aten._scaled_dot_product_flash_attention_for_cpu:
    cpu_sdpa_flops,
    torch.ops.aten._scaled_dot_product_flash_attention_for_cpu_backward:
    cpu_sdpa_backward_flops,
}


def count_flops(step):
    """Total FLOPs of ``step()`` (e.g. a forward and backward pass).

    Args:
        step (callable): Runs the work to count; its result is ignored.

    Returns:
        int: Floating point operations (a multiply-add counts 2).
    """
    counter = FlopCounterMode(display=False,
                              custom_mapping=CPU_SDPA_FLOP_FORMULAS)
    with counter:
        step()
    return counter.get_total_flops()


def training_batch_flops(model, batch):
    """FLOPs of one training forward and backward of ``model`` on a
    collated ``batch`` (the optimizer step not included); the gradients
    are cleared afterwards.

    Args:
        model (BaseModel): A smaug model in training mode.
        batch (dict): A batch of its training dataloader.
    """
    def forward_backward():
        data = model.data_preprocessor(batch, True)
        loss, _ = model.parse_losses(model(**data, mode='loss'))
        loss.backward()

    flops = count_flops(forward_backward)
    model.zero_grad(set_to_none=True)
    return flops


if __name__ == '__main__':
    sys.exit('flop_counting.py is a module of benchmark_pretrain.py, '
             'mini_ablation.py, table7_study.py and model_timing.py, not a '
             'command: run python tools/analysis/benchmark_pretrain.py '
             '--help or python tools/analysis/table7_study.py --help')
