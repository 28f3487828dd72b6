"""The evaluation protocol record of a test run: split and annotation
SHA-256, video and query counts, test frames, paragraphs and text length,
how candidates were scored, the paper's row and every difference from the
paper's protocol. ``ProtocolRecordHook`` writes it as ``protocol.json``.

A config's ``paper_reference``::

    paper_reference = dict(
        benchmark='msrvtt_ret',  # a key of PAPER_PROTOCOLS
        table='Table 1', row='SMAUG, 17M corpus, 1 frame, fine-tuned',
        metrics={'retrieval/t2v/R@1': 44.0})  # the run's metric names

(``table=None, row=None, metrics={}`` where the paper has no number;
``same_run_rows=[dict(table=..., row=...)]`` for other tables' rows of the
same run, each with the run's ``metrics`` unless it gives its own.)
"""
import hashlib
import inspect
import os.path as osp

from mmengine.fileio import get

from smaug.config import frame_settings
from smaug.registry import LOOPS, MODELS
from .metrics.retrieval_metric import format_table
from .paper_protocols import paper_protocol, protocol_differences

#: The task of each test dataset type.
TASK_OF_DATASET = dict(VideoRetrievalDataset='retrieval',
                       VideoQADataset='qa', VideoMCDataset='mc')


def split_name(ann_file):
    """The split of an annotation file: its name without extension."""
    if not ann_file:
        return None
    return osp.splitext(osp.basename(ann_file))[0]


def _setting(section, registry, name):
    """A config section's ``name``, else the default of its class (None if
    the section or its type is unknown)."""
    section = section or {}
    if name in section:
        return section[name]
    cls = registry.get(section.get('type', ''))
    parameter = inspect.signature(cls).parameters if cls else {}
    return parameter[name].default if name in parameter else None


def _scoring(cfg, task):
    """``score_mode`` and ``k`` of a config's test."""
    if task == 'retrieval':
        k = _setting(cfg.get('test_cfg'), LOOPS, 'k')
        mode = _setting(cfg.get('test_cfg'), LOOPS, 'score_mode')
        return dict(score_mode='vtc' if k == 0 else mode, k=k)
    if task == 'qa':
        return dict(score_mode='answer list',
                    k=_setting(cfg.get('model'), MODELS, 'num_candidates'))
    return dict(score_mode='vtm', k=None)


def config_protocol(cfg):
    """The evaluation protocol of a config's test run: ``task``,
    ``test_split``, ``train_split`` (None unless it trains on one file),
    ``frames``, ``paragraph``, ``text_max_tokens``, ``score_mode`` ('vtc',
    'vtm', 'vtm+vtc', 'answer list', MC's 'vtm') and ``k``.
    """
    dataset = cfg.test_dataloader.dataset
    task = TASK_OF_DATASET.get(dataset.get('type'))
    train = (cfg.get('train_dataloader') or {}).get('dataset', {})
    return dict(
        task=task,
        test_split=split_name(dataset.get('ann_file')),
        train_split=split_name(train.get('ann_file')),
        frames=frame_settings(cfg).num_test_frames,
        paragraph=bool(dataset.get('paragraph', False)),
        text_max_tokens=_setting(
            (cfg.get('model') or {}).get('data_preprocessor'), MODELS,
            'max_text_len'),
        **_scoring(cfg, task))


def file_sha256(path, backend_args=None):
    """Hex SHA-256 of a file (any mmengine backend)."""
    return hashlib.sha256(get(path, backend_args=backend_args)).hexdigest()


def dataset_counts(dataset):
    """``videos`` (distinct media files) and ``queries`` (captions or
    paragraphs of a gallery, else one per item) of a built test dataset.
    """
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    videos = {info.get('video_path', info.get('img_path')) for info in infos}
    queries = sum(len(info['text']) for info in infos) if isinstance(
        dataset.metainfo.get('texts'), list) else len(infos)
    return dict(videos=len(videos), queries=queries)


def build_protocol_record(cfg, dataset):
    """The record of a test run of ``cfg`` on its built ``dataset``:
    ``config``, ``checkpoint``, ``protocol``, ``annotation_file`` (``path``,
    ``sha256``), ``videos``, ``queries``, ``paper`` (or None) and
    ``differences``.
    """
    protocol = config_protocol(cfg)
    ann_file = getattr(dataset, 'ann_file', None)
    record = dict(
        config=cfg.filename,
        checkpoint=cfg.get('load_from'),
        protocol=protocol,
        annotation_file=dict(
            path=ann_file,
            sha256=file_sha256(ann_file, getattr(dataset, 'backend_args',
                                                 None)) if ann_file else None),
        **dataset_counts(dataset),
        paper=None,
        differences=[])
    reference = cfg.get('paper_reference')
    if reference:
        record['paper'] = dict(
            reference.to_dict(),
            protocol=paper_protocol(reference['benchmark']))
        record['differences'] = protocol_differences(protocol,
                                                     reference['benchmark'])
    return record


def describe_scoring(protocol):
    """How a :func:`config_protocol`'s candidates were scored, in words."""
    mode, k = protocol['score_mode'], protocol['k']
    if mode == 'vtc':
        return 'VTC similarity alone (k=0)'
    if protocol['task'] == 'retrieval':
        return (f'VTC, then the top {k} re-scored by '
                f'{mode.upper()} (score_mode {mode}, k={k})')
    if protocol['task'] == 'qa':
        return (f'answer list: top {k} by first-token likelihood, then full '
                'likelihood')
    return 'VTM score of each option'


def protocol_lines(record):
    """A :func:`build_protocol_record` result as a few log lines."""
    protocol, ann = record['protocol'], record['annotation_file']
    lines = [
        f'Evaluation protocol of {record["config"]}:',
        f'  test split {protocol["test_split"]}: {ann["path"]} (sha256 '
        f'{ann["sha256"]}), {record["videos"]} videos, '
        f'{record["queries"]} queries',
        f'  {protocol["frames"]} frames per clip, paragraph '
        f'{protocol["paragraph"]}, texts trimmed to '
        f'{protocol["text_max_tokens"]} tokens, training split '
        f'{protocol["train_split"]}',
        f'  scores: {describe_scoring(protocol)}',
    ]
    paper = record['paper']
    if paper is None:
        lines.append('  paper: no paper_reference in this config')
        return lines
    source = (f'{paper["table"]}, {paper["row"]}' if paper['table'] else
              'no number reported')
    lines.append(f'  paper: {paper["protocol"]["name"]} ({source})')
    lines.append('  protocol matches the paper\'s' if not
                 record['differences'] else
                 '  PROTOCOL DIFFERS FROM THE PAPER\'S: ' +
                 '; '.join(record['differences']))
    return lines


def paper_comparison(record, metrics):
    """The paper's numbers beside the run's ``metrics`` as a titled table,
    or None when the config has none.
    """
    paper = record['paper']
    if not paper or not paper['metrics']:
        return None
    names = list(paper['metrics'])
    columns = [name.split('/', 1)[-1] for name in names]
    table = format_table({
        'paper': dict(zip(columns, paper['metrics'].values())),
        'this run': {column: metrics.get(name, float('nan'))
                     for column, name in zip(columns, names)}})
    verdict = ('same protocol' if not record['differences'] else
               'PROTOCOL DIFFERS: ' + '; '.join(record['differences']))
    return (f'Paper {paper["table"]} ({paper["row"]}) beside this run '
            f'({verdict}):\n{table}')
