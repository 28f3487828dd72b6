"""The report of the Table 7 study: the tables (``table.md``) and the
curves (``curves.png``) from its ``results.json``."""
import os.path as osp
import statistics
import sys

import numpy as np

from recall_intervals import recall, recall_cell, spread

TOPK = (1, 5, 10)
BASELINE = 'dense'
CURVE_METRIC = 'retrieval/t2v/R@1'
#: Arm -> label in the tables and the figure.
LABELS = dict(dense='dense', mae='MAE', mae_vts='MAE + VTS',
              smaug='SMAUG (MAE + VTS + FS), equal steps',
              smaug_equal_compute='SMAUG, equal compute',
              smaug_keep_warmup='SMAUG + keep-rate warm-up',
              smaug_unmasked_tuning='SMAUG + unmasked tuning',
              smaug_mask25='SMAUG, mask 25%')


def total_flops(result):
    """Training FLOPs of a run: its steps by frame count times the FLOPs
    of a step of that frame count.

    Args:
        result (dict): A ``train_and_test`` result.
    """
    return sum(count * result['flops'][frames]
               for frames, count in result['batches'].items())


def by_arm(runs):
    """Runs grouped by arm (in the order of :data:`LABELS`), each group in
    seed order.

    Args:
        runs (list[dict]): The study's runs.
    """
    arms = {arm: [] for arm in LABELS}
    for run in sorted(runs, key=lambda run: run['seed']):
        arms[run['arm']].append(run)
    return {arm: group for arm, group in arms.items() if group}


def cost_table(arms):
    """Markdown rows of the training costs, ratios per seed against dense.

    Args:
        arms (dict[str, list[dict]]): :func:`by_arm`.
    """
    base = arms[BASELINE]
    rows = ['| arm | steps | GFLOP/step (4 frames) | FLOP x | CPU s | CPU x '
            '| wall s | wall x |', '|---|---|---|---|---|---|---|---|']
    for arm, runs in arms.items():
        pretrain = [run['pretrain'] for run in runs]
        base_pretrain = [run['pretrain'] for run in base]

        def ratio(measure):
            return spread([measure(b) / measure(r) for b, r in
                           zip(base_pretrain, pretrain)], 2)

        constant = all(r['flops'] is not None for r in pretrain)

        steps = sorted({run['steps'] for run in runs})
        step_text = (str(steps[0]) if len(steps) == 1 else
                     f'{min(steps)}-{max(steps)}')
        flop_cells = (f'{pretrain[0]["flops"].get("4", 0) / 1e9:.2f} | '
                      f'{ratio(total_flops)}' if constant else
                      'varies | varies')
        rows.append(
            f'| {LABELS[arm]} | {step_text} | {flop_cells} | '
            f'{spread([r["cpu_seconds"] for r in pretrain], 1)} | '
            f'{ratio(lambda r: r["cpu_seconds"])} | '
            f'{spread([r["wall_seconds"] for r in pretrain], 1)} | '
            f'{ratio(lambda r: r["wall_seconds"])} |')
    return rows


def recall_table(arms, key):
    """Markdown rows of zero-shot and fine-tuned R@K, then the differences
    from dense (paired over seeds and test videos).

    Args:
        arms (dict[str, list[dict]]): :func:`by_arm`.
        key (str): ``'ranks'`` (re-ranked) or ``'vtc_ranks'``.
    """
    header = ' | '.join(f'{stage} R@{k}' for stage in ('zero-shot',
                                                       'fine-tuned')
                        for k in TOPK)
    rows = [f'| arm | {header} |', '|---' * (1 + 2 * len(TOPK)) + '|']

    def cells(groups, weights):
        return ' | '.join(
            recall_cell([run[stage] for runs in groups for run in runs],
                        weights, k, key)
            for stage in ('pretrain', 'finetune') for k in TOPK)

    for arm, runs in arms.items():
        rows.append(f'| {LABELS[arm]} | '
                    f'{cells([runs], [1 / len(runs)] * len(runs))} |')
    base = arms[BASELINE]
    for arm, runs in arms.items():
        if arm == BASELINE:
            continue
        weights = [1 / len(runs)] * len(runs)
        rows.append(f'| dense - {LABELS[arm]} | '
                    f'{cells([base, runs], weights + [-w for w in weights])}'
                    ' |')
    return rows


