"""Confidence intervals of recall at K over a retrieval test set.

The captions of one test video are paraphrases of each other, so whether
they are found is correlated: counting each caption as an independent query
(a binomial interval over captions) would claim more certainty than the test
set holds. :func:`video_bootstrap` resamples whole test videos, each with all
its captions (a cluster bootstrap), and gives a percentile interval.

It also takes several runs at once (seeds of one config, or two configs to
compare) with one weight each: the statistic is the weighted sum of the
runs' recalls, e.g. weights 1/S for the mean over S seeds, or +1/S and -1/S
for the difference of two configs' means. Every run is resampled with the
same videos, so a difference is paired: what both configs find or miss
alike cancels out.
"""
import statistics
import sys

import numpy as np


def video_bootstrap(hits, query_video, weights, num_resamples=2000, seed=0,
                    level=0.95):
    """Weighted sum of recalls and its cluster-bootstrap interval.

    Args:
        hits (array-like): (R, Q) bool, one row per run: whether each query
            was found within the top K.
        query_video (array-like): (Q,) int, the test video of each query
            (0..V-1); the resampling unit.
        weights (array-like): (R,) weight of each run's recall.
        num_resamples (int): Bootstrap resamples. Defaults to 2000.
        seed (int): Seed of the resampling. Defaults to 0.
        level (float): Coverage of the interval. Defaults to 0.95.

    Returns:
        tuple[float, float, float]: The statistic on the test set as it is
        and the interval's low and high end, in percent.
    """
    hits = np.atleast_2d(np.asarray(hits, dtype=float))
    query_video = np.asarray(query_video)
    weights = np.asarray(weights, dtype=float)
    if hits.shape[1] != len(query_video) or len(weights) != len(hits):
        raise ValueError(
            f'video_bootstrap: hits have shape {hits.shape}, but there are '
            f'{len(query_video)} query videos and {len(weights)} weights')
    num_videos = int(query_video.max()) + 1
    # Per run and video: captions found; per video: captions.
    found = np.stack([np.bincount(query_video, run, num_videos)
                      for run in hits])
    captions = np.bincount(query_video, minlength=num_videos)
    rng = np.random.default_rng(seed)
    # How often each video is drawn in each resample.
    draws = rng.multinomial(num_videos, np.full(num_videos, 1 / num_videos),
                            size=num_resamples)
    recalls = (draws @ found.T) / (draws @ captions)[:, None]
    statistic = 100 * recalls @ weights
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(statistic, [tail, 100 - tail])
    estimate = 100 * (found.sum(1) / captions.sum()) @ weights
    return float(estimate), float(low), float(high)


def spread(values, digits):
    """``mean +- SD`` of per-seed values (SD 0 for one seed).

    Args:
        values (list[float]): Per-seed values.
        digits (int): Decimals.
    """
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f'{statistics.mean(values):.{digits}f} +- {sd:.{digits}f}'


def recall(ranks, k):
    """R@k of one run, in percent.

    Args:
        ranks (list[int]): The rank of each text query.
        k (int): The K of R@K.
    """
    return 100 * float(np.mean(np.array(ranks) <= k))


def recall_cell(runs, weights, k, key='ranks'):
    """``mean +- seed SD [95% interval over test videos]`` of a weighted
    sum of R@k: one config's mean over seeds, or a difference of two.

    Args:
        runs (list[dict]): Test results with the query ranks under ``key``
            and ``query_video``: the seeds of one config (weights 1/S) or
            of two (+1/S, then -1/S), in the same seed order.
        weights (list[float]): Weight of each run.
        k (int): The K of R@K.
        key (str): Which ranks. Defaults to ``'ranks'``.
    """
    num_seeds = sum(w > 0 for w in weights)
    per_seed = [num_seeds * sum(w * recall(r[key], k) for w, r in
                                zip(weights[s::num_seeds],
                                    runs[s::num_seeds]))
                for s in range(num_seeds)]
    hits = [np.array(r[key]) <= k for r in runs]
    _, low, high = video_bootstrap(hits, runs[0]['query_video'], weights)
    return f'{spread(per_seed, 1)} [{low:.1f}, {high:.1f}]'


if __name__ == '__main__':
    sys.exit('recall_intervals.py is a module of mini_ablation.py and '
             'table7_study.py (the intervals of their R@K), not a command: '
             'run python tools/analysis/table7_study.py --help')
