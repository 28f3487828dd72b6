"""Gathering tokens along the sequence dimension with an index tensor."""


def gather_tokens(tokens, index):
    """``out[r, j] = tokens[r, index[r, j]]``: (R, L, ...) tokens and
    (R, k) indices -> (R, k, ...).
    """
    index = index.view(*index.shape, *([1] * (tokens.dim() - 2)))
    return tokens.gather(1, index.expand(-1, -1, *tokens.shape[2:]))
