"""tools/analysis/benchmark_search.py runs as a user runs it on a small
gallery: both indexes measured, the recall columns mean what they say, the
files are removed. Timings are not asserted."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_small_gallery(tmp_path):
    out = tmp_path / 'bench'
    result = subprocess.run(
        [sys.executable, 'tools/analysis/benchmark_search.py', '--sizes',
         '3000', '--dim', '32', '--queries', '30', '--out', str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-2].startswith('| 3,000 | **exact** |')
    assert lines[-1].startswith('| 3,000 | IVF219, nprobe ')
    row, = json.loads((out / 'results.json').read_text())['rows']
    exact, ivf = row['exact'], row['ivf']
    assert exact['kind'] == 'exact' and ivf['kind'] == 'ivf'
    assert row['chosen'] == 'exact' and row['nlist'] == 219
    # the exact index is the float16 truth; float32 differs only in ties
    assert exact['recall_vs_float16'] == 1.0
    assert 0.95 <= exact['recall_vs_float32'] <= 1.0
    assert 0 < ivf['recall_vs_float16'] <= 1.0 and ivf['recall'] >= 0.95
    assert row['embeddings_mib'] * 2**20 == 128 + 3000 * 32 * 2
    for result_row in (exact, ivf):
        assert 0 < result_row['p50_ms'] <= result_row['p99_ms']
        assert result_row['disk_mib'] > 0
    assert sorted(path.name for path in out.iterdir()) == ['results.json']
