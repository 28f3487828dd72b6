"""The paper's evaluation protocol of each down-stream benchmark.

A config names its benchmark in ``paper_reference['benchmark']``;
:func:`protocol_differences` names every way a run differs from it.
Sources: Sec. 4.1 (splits, paragraph-to-video retrieval, 12 test frames
for QA), Tables 12 and 13 (test frames), and the retrieval loops' default
``k=128`` (VTM re-scores the top 128 VTC candidates). Splits are named by
the annotation file stems ``tools/data/`` writes (data/README.md).
"""

PAPER_PROTOCOLS = {
    'msrvtt_ret': dict(
        name='MSRVTT text-to-video retrieval, 1K-A test (fine-tuning on the '
        '7K training videos; Table 1 greys out 9K results)',
        task='retrieval', train_split='ret_train_7k',
        test_split='ret_test_1ka', frames=12, paragraph=False,
        score_mode='vtm', k=128),
    'didemo_ret': dict(
        name='DiDeMo paragraph-to-video retrieval, test split',
        task='retrieval', train_split='ret_train', test_split='ret_test',
        frames=12, paragraph=True, score_mode='vtm', k=128),
    'anet_ret': dict(
        name='ActivityNet Captions paragraph-to-video retrieval, val_1 split',
        task='retrieval', train_split='ret_train', test_split='ret_val1',
        frames=32, paragraph=True, score_mode='vtm', k=128),
    'msrvtt_qa': dict(
        name='MSRVTT-QA open-ended QA, test split', task='qa',
        train_split='qa_train', test_split='qa_test', frames=12,
        paragraph=False, score_mode='answer list'),
    'anet_qa': dict(
        name='ActivityNet-QA open-ended QA, test split', task='qa',
        train_split='qa_train', test_split='qa_test', frames=12,
        paragraph=False, score_mode='answer list'),
    'msrvtt_mc': dict(
        name='MSRVTT-MC multiple choice (5 captions), test split', task='mc',
        test_split='mc_test', frames=12, paragraph=False, score_mode='vtm'),
}


def paper_protocol(benchmark):
    """A copy of the paper's protocol of ``benchmark`` (a key of
    :data:`PAPER_PROTOCOLS`).
    """
    if benchmark not in PAPER_PROTOCOLS:
        raise KeyError(
            f"paper_reference: benchmark {benchmark!r} is not one of the "
            f'paper\'s: {sorted(PAPER_PROTOCOLS)}')
    return dict(PAPER_PROTOCOLS[benchmark])


def protocol_differences(protocol, benchmark):
    """``'<key>: <this run's> here, <the paper's> in the paper'`` for every
    difference of ``protocol`` (:func:`config_protocol`) from ``benchmark``'s;
    the training split only when the config fine-tunes on one file.
    """
    differences = []
    for key, expected in paper_protocol(benchmark).items():
        if key == 'name' or (key == 'train_split'
                             and protocol.get(key) is None):
            continue
        if protocol.get(key) != expected:
            differences.append(f'{key}: {protocol.get(key)!r} here, '
                               f'{expected!r} in the paper')
    return differences