def relative_gap(arms, arm):
    """Fine-tuned R@1 of dense minus ``arm``'s, relative to dense's, in
    percent of dense's R@1 (the paper's Table 7: (42.6 - 41.2) / 42.6 =
    3.3%).

    Args:
        arms (dict[str, list[dict]]): :func:`by_arm`.
        arm (str): The arm compared.
    """
    dense = statistics.mean(recall(run['finetune']['ranks'], 1)
                            for run in arms[BASELINE])
    other = statistics.mean(recall(run['finetune']['ranks'], 1)
                            for run in arms[arm])
    return 100 * (dense - other) / dense if dense else float('nan')


def draw_curves(arms, path):
    """Validation R@1 against training CPU seconds and against steps, mean
    over seeds with a band of +- one SD.

    Args:
        arms (dict[str, list[dict]]): :func:`by_arm`.
        path (str): The PNG to write.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for arm, runs in arms.items():
        curves = [run['pretrain']['curve'] for run in runs]
        length = min(len(curve) for curve in curves)
        recall_at_1 = np.array([[point['metrics'][CURVE_METRIC]
                                 for point in curve[:length]]
                                for curve in curves])
        mean, sd = recall_at_1.mean(0), recall_at_1.std(0)
        for axis, measure in zip(axes, ('cpu_seconds', 'step')):
            x = np.mean([[point[measure] for point in curve[:length]]
                         for curve in curves], axis=0)
            axis.plot(x, mean, marker='o', label=LABELS[arm])
            axis.fill_between(x, mean - sd, mean + sd, alpha=0.2)
    axes[0].set_xlabel('training CPU seconds (process and workers)')
    axes[1].set_xlabel('pre-training steps')
    axes[0].set_ylabel('validation R@1, text-to-video (VTC), %')
    axes[1].legend()
    figure.suptitle('Table 7 in miniature: zero-shot validation during '
                    f'pre-training, mean +- SD over {len(curves)} seeds')
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write_report(results, work_dir):
    """Write ``table.md`` and ``curves.png`` into ``work_dir``.

    Args:
        results (dict): The study's ``results.json``.
        work_dir (str): The study's folder.

    Returns:
        str: The tables, as written.
    """
    arms = by_arm(results['runs'])
    first = arms[BASELINE][0]['finetune']
    lines = [
        f'# Table 7 in miniature ({len(results["seeds"])} seeds)', '',
        'Pre-training cost (validation excluded; ratios: dense over the '
        'arm, per seed):', '', *cost_table(arms), '',
        f'Text-to-video R@K (%) on {len(first["ranks"])} captions of '
        f'{len(set(first["query_video"]))} test clips, re-ranked (VTC top '
        '8 re-scored with VTM + VTC): mean +- SD over seeds [95% bootstrap '
        'over test videos]:', '', *recall_table(arms, 'ranks'), '',
        'The same, VTC alone:', '', *recall_table(arms, 'vtc_ranks'), '',
        *(f'Fine-tuned R@1, dense - {LABELS[arm]}, relative to dense: '
          f'{relative_gap(arms, arm):.1f}% (paper: 3.3%)'
          for arm in arms if arm != BASELINE), '',
        f'Whole study: {results["study_wall_seconds"] / 60:.1f} min wall, '
        f'{results["study_cpu_seconds"] / 60:.1f} min CPU.']
    text = '\n'.join(lines) + '\n'
    with open(osp.join(work_dir, 'table.md'), 'w') as file:
        file.write(text)
    draw_curves(arms, osp.join(work_dir, 'curves.png'))
    return text


if __name__ == '__main__':
    sys.exit('table7_report.py is a module of table7_study.py, not a '
             'command: run python tools/analysis/table7_study.py --help')
