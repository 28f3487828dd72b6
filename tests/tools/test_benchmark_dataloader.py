"""tools/analysis/benchmark_dataloader.py runs (videos folder and config) and
reports both throughputs and their ratio; no timing is asserted."""
import re
import sys
from pathlib import Path

import media_files

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools' / 'analysis'))

import benchmark_dataloader  # noqa: E402

ROW = re.compile(r'^\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+[\d.]+'
                 r'\s+DecordInit')


def rows(text):
    return [ROW.match(line).groups() for line in text.splitlines()
            if ROW.match(line)]


def test_videos_folder(tmp_path, capsys):
    for i in range(3):
        media_files.write_video(tmp_path / f'v{i}.mp4', num_frames=12)
    assert benchmark_dataloader.main([
        '--videos', str(tmp_path), '--num-frames', '1', '4', '--img-size',
        '32', '--passes', '1'
    ]) == 0
    out = capsys.readouterr().out
    assert '3 clips x 1 passes' in out
    table = rows(out)
    assert [r[0] for r in table] == ['1', '4']
    for _, raw, pipe, ratio in table:
        assert abs(float(raw) / float(pipe) - float(ratio)) < 0.02 * float(
            ratio) + 0.002
    assert 'ClipRandomResizedCrop' in out and 'PackVideoTextInputs' in out


def test_config_pipeline(tmp_path, capsys):
    corpus = media_files.make_synthetic(tmp_path / 'syn', num_videos=6)
    config = tmp_path / 'cfg.py'
    config.write_text(f"""
_base_ = ['{ROOT}/configs/_base_/datasets/synthetic_pretrain.py']
data_root = '{corpus}'
img_size = 32
""")
    assert benchmark_dataloader.main(
        [str(config), '--num-frames', '2', '--passes', '1']) == 0
    out = capsys.readouterr().out
    assert [r[0] for r in rows(out)] == ['2']
    # the config's VideoTrainPipeline: synthetic style (no flip)
    assert 'ClipRandomResizedCrop' in out and 'ClipFlip' not in out


def test_loose_files_against_shards(tmp_path, capsys):
    for i in range(3):
        media_files.write_video(tmp_path / f'v{i}.mp4', num_frames=12)
    assert benchmark_dataloader.main([
        '--videos', str(tmp_path), '--num-frames', '1', '4', '--img-size',
        '32', '--passes', '1', '--shards'
    ]) == 0
    out = capsys.readouterr().out
    table = re.findall(r'^\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+$', out,
                       re.MULTILINE)
    assert 'loose files, shards of the files, shards of K JPEG frames' in out
    assert table == ['1', '4']
