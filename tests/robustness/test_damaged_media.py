"""Damaged and less common media, through the tools a user runs.

Bit flips in the frame data leave a file that opens and that decoders
conceal (smeared frames) unless asked to report it: tools/data/check_corpus.py
lists such files, training skips and counts them, and a corpus where every
video is damaged stops the run at the bad-sample ratio limit with a clear
message instead of training on garbage. AV1 videos and animated GIFs
(which decord cannot open) are read through PyAV by check_corpus and the
training pipeline alike (tools/search.py: tests/tools/test_search.py).
"""
import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import media_files
from smaug.datasets import VideoTextPretrainDataset

# The demo config, shrunk: batches of 4 (an epoch reads 8 of the 10 training
# clips), one epoch, no validation.
CONFIG = """
_base_ = [{demo!r}]
train_dataloader = dict(batch_size=4, num_workers=2, persistent_workers=True)
train_cfg = dict(max_epochs=1, val_interval=100)
val_cfg = None
val_dataloader = None
val_evaluator = None
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=100, save_best=None))
custom_hooks = []
"""


@pytest.fixture
def workspace(synthetic_workspace, tmp_path):
    """A copy of the robustness corpus (12 clips, 8 images) to damage;
    returns its root and the training videos (pretrain_video.json)."""
    root = tmp_path / 'workspace'
    shutil.copytree(synthetic_workspace / 'data', root / 'data')
    corpus = root / 'data' / 'synthetic'
    entries = json.loads(
        (corpus / 'annotations' / 'pretrain_video.json').read_text())
    return root, sorted({corpus / entry['video'] for entry in entries})


def run_tool(repo_root, tool_env, cwd, *args):
    """Run a tools/ script to completion; return (exit code, output)."""
    done = subprocess.run([sys.executable, str(repo_root / 'tools' / args[0]),
                           *map(str, args[1:])], cwd=cwd,
                          env=dict(tool_env, OMP_NUM_THREADS='1'),
                          capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


def train(repo_root, tool_env, root):
    """tools/train.py on the demo config in ``root``; (code, output)."""
    config = root / 'damaged_demo.py'
    config.write_text(CONFIG.format(
        demo=str(repo_root / 'configs' / 'demo' / 'smaug_tiny_synthetic.py')))
    return run_tool(repo_root, tool_env, root, 'train.py', config,
                    '--work-dir', root / 'work')


def test_check_corpus_lists_bit_flipped_files(workspace, repo_root,
                                              tool_env):
    root, videos = workspace
    damaged = videos[:4]
    for seed, path in enumerate(damaged):
        media_files.flip_bits(path, count=8, seed=seed)
    code, out = run_tool(repo_root, tool_env, root, 'data/check_corpus.py',
                         'annotations/pretrain_video.json', '--data-root',
                         'data/synthetic', '--workers', '2')
    assert code == 1, out
    listed = {line.split(': ')[0] for line in out.splitlines()
              if line.startswith('data/synthetic/videos/')}
    assert listed == {str(path.relative_to(root)) for path in damaged}
    assert 'PyAV cannot decode frame' in out
    assert f'{len(damaged)} of {len(videos)} files unreadable' in out


def test_training_skips_and_counts_a_few_damaged_files(workspace, repo_root,
                                                       tool_env):
    root, videos = workspace
    for seed, path in enumerate(videos[:2]):
        media_files.flip_bits(path, count=8, seed=seed)
    code, out = train(repo_root, tool_env, root)
    assert code == 0, out[-3000:]
    skipped = re.findall(r'Skipped bad training sample \d+ of \S+: (\S+): '
                         r'cannot decode frames .*Bad samples skipped so '
                         r'far: (\d+) by .*\((\d+) of (\d+) samples read',
                         out)
    assert skipped, out[-3000:]
    assert {path for path, *_ in skipped} <= {
        str(path.relative_to(root)) for path in videos[:2]}
    # the worker's count, then this process's of all samples read
    assert all(0 < int(own) <= int(bad) < int(read)
               for _, own, bad, read in skipped)


def test_every_file_damaged_stops_at_the_bad_ratio(workspace, repo_root,
                                                   tool_env):
    root, videos = workspace
    for seed, path in enumerate(videos):
        media_files.flip_bits(path, count=8, seed=seed)
    code, out = train(repo_root, tool_env, root)
    assert code != 0, out[-3000:]
    # (a sample whose frames all precede the damage is fine)
    assert re.search(
        r'RuntimeError: \d+ of the 100 training samples read so far from '
        r'data/synthetic/annotations/pretrain_video.json \(data_root '
        r"'data/synthetic'\) on this rank are bad \(\d+\.\d%, more than "
        r'max_bad_ratio=0.1\); the commonest reasons: "cannot decode frames" '
        r'\(\d+\)', out), out[-3000:]
    assert ('python tools/data/check_corpus.py '
            'data/synthetic/annotations/pretrain_video.json --video-prefix '
            'data/synthetic/') in out


@pytest.fixture
def animated_corpus(tmp_path):
    """AV1 (mp4, webm) and GIF clips of 12 frames and their annotation."""
    files = {'av1.mp4': 'libaom-av1', 'av1.webm': 'libaom-av1',
             'animation.gif': 'gif'}
    for name, codec in files.items():
        media_files.write_video(
            tmp_path / 'videos' / name, num_frames=12, codec=codec,
            pix_fmt='gray' if codec == 'gif' else 'yuv420p')
    (tmp_path / 'ann.json').write_text(json.dumps(
        [{'video': name, 'caption': name} for name in files]))
    return tmp_path


def test_check_corpus_reads_av1_and_gif(animated_corpus, repo_root,
                                        tool_env):
    code, out = run_tool(repo_root, tool_env, animated_corpus,
                         'data/check_corpus.py', 'ann.json', '--data-root',
                         animated_corpus, '--video-prefix', 'videos')
    assert code == 0 and '0 of 3 files unreadable' in out, out


def test_training_pipeline_reads_av1_and_gif(animated_corpus):
    dataset = VideoTextPretrainDataset(
        data_root=str(animated_corpus), ann_file='ann.json',
        data_prefix=dict(video='videos'), pipeline=[
            dict(type='DecordInit'),
            dict(type='SampleClipFrames', num_frames=4),
            dict(type='DecordDecode'),
            dict(type='PackVideoTextInputs'),
        ])
    for index in range(len(dataset)):
        item = dataset[index]
        assert item['data_samples'].sample_idx == index
        levels = item['inputs'].float().mean(dim=(1, 2, 3)).numpy()
        expected = [media_files.frame_value(i)
                    for i in item['data_samples'].frame_inds]
        np.testing.assert_allclose(levels, expected, atol=3)
    assert dataset.skipped == 0
