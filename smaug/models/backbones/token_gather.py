"""Gathering tokens along the sequence dimension with an index tensor."""


def gather_tokens(tokens, index):
    """Select tokens per row: ``out[r, j] = tokens[r, index[r, j]]``.

    Args:
        tokens (Tensor): Shape (R, L, ...); any trailing dimensions.
        index (Tensor): Long indices into dimension 1, shape (R, k).

    Returns:
        Tensor: Shape (R, k, ...).
    """
    index = index.view(*index.shape, *([1] * (tokens.dim() - 2)))
    return tokens.gather(1, index.expand(-1, -1, *tokens.shape[2:]))
