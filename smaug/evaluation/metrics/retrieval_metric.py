"""Text-video retrieval metric: R@K, their mean, median and mean rank.

The rank of a query is the 1-based position of its best-placed ground truth
in the gallery sorted by score, so a video with several captions (or a
caption that describes several videos) is found as soon as any of its
ground truths is. Ties are resolved pessimistically: a gallery item that is
not a ground truth and scores exactly as high as the best ground truth is
counted as ranked above it (a constant score matrix gives every query the
worst rank, not the best). Ties among ground truths themselves cost nothing.
"""
import logging
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.dist import broadcast_object_list, is_main_process
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from smaug.registry import METRICS

#: The score matrices a result may hold, with the direction of their queries.
RANKINGS = (('t2v', 't2v_scores'), ('v2t', 'v2t_scores'),
            ('t2v_vtc', 't2v_vtc_scores'), ('v2t_vtc', 'v2t_vtc_scores'))


def retrieval_ranks(scores: torch.Tensor,
                    gt_mask: torch.Tensor) -> torch.Tensor:
    """1-based rank of each query's best ground truth, ties pessimistic.

    rank = 1 + number of non-ground-truth gallery items whose score is at
    least the best ground truth's score.

    Args:
        scores (torch.Tensor): (Q, G) scores, higher is better. NaN refused.
        gt_mask (torch.Tensor): (Q, G) bool, True where the gallery item is a
            correct answer to the query. Every row needs at least one True.

    Returns:
        torch.Tensor: (Q,) long ranks in 1..G.
    """
    if scores.shape != gt_mask.shape or scores.dim() != 2:
        raise ValueError('retrieval_ranks: scores and gt_mask must be two '
                         f'matrices of one shape, got {tuple(scores.shape)} '
                         f'and {tuple(gt_mask.shape)}')
    if torch.isnan(scores).any():
        raise ValueError('retrieval_ranks: scores contain NaN')
    gt_mask = gt_mask.to(device=scores.device, dtype=torch.bool)
    no_gt = (~gt_mask.any(dim=1)).nonzero().flatten()
    if len(no_gt):
        raise ValueError(f'retrieval_ranks: {len(no_gt)} queries have no '
                         f'ground truth, e.g. query {no_gt[:10].tolist()}')
    lowest = torch.tensor(-torch.inf, dtype=scores.dtype, device=scores.device)
    best_gt = torch.where(gt_mask, scores, lowest).amax(dim=1, keepdim=True)
    above = (scores >= best_gt) & ~gt_mask
    return above.sum(dim=1) + 1


def rank_summary(ranks: torch.Tensor,
                 topk: Sequence[int] = (1, 5, 10)) -> Dict[str, float]:
    """Recall at each K (percent), their mean, median rank and mean rank.

    Args:
        ranks (torch.Tensor): (Q,) 1-based ranks.
        topk (Sequence[int]): The K of the R@K. Defaults to (1, 5, 10).

    Returns:
        dict[str, float]: ``R@K`` for each K, ``R_mean``, ``MdR`` (the plain
        median, the mean of the two middle ranks for an even count) and
        ``MnR``.
    """
    ranks = ranks.double().cpu()
    summary = {f'R@{k}': 100.0 * (ranks <= k).double().mean().item()
               for k in topk}
    summary['R_mean'] = float(np.mean([summary[f'R@{k}'] for k in topk]))
    summary['MdR'] = float(np.median(ranks.numpy()))
    summary['MnR'] = ranks.mean().item()
    return summary


def ground_truth_masks(text_to_video: Sequence[Sequence[int]],
                       num_videos: int) -> torch.Tensor:
    """The (texts, videos) bool matrix of correct pairs.

    Args:
        text_to_video (Sequence[Sequence[int]]): For each text, the indices
            of the videos it describes.
        num_videos (int): Size of the video gallery.

    Returns:
        torch.Tensor: (len(text_to_video), num_videos) bool; its transpose
        is the video-to-text ground truth.
    """
    mask = torch.zeros(len(text_to_video), num_videos, dtype=torch.bool)
    for text, videos in enumerate(text_to_video):
        videos = list(videos)
        if any(not 0 <= v < num_videos for v in videos):
            raise ValueError(
                f'text_to_video[{text}] = {videos} points outside the '
                f'gallery of {num_videos} videos')
        mask[text, videos] = True
    return mask


