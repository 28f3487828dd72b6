"""RetrievalValLoop / RetrievalTestLoop on a fake model and gallery."""

import pytest
import torch
import torch.multiprocessing as mp
from mmengine.hooks import Hook

from smaug.engine import gather_rows
from smaug.evaluation import ground_truth_masks, retrieval_ranks

import retrieval_fakes

# 11 videos with 1..4 captions: odd sizes, so the sampler pads 2 processes
# and caption batches are ragged.
GALLERY = dict(num_videos=11, captions_per_video=[1, 2, 3, 4, 1, 2, 3, 4, 1,
                                                  2, 3])
RUNS = [
    dict(gallery=GALLERY, batch_size=3, k=3, score_batch_size=4,
         text_batch_size=5),
    dict(gallery=GALLERY, batch_size=2, k=50, score_mode='vtm+vtc',
         score_batch_size=7, text_batch_size=2),
    # one video, one caption: process 0 gets no text and no pair to score.
    dict(gallery=dict(num_videos=1, captions_per_video=1), k=4),
    dict(gallery=GALLERY, batch_size=3, k=0),  # VTC alone
]


def score_gallery(tmp_path, **cfg):
    """What the test loop hands its metric (one process)."""
    runner = retrieval_fakes.build_runner(str(tmp_path), **cfg)
    metric = runner.test_loop.evaluator.metrics[0]
    results = []
    process = metric.process
    metric.process = lambda batch, samples: (results.extend(samples),
                                             process(batch, samples))
    runner.test()
    assert len(results) == 1
    return results[0]


def true_vtm(num_texts_per_video):
    """-|video - text's video| for every (text, video), the fake's VTM."""
    text_video = torch.tensor([v for v, n in enumerate(num_texts_per_video)
                               for _ in range(n)])
    videos = torch.arange(len(num_texts_per_video))
    return -(text_video[:, None] - videos[None]).abs().double()


def test_gather_rows_single_process_is_identity():
    rows = torch.arange(6).view(3, 2)
    assert gather_rows(rows) is rows


def test_vtm_reranking_fixes_candidates_only(tmp_path):
    result = score_gallery(tmp_path, gallery=GALLERY, k=3)
    gt = ground_truth_masks(result['text_to_video'], 11)
    assert result['t2v_vtc_scores'].shape == (26, 11)
    for name, mask in (('t2v', gt), ('v2t', gt.t())):
        vtc_ranks = retrieval_ranks(result[f'{name}_vtc_scores'], mask)
        ranks = retrieval_ranks(result[f'{name}_scores'], mask)
        assert (vtc_ranks > 1).any() and (vtc_ranks > 3).any()
        # a query whose ground truth is among its 3 candidates is fixed by
        # VTM; the others keep their VTC rank.
        expected = torch.where(vtc_ranks <= 3, 1, vtc_ranks)
        assert ranks.tolist() == expected.tolist()


def test_score_modes_differ_as_specified(tmp_path):
    vtm = score_gallery(tmp_path / 'a', gallery=GALLERY, k=26)
    both = score_gallery(tmp_path / 'b', gallery=GALLERY, k=26,
                         score_mode='vtm+vtc')
    truth = true_vtm(GALLERY['captions_per_video'])
    # k >= 26 texts, 11 videos: every pair re-scored, nothing left below.
    assert torch.equal(vtm['t2v_scores'], truth)
    assert torch.equal(vtm['v2t_scores'], truth.t())
    assert torch.allclose(both['t2v_scores'],
                          truth + both['t2v_vtc_scores'].double())
    assert torch.equal(both['t2v_vtc_scores'], vtm['t2v_vtc_scores'])


def test_k_larger_than_gallery_and_hooks(tmp_path):

    class Recorder(Hook):
        """Records the test hooks the loop calls."""

        def __init__(self):
            self.calls = []

        def after_test_iter(self, runner, batch_idx, data_batch=None,
                            outputs=None):
            self.calls.append(('iter', batch_idx, len(data_batch['inputs'])))

        def after_test_epoch(self, runner, metrics=None):
            self.calls.append(('epoch', metrics['retrieval/t2v/R@1']))

    runner = retrieval_fakes.build_runner(
        str(tmp_path), gallery=dict(num_videos=5), batch_size=2, k=128)
    recorder = Recorder()
    runner.register_hook(recorder)
    metrics = runner.test()
    assert recorder.calls == [('iter', 0, 2), ('iter', 1, 2), ('iter', 2, 1),
                              ('epoch', 100.0)]
    assert metrics['retrieval/t2v/R@1'] == metrics['retrieval/v2t/R@1'] \
        == metrics['retrieval/mean_recall'] == 100.0
    assert metrics['retrieval/t2v_vtc/R@1'] < 100.0
    # 10 captions x 5 videos: every pair re-scored once, not once per
    # direction.
    timings = runner.test_loop.timings
    assert timings['pairs'] == 50
    assert set(timings) == {'embedding', 'similarity', 're-ranking', 'pairs'}


