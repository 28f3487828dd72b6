"""tools/analysis/benchmark_retrieval_test.py runs and prints its table."""
import subprocess
import sys

from tiny_smaug import write_vocab


def test_benchmark_prints_a_row_per_k(repo_root, tool_env, tmp_path):
    vocab = write_vocab(tmp_path / 'vocab.txt')
    result = subprocess.run(
        [sys.executable, str(repo_root / 'tools' / 'analysis' /
                             'benchmark_retrieval_test.py'),
         '--videos', '12', '--k', '3', '20', '--repeats', '1',
         '--frames', '2', '--batch-size', '5',
         '--cfg-options', f'model.data_preprocessor.tokenizer={vocab}'],
        env=tool_env, capture_output=True, text=True, timeout=300,
        cwd=repo_root)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines)
                  if line.split()[:2] == ['k', 'pairs'])
    rows = [line.split() for line in lines[header + 1:header + 3]]
    # k=3: 12 texts x 3 + 12 videos x 3 candidates, minus pairs found in
    # both directions; k=20 caps at the gallery: all 144 pairs.
    assert rows[0][0] == '3' and 12 * 3 <= int(rows[0][1]) <= 72
    assert rows[1][:2] == ['20', '144']
    assert all(float(value) >= 0 for value in rows[1][2:])
