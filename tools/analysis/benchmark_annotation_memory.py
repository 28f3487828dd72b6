#!/usr/bin/env python
"""Host memory of an annotation file of millions of entries, per process.

Writes a synthetic annotation file of ``--entries`` caption entries
(``{"video": "videos/<n>.mp4", "caption": "..."}``, a JSON list or JSON
lines) into a temporary folder, then starts ``--ranks`` processes at once,
as a node's training ranks start (forked from this one, which imported
torch and smaug for them). Each builds the dataset the way a config
does (``DATASETS.build``; ``VideoTextPretrainDataset``, or
``VideoRetrievalDataset`` with ``--dataset retrieval``) with a pipeline that
cleans the caption and opens no media (the videos do not exist: what is
measured is the annotation store), then iterates ``--samples`` samples
spread evenly over the whole index through a torch ``DataLoader`` with
``--workers`` persistent workers. ``--runs 2`` starts the ranks a second
time on the same file (a cache made by the first start is then reused).

Printed per process (psutil): RSS, USS (pages only it holds) and PSS (its
share of pages shared with others; the PSS of all processes adds up to
what the node really spends), for each rank after the build (with its load
time and peak RSS; also before the build: torch and smaug alone take
about 0.6 GiB) and for each of its workers after the iteration; last, the
sum of the PSS of all processes after the iteration.

Example (the figures of docs/data.md)::

    python tools/analysis/benchmark_annotation_memory.py \\
        --entries 2000000 --ranks 2 --workers 2 --samples 20000 --runs 2
"""
import json
import multiprocessing
import os.path as osp
import random
import resource
import tempfile
import time

import psutil
from torch.utils.data import DataLoader

from smaug.cli.command_help import command_parser
from smaug.registry import DATASETS

WORDS = ('a man woman dog cat car street walks runs sits red blue green '
         'old young small large city beach park field near under over in '
         'on with slowly quickly playing talking cooking water snow').split()
MIB = 2**20


def write_annotations(path, entries, seed=0):
    """Write ``entries`` synthetic caption entries, streaming.

    Args:
        path (str): ``.json`` (a JSON list) or ``.jsonl`` (JSON lines).
        entries (int): Number of entries.
        seed (int): Seed of the caption words.
    """
    rng = random.Random(seed)
    lines = path.endswith('.jsonl')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('' if lines else '[')
        for index in range(entries):
            caption = ' '.join(rng.choices(WORDS, k=rng.randint(6, 16)))
            entry = json.dumps(
                dict(video=f'videos/{index:08d}.mp4', caption=caption))
            if lines:
                f.write(entry + '\n')
            else:
                f.write((',\n' if index else '') + entry)
        f.write('' if lines else ']\n')


def memory(process):
    """RSS, USS and PSS of a process in MiB.

    Args:
        process (psutil.Process): The process.
    """
    info = process.memory_full_info()
    return info.rss / MIB, info.uss / MIB, info.pss / MIB


def collate_lengths(batch):
    """Keep only the caption lengths of a batch (nothing to send back)."""
    return [len(sample['text']) for sample in batch]


def run_rank(rank, args, ann_file, results):
    """Build the dataset, iterate it with workers, report the memory.

    Args:
        rank (int): The rank this process stands for.
        args (argparse.Namespace): The options.
        ann_file (str): The annotation file.
        results (multiprocessing.Queue): ``(rank, rows)`` goes here.
    """
    dataset_type = dict(pretrain='VideoTextPretrainDataset',
                        retrieval='VideoRetrievalDataset')[args.dataset]
    rows = [(f'rank {rank} before build', 0, *memory(psutil.Process()),
             None, None)]
    start = time.perf_counter()
    dataset = DATASETS.build(
        dict(type=dataset_type, ann_file=ann_file,
             data_root=osp.dirname(ann_file),
             pipeline=[dict(type='CleanText')]))
    load_s = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append((f'rank {rank}', len(dataset), *memory(psutil.Process()),
                 peak, load_s))
    stride = max(len(dataset) // args.samples, 1)
    loader = DataLoader(dataset, batch_size=64, num_workers=args.workers,
                        sampler=range(0, len(dataset), stride),
                        collate_fn=collate_lengths, persistent_workers=True)
    for _ in loader:
        pass
    for number, worker in enumerate(psutil.Process().children()):
        rows.append((f'rank {rank} worker {number}', len(dataset),
                     *memory(worker), None, None))
    del loader
    results.put((rank, rows))


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('--entries', type=int, default=2_000_000,
                        help='annotation entries (%(default)s)')
    parser.add_argument('--format', choices=('json', 'jsonl'),
                        default='json', help='annotation file format')
    parser.add_argument('--dataset', choices=('pretrain', 'retrieval'),
                        default='pretrain', help='dataset class')
    parser.add_argument('--ranks', type=int, default=2,
                        help='processes building the dataset at once')
    parser.add_argument('--workers', type=int, default=2,
                        help='dataloader workers per rank')
    parser.add_argument('--samples', type=int, default=20_000,
                        help='samples each rank iterates')
    parser.add_argument('--runs', type=int, default=1,
                        help='start the ranks this many times')
    args = parser.parse_args(argv)
    context = multiprocessing.get_context('fork')
    with tempfile.TemporaryDirectory() as folder:
        ann_file = osp.join(folder, f'captions.{args.format}')
        write_annotations(ann_file, args.entries)
        size = osp.getsize(ann_file) / MIB
        print(f'{args.entries} entries, {size:.0f} MiB {args.format}; '
              f'{args.ranks} ranks x {args.workers} workers, '
              f'{args.samples} samples each')
        for run in range(1, args.runs + 1):
            results = context.Queue()
            ranks = [
                context.Process(target=run_rank,
                                args=(rank, args, ann_file, results))
                for rank in range(args.ranks)
            ]
            for process in ranks:
                process.start()
            rows = [row for _, rank_rows in sorted(
                results.get() for _ in ranks) for row in rank_rows]
            for process in ranks:
                process.join()
            print(f'\nstart {run}')
            print(f'{"process":<24}{"entries":>9}{"RSS MiB":>9}'
                  f'{"USS MiB":>9}{"PSS MiB":>9}{"peak MiB":>9}'
                  f'{"load s":>8}')
            for name, entries, rss, uss, pss, peak, load_s in rows:
                print(f'{name:<24}{entries:>9}{rss:>9.0f}{uss:>9.0f}'
                      f'{pss:>9.0f}'
                      + (f'{peak:>9.0f}{load_s:>8.1f}'
                         if peak is not None else ''))
            total = sum(row[4] for row in rows if row[1])
            print(f'{"all processes":<24}{"":>9}{"":>9}{"":>9}{total:>9.0f}')


if __name__ == '__main__':
    main()