def test_k_one_keeps_the_vtc_ranking(tmp_path):
    metrics = retrieval_fakes.build_runner(
        str(tmp_path), gallery=GALLERY, k=1).test()
    for direction in ('t2v', 'v2t'):
        for key in ('R@1', 'R@5', 'MdR', 'MnR'):
            assert metrics[f'retrieval/{direction}/{key}'] == \
                metrics[f'retrieval/{direction}_vtc/{key}']


def test_k_zero_ranks_by_vtc_without_vtm(tmp_path, monkeypatch):
    monkeypatch.setattr(retrieval_fakes.FakeRetrievalModel, 'score_pairs',
                        lambda *args: pytest.fail('VTM ran with k=0'))
    runner = retrieval_fakes.build_runner(str(tmp_path), gallery=GALLERY,
                                          k=0)
    metrics = runner.test()
    for direction in ('t2v', 'v2t'):
        for key in ('R@1', 'R@5', 'R@10', 'MdR', 'MnR'):
            assert metrics[f'retrieval/{direction}/{key}'] == \
                metrics[f'retrieval/{direction}_vtc/{key}']
    assert runner.test_loop.timings['pairs'] == 0
    assert runner.test_loop.timings['re-ranking'] == 0.


@pytest.mark.parametrize('indices, message', [
    ([0, 1, 2, 3, 3, 5], r'1 of the 6 gallery videos were not read '
                         r'\(video_index \[4\]\)'),
    ([0, 1, 2, 3, 4, 9], r'video_index values \[9\] lie outside'),
])
def test_incomplete_gallery_raises(tmp_path, indices, message):
    runner = retrieval_fakes.build_runner(
        str(tmp_path), gallery=dict(num_videos=10, video_indices=indices))
    with pytest.raises(RuntimeError, match=message):
        runner.test()


def test_video_without_caption_raises(tmp_path):
    runner = retrieval_fakes.build_runner(
        str(tmp_path), gallery=dict(num_videos=3,
                                    captions_per_video=[1, 0, 2]))
    with pytest.raises(ValueError, match='gallery video 1 has no caption'):
        runner.test()


def test_bad_config_raises(tmp_path):
    with pytest.raises(ValueError, match='score_mode'):
        retrieval_fakes.build_runner(str(tmp_path), score_mode='sum').test()
    with pytest.raises(ValueError, match='k must be an int >= 0'):
        retrieval_fakes.build_runner(str(tmp_path / 'b'), k=-1).test()


def test_validation_keeps_the_best_checkpoint(tmp_path):
    runner = retrieval_fakes.build_runner(
        str(tmp_path), gallery=dict(num_videos=4), stage='val', k=2,
        runner_cfg=dict(
            train_dataloader=dict(
                dataset=dict(type=retrieval_fakes.FakeGallery, num_videos=4),
                sampler=dict(type='DefaultSampler', shuffle=True),
                collate_fn=dict(type='pseudo_collate'), batch_size=2),
            train_cfg=dict(by_epoch=True, max_epochs=2, val_interval=1),
            optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
            default_hooks=dict(checkpoint=dict(
                type='CheckpointHook', interval=1,
                save_best='retrieval/mean_recall', rule='greater'))))
    runner.train()
    assert (tmp_path / 'best_retrieval_mean_recall_epoch_1.pth').exists()


def test_two_gloo_processes_match_one(tmp_path, free_port):
    single = [retrieval_fakes.build_runner(str(tmp_path / f's{i}'),
                                           **run).test()
              for i, run in enumerate(RUNS)]
    out_file = tmp_path / 'metrics.pth'
    mp.spawn(retrieval_fakes.distributed_worker,
             args=(2, free_port, str(tmp_path / 'dist'), RUNS, str(out_file)),
             nprocs=2)
    double = torch.load(out_file)
    assert double == single
    assert single[0] != single[1]
    assert single[2]['retrieval/mean_recall'] == 100.0


def test_extra_gallery_is_scored_under_its_name(tmp_path):
    runner = retrieval_fakes.build_runner(
        str(tmp_path), gallery=dict(num_videos=6, captions_per_video=3),
        extra_galleries=dict(small=dict(dataset=dict(num_videos=4,
                                                     captions_per_video=2))))
    metrics = runner.test()
    assert len(runner.test_loop.extra_dataloaders['small'].dataset) == 4
    alone = retrieval_fakes.build_runner(
        str(tmp_path / 'alone'), gallery=dict(num_videos=4)).test()
    assert metrics['small/retrieval/t2v/R@1'] == alone['retrieval/t2v/R@1']
    assert metrics['small/retrieval/t2v/MnR'] == alone['retrieval/t2v/MnR']
    assert 'retrieval/mean_recall' in metrics
