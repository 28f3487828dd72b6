"""Frames <-> flattened patch pixels (MAE's patchify / unpatchify).

Patches in raster order (the ViT's token order); a patch lists its pixels
row by row, channels together: index ``(i * p + j) * 3 + c``.
"""


def patchify(images, patch_size):
    """(R, 3, H, W) images -> (R, (H/p) * (W/p), p * p * 3) patches."""
    rows, channels, height, width = images.shape
    if height % patch_size or width % patch_size:
        raise ValueError(f'patchify: image size {height}x{width} is not a '
                         f'multiple of patch_size {patch_size}.')
    grid_h, grid_w = height // patch_size, width // patch_size
    x = images.reshape(rows, channels, grid_h, patch_size, grid_w, patch_size)
    x = x.permute(0, 2, 4, 3, 5, 1)
    return x.reshape(rows, grid_h * grid_w, patch_size * patch_size * channels)


def unpatchify(patches, patch_size, grid_size):
    """(R, h * w, p * p * 3) patches of a (h, w) ``grid_size`` ->
    (R, 3, h * p, w * p) images.
    """
    grid_h, grid_w = grid_size
    rows = patches.shape[0]
    x = patches.reshape(rows, grid_h, grid_w, patch_size, patch_size, -1)
    x = x.permute(0, 5, 1, 3, 2, 4)
    return x.reshape(rows, -1, grid_h * patch_size, grid_w * patch_size)
