#!/usr/bin/env python
"""Search galleries of 10k to 1M videos: the faiss indexes of
``tools/search.py`` on synthetic embeddings of the model's width.

For each ``--sizes`` n, writes n synthetic unit-norm embeddings of width
``--dim`` as the float16 ``.npy`` file a search index keeps (and, to
measure what float16 costs, the float32 originals beside it), then builds
both indexes of :class:`smaug.apis.NeighbourIndex` from the memory-mapped
float16 file, as ``VideoIndex`` does: the exact one and the approximate
(IVF) one, whatever :meth:`NeighbourIndex.build` would choose (the table
marks its choice in bold). Each index is saved,
then read back memory-mapped in a fresh process, which answers
``--queries`` queries one at a time. Reported per size and index: build
time (wall and CPU), size on disk, resident memory the loaded index adds
(anonymous and file-backed pages, after the queries), query latency p50
and p99, and recall@10 against exact float16 search (the IVF index's, on
the held-out queries and as its own leave-one-out estimate) and against
exact float32 search (what float16 storage costs).

The embeddings are clustered like those of a real gallery: ``n / 100``
random unit centres, each vector a centre plus Gaussian noise of norm
about ``--spread`` (1.0: a vector's cosine to its centre is about 0.7),
normalised. Queries are held-out vectors drawn the same way (a video like
the gallery's, not in it). ``--distribution isotropic`` draws every vector
uniformly on the sphere instead: no structure, the worst case for IVF.

Example (the table of docs/search.md)::

    nice python tools/analysis/benchmark_search.py \\
        --sizes 10000 100000 1000000 --out work_dirs/benchmark_search
"""
import json
import multiprocessing
import os
import os.path as osp
import resource
import statistics
import time

import faiss
import numpy as np

from smaug.apis.neighbour_index import (BLOCK_ROWS, EXACT_LIMIT,
                                        MAX_PROBED_FRACTION, RECALL_K,
                                        NeighbourIndex, exact_neighbours,
                                        recall_at_k)
from smaug.cli.command_help import command_parser
from smaug.cli.command_line import add_seed_argument

MIB = 2**20


