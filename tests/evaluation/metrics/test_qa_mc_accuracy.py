"""QAAccuracy and MCAccuracy: hand-computed cases, 2 gloo processes."""
import json

import pytest
import torch.distributed as dist
import torch.multiprocessing as mp

from smaug.evaluation import MCAccuracy, QAAccuracy
from smaug.registry import METRICS

# 5 questions; the sampler pads 2 ranks to 6 with question 0 again.
QA_SAMPLES = [
    dict(pred_answer='Red', answer='red'),  # right after cleaning
    dict(pred_answer='blue', answer='green'),
    dict(pred_answer='t-shirt', answer='t shirt!'),  # right after cleaning
    dict(pred_answer='two', answer='three'),
    dict(pred_answer='up', answer='down'),
]
MC_SAMPLES = [dict(pred_index=p, answer_index=a)
              for p, a in ((0, 0), (1, 2), (4, 4), (3, 0), (2, 1))]


def evaluate(metric, samples):
    metric.process(None, samples)
    return metric.evaluate(len(samples))


def test_qa_accuracy_by_hand():
    assert evaluate(QAAccuracy(), QA_SAMPLES) == {'qa/accuracy': 40.0}
    assert evaluate(QAAccuracy(clean=False), QA_SAMPLES) == \
        {'qa/accuracy': 0.0}
    metric = METRICS.build(dict(type='QAAccuracy', prefix='msrvtt_qa'))
    assert evaluate(metric, QA_SAMPLES[:1]) == {'msrvtt_qa/accuracy': 100.0}


def test_mc_accuracy_by_hand():
    assert evaluate(MCAccuracy(), MC_SAMPLES) == {'mc/accuracy': 40.0}
    assert evaluate(METRICS.build(dict(type='MCAccuracy')),
                    MC_SAMPLES[1:2]) == {'mc/accuracy': 0.0}


@pytest.mark.parametrize('metric, sample, missing', [
    (QAAccuracy(), dict(answer='red'), 'pred_answer'),
    (MCAccuracy(), dict(pred_index=1), 'answer_index'),
])
def test_missing_fields_raise(metric, sample, missing):
    with pytest.raises(KeyError, match=missing):
        metric.process(None, [sample])


def worker(rank, port, out_dir):
    """One rank: its DefaultSampler share of the samples (padded)."""
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank, world_size=2)
    try:
        indices = [0, 2, 4] if rank == 0 else [1, 3, 0]
        results = {}
        for metric, samples in ((QAAccuracy(), QA_SAMPLES),
                                (MCAccuracy(), MC_SAMPLES)):
            metric.process(None, [samples[i] for i in indices])
            results.update(metric.evaluate(len(samples)))
        with open(f'{out_dir}/rank{rank}.json', 'w') as file:
            json.dump(results, file)
    finally:
        dist.destroy_process_group()


def test_two_processes_count_each_question_once(free_port, tmp_path):
    mp.start_processes(worker, args=(free_port, str(tmp_path)), nprocs=2,
                       start_method='fork')
    for rank in range(2):
        results = json.loads((tmp_path / f'rank{rank}.json').read_text())
        # with the padding copy of question 0 both would be 50%
        assert results == {'qa/accuracy': 40.0, 'mc/accuracy': 40.0}
