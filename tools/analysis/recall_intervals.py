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


if __name__ == '__main__':
    sys.exit('recall_intervals.py is a module of mini_ablation.py (the '
             'intervals of its R@K), not a command: run python '
             'tools/analysis/mini_ablation.py --help')
