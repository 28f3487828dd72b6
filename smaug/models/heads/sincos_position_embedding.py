"""Fixed 2D sine-cosine position embedding (Transformer / MAE style)."""
import torch


def sincos_position_embedding_2d(grid_size, embed_dims, temperature=10000.):
    """(h * w, C) float32 embedding of a (h, w) grid in raster order: rows
    in the first half of the C channels, columns in the second, each
    ``[sin(pos * w_k), cos(pos * w_k)]`` with
    ``w_k = temperature ** (-k / (C / 4))``; C a multiple of 4.
    """
    if embed_dims % 4:
        raise ValueError('sincos_position_embedding_2d: embed_dims must be '
                         f'a multiple of 4, got {embed_dims}.')
    quarter = embed_dims // 4
    omega = temperature**(-torch.arange(quarter, dtype=torch.float32) /
                          quarter)
    rows, cols = torch.meshgrid(
        torch.arange(grid_size[0], dtype=torch.float32),
        torch.arange(grid_size[1], dtype=torch.float32),
        indexing='ij')
    angles_h = rows.flatten()[:, None] * omega
    angles_w = cols.flatten()[:, None] * omega
    return torch.cat([angles_h.sin(), angles_h.cos(),
                      angles_w.sin(), angles_w.cos()], dim=1)