@METRICS.register_module()
class RetrievalMetric(BaseMetric):
    """Recall at K, mean recall, median and mean rank of both directions.

    Fed by :class:`smaug.engine.RetrievalValLoop` / ``RetrievalTestLoop``:
    those loops gather the features of every rank themselves, so the
    process-0 metric receives the whole gallery's score matrices as one
    result (``evaluator.process(data_samples=[result])``, called on process 0
    only) and the other processes receive nothing. Hence :meth:`evaluate`
    does not collect results across processes; it computes on process 0 and
    broadcasts the numbers.

    A result is a dict with ``text_to_video`` (for each text, the indices of
    its videos) and any of the (texts, videos) matrices ``t2v_scores``,
    ``t2v_vtc_scores`` and (videos, texts) matrices ``v2t_scores``,
    ``v2t_vtc_scores``. For each matrix present the metric reports
    ``{name}/R@K`` for K in ``topk``, ``{name}/R_mean``, ``{name}/MdR`` and
    ``{name}/MnR`` (name: ``t2v``, ``v2t``, ``t2v_vtc``, ``v2t_vtc``), plus
    ``mean_recall``: the mean R@K of ``t2v`` and ``v2t`` together, for
    best-checkpoint selection (``save_best='retrieval/mean_recall',
    rule='greater'``: mmengine cannot infer the rule for this key). The ranks
    follow :func:`retrieval_ranks` (pessimistic ties).

    Args:
        topk (Sequence[int]): The K of the R@K. Defaults to (1, 5, 10).
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'retrieval'``.
        collect_device (str): Unused by this metric (no collection); kept for
            the :class:`BaseMetric` interface. Defaults to 'cpu'.
    """
    default_prefix = 'retrieval'

    def __init__(self,
                 topk: Sequence[int] = (1, 5, 10),
                 prefix: Optional[str] = None,
                 collect_device: str = 'cpu') -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not topk or any(int(k) != k or k < 1 for k in topk):
            raise ValueError(
                f'RetrievalMetric: topk must be positive integers, got {topk}')
        self.topk = tuple(int(k) for k in topk)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep the loop's score matrices and ground truth.

        Args:
            data_batch: Unused.
            data_samples (Sequence[dict]): Dicts as described in the class
                docstring.
        """
        for result in data_samples:
            names = [key for _, key in RANKINGS if key in result]
            if 'text_to_video' not in result or not names:
                raise KeyError(
                    'RetrievalMetric: a result needs the key text_to_video '
                    f'and at least one of {[key for _, key in RANKINGS]}, '
                    f'got keys {sorted(result)}; use it with '
                    'RetrievalValLoop / RetrievalTestLoop')
            self.results.append(result)

    def evaluate(self, size: int) -> dict:
        """Compute on process 0 without collecting, broadcast the metrics.

        Args:
            size (int): Unused (the loop already removed sampler padding).

        Returns:
            dict: The metrics, identical on every process.
        """
        metrics = [None]
        if is_main_process():
            metrics = [self.compute_metrics(self.results)]
            if self.prefix:
                metrics = [{f'{self.prefix}/{k}': v
                            for k, v in metrics[0].items()}]
        broadcast_object_list(metrics)
        self.results.clear()
        return metrics[0]

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Rank every query of every score matrix and summarise.

        Args:
            results (list[dict]): Exactly one result (one gallery).

        Returns:
            dict[str, float]: The metrics named in the class docstring.
        """
        if len(results) != 1:
            raise ValueError(
                'RetrievalMetric: expected the score matrices of one gallery '
                f'on process 0, got {len(results)} results')
        result = results[0]
        text_to_video = result['text_to_video']
        metrics, table = {}, {}
        for name, key in RANKINGS:
            if key not in result:
                continue
            scores = torch.as_tensor(result[key])
            text_to_video_order = name.startswith('t2v')
            if scores.dim() != 2 or scores.shape[
                    0 if text_to_video_order else 1] != len(text_to_video):
                raise ValueError(
                    f'RetrievalMetric: {key} has shape {tuple(scores.shape)}'
                    f' but there are {len(text_to_video)} texts in '
                    'text_to_video')
            gt = ground_truth_masks(text_to_video,
                                    scores.shape[1 if text_to_video_order
                                                 else 0])
            if not text_to_video_order:
                gt = gt.t()
            table[name] = rank_summary(retrieval_ranks(scores, gt), self.topk)
            metrics.update(
                {f'{name}/{k}': v for k, v in table[name].items()})
        reranked = [table[name][f'R@{k}'] for name in ('t2v', 'v2t')
                    if name in table for k in self.topk]
        if reranked:
            metrics['mean_recall'] = float(np.mean(reranked))
        print_log('\n' + format_table(table), logger='current',
                  level=logging.INFO)
        return metrics


def format_table(table: Dict[str, Dict[str, float]]) -> str:
    """A plain-text table with one row per ranking.

    Args:
        table (dict[str, dict[str, float]]): Row name -> column -> value.

    Returns:
        str: Aligned columns, two decimals.
    """
    columns = list(next(iter(table.values())))
    rows = [['', *columns]]
    rows += [[name, *(f'{row[c]:.2f}' for c in columns)]
             for name, row in table.items()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(columns) + 1)]
    lines = ['  '.join(cell.rjust(w) for cell, w in zip(r, widths))
             for r in rows]
    return '\n'.join(lines)
