"""Tube masking (VideoMAE): one random patch mask per clip, shared by frames.

A clip's K frames lose the same spatial patches, so a masked patch cannot be
recovered by copying it from a neighbouring frame. The number of masked
patches is fixed, ``floor(mask_ratio * N + 0.5)`` (the ratio rounded half up),
so every clip keeps the same number of visible patches and the visible tokens
of a batch form a rectangular tensor. The visible indices are returned in
ascending (raster) order. Everything stays on the device: no host syncs.
"""
import torch


def num_masked_patches(num_patches, mask_ratio):
    """Number of patches tube masking removes from an N-patch frame.

    Args:
        num_patches (int): Patches per frame, N.
        mask_ratio (float): Fraction to mask, in [0, 1).

    Returns:
        int: ``floor(mask_ratio * N + 0.5)``, at most ``N - 1`` so that at
        least one patch stays visible.
    """
    return min(int(mask_ratio * num_patches + 0.5), num_patches - 1)


def sample_tube_mask(batch_size, num_patches, mask_ratio, device=None):
    """Draw one random mask per clip.

    Args:
        batch_size (int): Number of clips, B.
        num_patches (int): Patches per frame, N.
        mask_ratio (float): Fraction of patches to mask, in [0, 1).
        device (torch.device, optional): Device of the outputs.

    Returns:
        tuple[Tensor, Tensor]: ``mask`` (B, N) bool, True where a patch is
        masked, and ``visible`` (B, N - num_masked) long, the indices of the
        visible patches in ascending order.
    """
    num_visible = num_patches - num_masked_patches(num_patches, mask_ratio)
    noise = torch.rand(batch_size, num_patches, device=device)
    visible = noise.argsort(dim=1)[:, :num_visible].sort(dim=1).values
    mask = torch.ones(batch_size, num_patches, dtype=torch.bool,
                      device=device)
    mask.scatter_(1, visible, False)
    return mask, visible
