"""Tube masking (VideoMAE): one random patch mask per clip, shared by its
frames, with a fixed number of masked patches (rectangular tensors, no
host syncs).
"""
import torch


def num_masked_patches(num_patches, mask_ratio):
    """``floor(mask_ratio * N + 0.5)`` patches masked of N, at most N - 1."""
    return min(int(mask_ratio * num_patches + 0.5), num_patches - 1)


def sample_tube_mask(batch_size, num_patches, mask_ratio, device=None):
    """One random mask per clip.

    Args:
        batch_size (int): Clips, B.
        num_patches (int): Patches per frame, N.
        mask_ratio (float): In [0, 1).
        device (torch.device, optional): Of the outputs.

    Returns:
        tuple[Tensor, Tensor]: ``mask`` (B, N) bool, True where masked, and
        ``visible`` (B, N - masked) indices, ascending.
    """
    num_visible = num_patches - num_masked_patches(num_patches, mask_ratio)
    noise = torch.rand(batch_size, num_patches, device=device)
    visible = noise.argsort(dim=1)[:, :num_visible].sort(dim=1).values
    mask = torch.ones(batch_size, num_patches, dtype=torch.bool,
                      device=device)
    mask.scatter_(1, visible, False)
    return mask, visible
