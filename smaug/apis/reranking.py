"""Re-scoring candidate videos of a text query with the VTM head."""
import torch

from smaug.datasets.transforms import clean_text
from smaug.evaluation.retrieval_scoring import descending_order
from .embedding import embed_videos


@torch.no_grad()
def rerank(model, query, candidates, batch_size=16, num_frames=None,
           vtc_scores=None):
    """Order candidate videos of one query by VTM score (VTM + VTC given
    ``vtc_scores``), as the retrieval test loop re-scores its top-k.

    Args:
        model (torch.nn.Module): From :func:`smaug.apis.init_model`.
        query (str): The text.
        candidates (torch.Tensor | Sequence[str]): Tokens (n, K, 1 + T, C)
            (``embed_videos(..., return_tokens=True)``) or video files.
        batch_size (int): Pairs per forward pass. Defaults to 16.
        num_frames (int, optional): Frames per clip when reading files.
        vtc_scores (torch.Tensor, optional): (n,) VTC similarities.

    Returns:
        dict: ``scores`` (n,) VTM scores and ``order`` (n,), best first
        (ties keep the candidates' order).
    """
    if len(candidates) == 0:
        raise ValueError('rerank: no candidates to score')
    if not isinstance(candidates, torch.Tensor):
        candidates = embed_videos(model, list(candidates), batch_size,
                                  num_frames, return_tokens=True,
                                  progress=False)['tokens']
    text = model.extract_text_feats([clean_text(query)])
    scores = []
    for start in range(0, len(candidates), batch_size):
        tokens = candidates[start:start + batch_size]
        tokens = tokens.to(text['hidden'].device)
        num = tokens.shape[0]
        scores.append(model.score_pairs(
            tokens, text['hidden'].expand(num, -1, -1),
            text['attention_mask'].expand(num, -1)).float().cpu())
    scores = torch.cat(scores)
    ranking = scores if vtc_scores is None else scores + vtc_scores.cpu()
    return dict(scores=scores, order=descending_order(ranking))