def parse_args(argv=None):
    """Parse the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('--sizes', type=int, nargs='+',
                        default=[10000, 100000, 1000000],
                        help='gallery sizes (default: %(default)s)')
    parser.add_argument('--dim', type=int, default=256,
                        help='embedding width (default: %(default)s, the '
                        'VTC width of the ViT-B/16 models)')
    parser.add_argument('--queries', type=int, default=200,
                        help='timed queries per index (default: '
                        '%(default)s)')
    parser.add_argument('--distribution', choices=['clustered', 'isotropic'],
                        default='clustered',
                        help='how embeddings are drawn (default: '
                        '%(default)s)')
    parser.add_argument('--spread', type=float, default=1.0,
                        help='noise around the cluster centres (default: '
                        '%(default)s)')
    parser.add_argument('--threads', type=int, default=1,
                        help='faiss threads (default: %(default)s)')
    parser.add_argument('--out', default='work_dirs/benchmark_search',
                        help='folder for the files and results.json '
                        '(default: %(default)s)')
    parser.add_argument('--keep-files', action='store_true',
                        help='keep the embeddings and index files')
    add_seed_argument(parser, 'the embeddings and queries')
    return parser.parse_args(argv)


class EmbeddingSource:
    """Synthetic unit-norm embeddings, clustered or isotropic.

    Args:
        size (int): Gallery size (sets the number of clusters, size / 100).
        dim (int): Width.
        distribution (str): 'clustered' or 'isotropic'.
        spread (float): Norm of the noise around a cluster centre.
        seed (int): Seed of the centres.
    """

    def __init__(self, size, dim, distribution, spread, seed):
        self.dim, self.spread = dim, spread
        self.centres = None
        if distribution == 'clustered':
            rng = np.random.default_rng(seed)
            centres = rng.standard_normal((max(1, size // 100), dim))
            self.centres = centres / np.linalg.norm(centres, axis=1,
                                                    keepdims=True)

    def draw(self, num, rng):
        """``num`` float32 unit vectors drawn with ``rng``."""
        noise = rng.standard_normal((num, self.dim))
        if self.centres is None:
            rows = noise
        else:
            rows = self.centres[rng.integers(0, len(self.centres), num)] + \
                self.spread * noise / np.sqrt(self.dim)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        return rows.astype(np.float32)


def write_gallery(source, size, folder, seed):
    """Write the float16 gallery and its float32 originals, block by
    block; return both memory-mapped."""
    arrays = [np.lib.format.open_memmap(
        osp.join(folder, f'embeddings-{size}-{name}.npy'), 'w+', dtype,
        (size, source.dim))
        for name, dtype in (('float16', np.float16),
                            ('float32', np.float32))]
    rng = np.random.default_rng(seed + 1)
    for start in range(0, size, BLOCK_ROWS):
        rows = source.draw(min(BLOCK_ROWS, size - start), rng)
        for array in arrays:
            array[start:start + len(rows)] = rows
    for array in arrays:
        array.flush()
    return [np.load(array.filename, mmap_mode='r') for array in arrays]


def resident_mib():
    """Anonymous and file-backed resident memory of this process, MiB."""
    with open('/proc/self/status') as status:
        fields = dict(line.split(':', 1) for line in status)
    return {name: int(fields[name].split()[0]) / 1024
            for name in ('RssAnon', 'RssFile')}


def measure_queries(path, info, queries, truths, threads, results):
    """In a fresh process: read the index memory-mapped, answer the queries
    one at a time, put latencies, resident memory and recall on
    ``results``."""
    faiss.omp_set_num_threads(threads)
    before = resident_mib()
    index = NeighbourIndex.load(path, info)
    latencies, found = [], []
    cpu = time.process_time()
    for query in queries:
        start = time.perf_counter()
        found.append(index.search(query[None], RECALL_K)[1][0])
        latencies.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu
    after = resident_mib()
    latencies.sort()
    results.put(dict(
        p50_ms=1000 * statistics.median(latencies),
        p99_ms=1000 * latencies[min(len(latencies) - 1,
                                    int(0.99 * len(latencies)))],
        cpu_ms_per_query=1000 * cpu / len(queries),
        resident_anon_mib=after['RssAnon'] - before['RssAnon'],
        resident_file_mib=after['RssFile'] - before['RssFile'],
        **{f'recall_vs_{name}': recall_at_k(np.stack(found), truth)
           for name, truth in truths.items()}))


def timed_build(build, gallery, threads):
    """Run an index builder; return the index with wall and CPU seconds."""
    faiss.omp_set_num_threads(threads)
    wall, cpu = time.perf_counter(), time.process_time()
    index = build(gallery)
    return index, time.perf_counter() - wall, time.process_time() - cpu


def chosen_kind(size, ivf):
    """The index :meth:`NeighbourIndex.build` gives a gallery of ``size``
    (at ``EXACT_LIMIT``) whose IVF index is ``ivf``."""
    if size <= EXACT_LIMIT or \
            ivf.info['nprobe'] > MAX_PROBED_FRACTION * ivf.index.nlist:
        return 'exact'
    return 'ivf'


def benchmark_size(args, size, folder):
    """All measurements of one gallery size."""
    source = EmbeddingSource(size, args.dim, args.distribution, args.spread,
                             args.seed)
    gallery16, gallery32 = write_gallery(source, size, folder, args.seed)
    queries = source.draw(args.queries, np.random.default_rng(args.seed + 2))
    truths = {name: exact_neighbours(queries, gallery, RECALL_K)[1]
              for name, gallery in (('float16', gallery16),
                                    ('float32', gallery32))}
    row = dict(size=size, dim=args.dim,
               embeddings_mib=osp.getsize(gallery16.filename) / MIB)
    spawn = multiprocessing.get_context('spawn')
    builders = dict(exact=lambda rows: NeighbourIndex.build(rows, size),
                    ivf=NeighbourIndex.build_ivf)
    for kind, build in builders.items():
        index, wall, cpu = timed_build(build, gallery16, args.threads)
        path = osp.join(folder, f'neighbours-{size}-{kind}.faiss')
        index.save(path)
        results = spawn.Queue()
        process = spawn.Process(target=measure_queries, args=(
            path, index.info, queries, truths, args.threads, results))
        process.start()
        measured = results.get()
        process.join()
        row[kind] = dict(build_s=wall, build_cpu_s=cpu,
                         disk_mib=osp.getsize(path) / MIB, **index.info,
                         **measured)
        if kind == 'ivf':
            row.update(nlist=index.index.nlist,
                       chosen=chosen_kind(size, index))
        if not args.keep_files:
            os.remove(path)
    if not args.keep_files:
        for array in (gallery16, gallery32):
            os.remove(array.filename)
    return row


def print_table(rows):
    """Print the results as the Markdown table of docs/search.md."""
    print('| videos | index | build s (CPU s) | disk MiB | resident MiB '
          '(anon + file) | p50 ms | p99 ms | CPU ms per query | '
          'recall@10 vs exact float16 | recall@10 vs exact float32 |')
    print('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for row in rows:
        for kind in ('exact', 'ivf'):
            result = row[kind]
            name = 'exact' if kind == 'exact' else \
                f'IVF{row["nlist"]}, nprobe {result["nprobe"]} (estimate ' \
                f'{result["recall"]:.3f})'
            if kind == row['chosen']:
                name = f'**{name}**'
            print(f'| {row["size"]:,} | {name} | {result["build_s"]:.2f} '
                  f'({result["build_cpu_s"]:.2f}) | {result["disk_mib"]:.0f}'
                  f' | {result["resident_anon_mib"]:.0f} + '
                  f'{result["resident_file_mib"]:.0f} | '
                  f'{result["p50_ms"]:.2f} | {result["p99_ms"]:.2f} | '
                  f'{result["cpu_ms_per_query"]:.2f} | '
                  f'{result["recall_vs_float16"]:.3f} | '
                  f'{result["recall_vs_float32"]:.3f} |')


def main(argv=None):
    """Run the benchmark; print the table, write ``results.json``.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` if None.

    Returns:
        list[dict]: One result per size.
    """
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for size in args.sizes:
        rows.append(benchmark_size(args, size, args.out))
        print(f'{size:,} videos measured', flush=True)
    with open(osp.join(args.out, 'results.json'), 'w') as file:
        json.dump(dict(args=vars(args), cpu=os.cpu_count(),
                       peak_rss_mib=resource.getrusage(
                           resource.RUSAGE_SELF).ru_maxrss / 1024,
                       rows=rows), file, indent=1)
    print_table(rows)
    return rows


if __name__ == '__main__':
    main()
