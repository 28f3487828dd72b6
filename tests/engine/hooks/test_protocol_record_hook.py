"""A test run writes and logs its evaluation protocol (protocol.json) and
prints the paper's numbers beside its own."""
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from media_files import make_synthetic
from tiny_smaug import build_tiny_smaug

from smaug.datasets import (VideoMCDataset, VideoQADataset,  # noqa: E402
                            VideoRetrievalDataset)
from smaug.evaluation.protocol_record import dataset_counts  # noqa: E402

DEMO_RETRIEVAL = 'configs/demo/ret_tiny_synthetic.py'
PAPER_ROW = '''
paper_reference = dict(
    benchmark='msrvtt_ret', table='Table 1', row='SMAUG 17M',
    metrics={'retrieval/t2v/R@1': 44.0, 'retrieval/t2v/R@5': 70.4})
'''


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    """A small synthetic corpus under ``<root>/data/synthetic``."""
    root = tmp_path_factory.mktemp('protocol')
    make_synthetic(root / 'data' / 'synthetic', num_videos=20, num_frames=8,
                   size=64, num_images=1)
    return root / 'data' / 'synthetic'


def read_json(path):
    return json.loads(Path(path).read_text())


def test_test_run_writes_and_logs_its_protocol(corpus, tmp_path, tool_env,
                                               repo_root):
    config = tmp_path / 'ret_with_paper_row.py'
    config.write_text(f'_base_ = [{str(repo_root / DEMO_RETRIEVAL)!r}]\n' +
                      PAPER_ROW)
    torch.manual_seed(0)
    model = build_tiny_smaug(corpus / 'vocab.txt', type='SMAUGRetrieval',
                             mlm_head=None, mvm_head=None)
    checkpoint = tmp_path / 'retrieval.pth'
    torch.save({'state_dict': model.state_dict()}, checkpoint)
    result = subprocess.run(
        [sys.executable, str(repo_root / 'tools' / 'test.py'), str(config),
         str(checkpoint), '--work-dir', str(tmp_path / 'run'),
         '--cfg-options', 'test_dataloader.num_workers=0',
         'test_dataloader.persistent_workers=False'],
        cwd=corpus.parents[1], env=dict(tool_env, OMP_NUM_THREADS='1'),
        capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]

    [record_file] = (tmp_path / 'run').glob('*/protocol.json')
    record = read_json(record_file)
    ann_file = corpus / 'annotations' / 'ret_test.json'
    entries = read_json(ann_file)
    sha256 = hashlib.sha256(ann_file.read_bytes()).hexdigest()
    assert record['annotation_file']['sha256'] == sha256
    assert record['videos'] == len(entries)
    assert record['queries'] == sum(len(e['caption']) for e in entries)
    assert record['protocol'] == dict(
        task='retrieval', test_split='ret_test', train_split='ret_train',
        frames=8, paragraph=False, text_max_tokens=24,
        score_mode='vtm+vtc', k=16)
    assert record['differences'] == [
        "train_split: 'ret_train' here, 'ret_train_7k' in the paper",
        "test_split: 'ret_test' here, 'ret_test_1ka' in the paper",
        "frames: 8 here, 12 in the paper",
        "score_mode: 'vtm+vtc' here, 'vtm' in the paper",
        "k: 16 here, 128 in the paper"]

    assert f'sha256 {sha256}), {len(entries)} videos' in output
    assert 'PROTOCOL DIFFERS FROM THE PAPER\'S: train_split' in output
    run_r1 = record['metrics']['retrieval/t2v/R@1']
    assert f'retrieval/t2v/R@1: {run_r1:.4f}' in output
    assert re.search(r'paper\s+44\.00\s+70\.40\n\s*this run\s+'
                     rf'{run_r1:.2f}\s', output), output[-2000:]


def test_counts_of_each_task(corpus):
    root = dict(data_root=str(corpus), test_mode=True)
    paragraphs = VideoRetrievalDataset(
        ann_file='annotations/ret_paragraph_test.json', paragraph=True,
        **root)
    qa = VideoQADataset(ann_file='annotations/qa_test.json',
                        answer_list_file='annotations/qa_answer_list.json',
                        **root)
    mc = VideoMCDataset(ann_file='annotations/mc_test.json', **root)
    questions = read_json(corpus / 'annotations' / 'qa_test.json')
    clips = len(read_json(corpus / 'annotations' / 'mc_test.json'))

    assert dataset_counts(paragraphs) == dict(videos=len(paragraphs),
                                              queries=len(paragraphs))
    assert dataset_counts(qa) == dict(
        videos=len({q['video'] for q in questions}), queries=len(questions))
    assert dataset_counts(mc) == dict(videos=clips, queries=clips)
