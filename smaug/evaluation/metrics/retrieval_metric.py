"""Text-video retrieval metric: R@K, their mean, median and mean rank.

A query's rank is that of its best-placed ground truth. Ties are
pessimistic: a wrong item scoring as high as the best ground truth ranks
above it (a constant score matrix gives every query the worst rank).
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
    """(Q,) ranks in 1..G: 1 + the wrong items scoring at least the best
    ground truth, for (Q, G) ``scores`` (no NaN) and bool ``gt_mask`` (a True
    in every row).
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
    """``R@K`` (percent) for each K in ``topk``, ``R_mean``, ``MdR`` (plain
    median) and ``MnR`` of (Q,) 1-based ``ranks``.
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
    """(texts, videos) bool matrix of correct pairs from each text's video
    indices; its transpose is the video-to-text ground truth.
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
    """R@K, their mean, MdR and MnR of both directions.

    The retrieval loops gather the whole gallery themselves and hand process
    0 one result (``text_to_video`` and any of ``t2v_scores``,
    ``t2v_vtc_scores``, ``v2t_scores``, ``v2t_vtc_scores``); the metric
    computes there and broadcasts. Per matrix it reports ``{name}/R@K``,
    ``R_mean``, ``MdR``, ``MnR``, plus ``mean_recall`` (mean R@K of t2v and
    v2t; use ``save_best='retrieval/mean_recall', rule='greater'``).

    Args:
        topk (Sequence[int]): Defaults to (1, 5, 10).
        prefix (str, optional): Defaults to ``'retrieval'``.
        collect_device (str): Unused (no collection). Defaults to 'cpu'.
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
        """Keep the loop's one result (score matrices and ground truth)."""
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
        """The metrics computed on process 0 and broadcast; ``size`` unused."""
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
        """The metrics of the one result in ``results``."""
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
    """Aligned plain-text table, two decimals: row name -> column -> value."""
    columns = list(next(iter(table.values())))
    rows = [['', *columns]]
    rows += [[name, *(f'{row[c]:.2f}' for c in columns)]
             for name, row in table.items()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(columns) + 1)]
    lines = ['  '.join(cell.rjust(w) for cell, w in zip(r, widths))
             for r in rows]
    return '\n'.join(lines)
