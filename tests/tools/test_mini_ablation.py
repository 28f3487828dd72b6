"""tools/analysis/mini_ablation.py and its intervals (recall_intervals.py)."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from media_files import make_synthetic

ANALYSIS = Path(__file__).resolve().parents[2] / 'tools' / 'analysis'
sys.path.insert(0, str(ANALYSIS))
from recall_intervals import video_bootstrap  # noqa: E402

CELL = re.compile(r'(-?[\d.]+) \+- ([\d.]+) \[(-?[\d.]+), (-?[\d.]+)\]')


def test_bootstrap_estimate_is_the_recall_and_certain_hits_have_no_width():
    hits = np.array([[True, False, True, True]])
    estimate, low, high = video_bootstrap(hits, [0, 1, 2, 3], [1.0])
    assert estimate == 75.0 and low < 75.0 < high
    assert video_bootstrap(np.ones((1, 4), bool), [0, 1, 2, 3],
                           [1.0]) == (100.0, 100.0, 100.0)


def test_bootstrap_width_matches_the_binomial_for_one_query_per_video():
    hits = np.random.default_rng(0).random((1, 1000)) < 0.3
    p = hits.mean()
    _, low, high = video_bootstrap(hits, np.arange(1000), [1.0])
    binomial = 2 * 1.96 * 100 * np.sqrt(p * (1 - p) / 1000)
    assert high - low == pytest.approx(binomial, rel=0.1)


def test_bootstrap_does_not_count_paraphrases_as_new_queries():
    hits = np.random.default_rng(1).random((1, 200)) < 0.3
    videos = np.arange(200)
    # The same outcome for 5 captions of each video: no new information.
    repeated = video_bootstrap(np.repeat(hits, 5, axis=1),
                               np.repeat(videos, 5), [1.0])
    assert repeated == pytest.approx(video_bootstrap(hits, videos, [1.0]))


def test_bootstrap_difference_is_paired():
    rng = np.random.default_rng(2)
    hits = rng.random((1, 300)) < 0.4
    same = video_bootstrap(np.concatenate([hits, hits]), np.arange(300),
                           [1.0, -1.0])
    assert same == (0.0, 0.0, 0.0)
    # Two runs over seeds each, one config finding 10 more of 300 queries.
    better = hits.copy()
    better[0, np.flatnonzero(~hits[0])[:10]] = True
    estimate, low, high = video_bootstrap(
        np.concatenate([better, better, hits, hits]), np.arange(300),
        [0.5, 0.5, -0.5, -0.5])
    assert estimate == pytest.approx(100 * 10 / 300)
    assert 0 < low < estimate < high


def test_bootstrap_names_mismatched_shapes():
    with pytest.raises(ValueError, match='3 query videos and 1 weights'):
        video_bootstrap(np.ones((2, 4), bool), [0, 1, 2], [1.0])


def test_mini_ablation_prints_the_table_with_intervals(repo_root, tool_env,
                                                       tmp_path):
    # the corpus is chosen by the configs' data_root variable; the tiny
    # model's vocabulary stays where the configs name it
    corpus = make_synthetic(tmp_path / 'corpus', num_videos=20)
    (tmp_path / 'data' / 'synthetic').mkdir(parents=True)
    shutil.copy(corpus / 'vocab.txt', tmp_path / 'data' / 'synthetic')
    configs = [str(repo_root / 'configs' / 'demo' / f'{name}.py')
               for name in ('dense_tiny_synthetic', 'smaug_tiny_synthetic')]
    loader = dict(batch_size=8, num_workers=0, persistent_workers=False)
    options = [f'train_dataloader.{key}={value}'
               for key, value in loader.items()]
    options += [f'test_dataloader.{key}={value}' for key, value in
                loader.items() if key != 'batch_size']
    options.append(f'data_root={corpus}')
    result = subprocess.run(
        [sys.executable, str(ANALYSIS / 'mini_ablation.py'), '--epochs', '1',
         '--seeds', '3', '4', '--work-dir', str(tmp_path / 'runs'),
         '--configs', *configs, '--cfg-options', *options],
        env=tool_env, capture_output=True, text=True, timeout=600,
        cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.split()[:3] == ['config', 'seed', 'steps'])
    runs = [line.split() for line in lines[start + 1:start + 5]]
    assert [(r[0], r[1]) for r in runs] == [
        ('dense_tiny_synthetic', '3'), ('dense_tiny_synthetic', '4'),
        ('smaug_tiny_synthetic', '3'), ('smaug_tiny_synthetic', '4')]
    start = lines.index(next(line for line in lines
                             if line.startswith('over 2 seeds')))
    summary = [line.split() for line in lines[start + 2:start + 4]]
    # 16 training clips in batches of 8, both configs the same steps; SMAUG
    # (masking, sparsification, 2 of 4 frames) needs about half the FLOPs.
    assert [row[1] for row in summary] == ['2', '2']
    assert summary[0][-1] == '1.00' and float(summary[1][-1]) > 1.5
    start = next(i for i, line in enumerate(lines)
                 if line.startswith('zero-shot text-to-video'))
    assert 'of 4 test videos' in lines[start]
    rows = lines[start + 2:start + 5]
    assert [row.split()[0] for row in rows] == [
        'dense_tiny_synthetic', 'smaug_tiny_synthetic', 'dense']
    for row in rows:
        cells = CELL.findall(row)
        assert len(cells) == 3, row
        for mean, _, low, high in cells:
            assert float(low) <= float(high)
    saved = json.loads((tmp_path / 'runs' / 'results.json').read_text())
    assert saved['seeds'] == [3, 4]
    assert all(len(runs) == 2 for runs in saved['results'].values())
    # the timed training has no validation in it; each run has its test
    logs = sorted((tmp_path / 'runs').glob('seed*/*/*/*.log'))
    assert len(logs) == 4
    for log in logs:
        text = log.read_text()
        assert 'Epoch(val)' not in text and 'Epoch(test)' in text
