"""Frames <-> flattened patch pixels (MAE's patchify / unpatchify).

A patch vector lists its pixels row by row, each pixel's channels together:
index ``(i * p + j) * 3 + c`` holds channel c of pixel (i, j) of the patch.
Patches are in raster order over the grid, matching the ViT's token order.
"""


def patchify(images, patch_size):
    """Cut images into flattened patches.

    Args:
        images (Tensor): Shape (R, 3, H, W), H and W multiples of
            ``patch_size``.
        patch_size (int): Patch side p.

    Returns:
        Tensor: Shape (R, (H/p) * (W/p), p * p * 3).
    """
    rows, channels, height, width = images.shape
    if height % patch_size or width % patch_size:
        raise ValueError(f'patchify: image size {height}x{width} is not a '
                         f'multiple of patch_size {patch_size}.')
    grid_h, grid_w = height // patch_size, width // patch_size
    x = images.reshape(rows, channels, grid_h, patch_size, grid_w, patch_size)
    x = x.permute(0, 2, 4, 3, 5, 1)
    return x.reshape(rows, grid_h * grid_w, patch_size * patch_size * channels)


def unpatchify(patches, patch_size, grid_size):
    """Reassemble images from flattened patches (inverse of patchify).

    Args:
        patches (Tensor): Shape (R, h * w, p * p * 3).
        patch_size (int): Patch side p.
        grid_size (tuple[int, int]): Patch grid (h, w).

    Returns:
        Tensor: Shape (R, 3, h * p, w * p).
    """
    grid_h, grid_w = grid_size
    rows = patches.shape[0]
    x = patches.reshape(rows, grid_h, grid_w, patch_size, patch_size, -1)
    x = x.permute(0, 5, 1, 3, 2, 4)
    return x.reshape(rows, -1, grid_h * patch_size, grid_w * patch_size)
