"""tools/analysis/benchmark_annotation_memory.py runs as a user runs it and
prints a row per process; the second start maps the store the first wrote.
No figure is asserted."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r'^(rank \d( worker \d| before build)?)\s+\d+(\s+\d+){3}')


def test_table_and_store_reuse():
    result = subprocess.run(
        [sys.executable, 'tools/analysis/benchmark_annotation_memory.py',
         '--entries', '3000', '--ranks', '2', '--workers', '1', '--samples',
         '100', '--runs', '2', '--format', 'jsonl'],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith('3000 entries')
    for start in out.split('\nstart ')[1:]:
        names = [ROW.match(line).group(1) for line in start.splitlines()
                 if ROW.match(line)]
        assert names == [f'rank {r}{what}' for r in (0, 1) for what in (
            ' before build', '', ' worker 0')]
        assert re.search(r'^all processes\s+\d+$', start, re.MULTILINE)
    assert out.count('Wrote the annotation store') == 1
