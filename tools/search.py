"""Search a folder of videos with text queries, using a trained SMAUG.

Indexes every video under ``--videos`` (recursively; see
``smaug.apis.VIDEO_EXTENSIONS``), caching the VTC embeddings on disk as a
memory-mapped float16 array with a faiss index beside it, so that a later
run embeds only new or changed files and drops deleted ones; a different
checkpoint, model config or frame count rebuilds the cache. Galleries up to
``--exact-limit`` videos are searched exactly, larger ones with an
approximate (IVF) index whose recall@10 against exact search is measured
and printed. Then prints the ``--top`` videos of each ``--query`` by VTC
similarity, or, with ``--rerank``, with the best ``--rerank-k`` of them
re-scored by the VTM head and reordered by ``--score-mode`` (both default
to the config's retrieval ``test_cfg``, as ``tools/test.py`` ranks); the
candidates' tokens are recomputed from the files for each query, since
only the small VTC embeddings are cached. Unreadable entries (a broken
file, a folder named like a video) are named, left out and remembered
(retried when they change).

``--html OUT.html`` also writes the results as a self-contained page (the
frames the model saw of each hit embedded; a click plays the file).
``--serve`` instead starts a search page on http://127.0.0.1:``--port``:
a query box, results as tiles with rank, VTC and VTM scores and thumbnails,
a click that plays the clip, and the progress of the index while it is
built. See docs/search.md.

Examples::

    python tools/search.py configs/demo/smaug_tiny_synthetic.py \\
        work_dirs/demo/epoch_40.pth --videos data/synthetic/videos \\
        --query "a red circle moves left" --query "a blue square" --rerank

    # the page: open the printed address in a browser
    python tools/search.py configs/demo/smaug_tiny_synthetic.py \\
        work_dirs/demo/epoch_40.pth --videos data/synthetic/videos --serve

    # how often each test video's first caption finds it (top-1 / top-5)
    python tools/search.py configs/demo/smaug_tiny_synthetic.py \\
        work_dirs/demo/epoch_40.pth --videos data/synthetic \\
        --eval-annotations data/synthetic/annotations/ret_test.json --rerank

``--eval-annotations`` runs the acceptance measurement of the search tool:
every entry's first caption is a query, and the entry's own video (the
annotation's ``video`` path under ``--data-root``, default ``--videos``)
should come first. The gallery is the annotation's videos (as a retrieval
test set is), or every indexed video with ``--eval-gallery folder``. It
reports top-1 and top-5 rates, for the VTC ranking and, with ``--rerank``,
the re-ranked one, beside chance, and the per-query latency (text embedding,
similarity, top-k and, with ``--rerank``, reading the candidates and VTM).
"""
import os.path as osp
import statistics
import sys
import time

from smaug.apis import search_videos
from smaug.apis.neighbour_index import EXACT_LIMIT
from smaug.apis.search_page import write_results_page
from smaug.apis.search_session import SearchInputError, SearchSession
from smaug.datasets import AnnotationError, load_annotation_file
from smaug.datasets.annotation_file import require
from smaug.cli.command_help import command_parser
from smaug.cli.model_arguments import add_model_arguments
from smaug.evaluation.retrieval_scoring import SCORE_MODES

EVAL_TOP = (1, 5)
DEFAULT_PORT = 8000


def parse_args(argv=None):
    """Parse the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    add_model_arguments(parser)
    parser.add_argument('--videos', required=True,
                        help='folder of videos (searched recursively)')
    parser.add_argument('--query', action='append', default=[],
                        help='text query (repeat for several)')
    parser.add_argument('--top', type=int, default=5,
                        help='results per query (default: %(default)s)')
    parser.add_argument('--rerank', action='store_true',
                        help='re-score the best --rerank-k videos with VTM')
    parser.add_argument('--rerank-k', type=int,
                        help='candidates re-scored by --rerank (default: '
                        "the config's test_cfg.k, else 16)")
    parser.add_argument('--score-mode', choices=SCORE_MODES,
                        help='order of the re-scored candidates: VTM score '
                        "or VTM + VTC (default: the config's "
                        "test_cfg.score_mode, else 'vtm')")
    parser.add_argument(
        '--index-dir',
        help='cache folder (default: $XDG_CACHE_HOME or ~/.cache, then '
        'smaug/search/<folder name>-<hash of its path>)')
    parser.add_argument('--exact-limit', type=int, default=EXACT_LIMIT,
                        help='largest gallery searched exactly; larger ones '
                        'get an approximate index (default: %(default)s)')
    parser.add_argument('--num-frames', type=int,
                        help="frames per clip (default: the config's test "
                        'pipeline)')
    parser.add_argument('--batch-size', type=int, default=8,
                        help='videos per forward pass (default: %(default)s)')
    parser.add_argument('--workers', type=int, default=2,
                        help='video reading processes (default: %(default)s)')
    parser.add_argument('--html', metavar='OUT.html',
                        help='also write the results of the queries as a '
                        'self-contained page')
    parser.add_argument('--serve', action='store_true',
                        help='serve the search page on 127.0.0.1 instead of '
                        'answering --query')
    parser.add_argument('--port', type=int, default=DEFAULT_PORT,
                        help='port of --serve; 0 picks a free one (default: '
                        '%(default)s)')
    parser.add_argument(
        '--eval-annotations',
        help='annotation file: measure how often each entry\'s first '
        'caption finds its own video')
    parser.add_argument('--data-root',
                        help='folder the annotation\'s video paths are '
                        'relative to (default: --videos)')
    parser.add_argument('--eval-gallery', choices=['annotations', 'folder'],
                        default='annotations',
                        help='rank among the annotation\'s videos or every '
                        'indexed video (default: %(default)s)')
    args = parser.parse_args(argv)
    for name in ('top', 'rerank_k', 'batch_size', 'exact_limit'):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            parser.error(f'--{name.replace("_", "-")} must be >= 1')
    if args.serve and (args.query or args.html or args.eval_annotations):
        parser.error('--serve answers queries on its page: leave out '
                     '--query, --html and --eval-annotations')
    if args.html and not args.query:
        parser.error('--html writes the results of --query: give at least '
                     'one')
    return args


def print_hits(query, hits, folder, score_mode):
    """Print one query's results as a table.

    Args:
        query (str): The query.
        hits (list[dict]): From :func:`smaug.apis.search_videos`.
        folder (str): Paths are shown relative to it.
        score_mode (str): What orders re-scored hits (for the title).
    """
    reranked = any('vtm_score' in hit for hit in hits)
    print(f'\nquery: {query!r}' + (f' (re-ranked by {score_mode})'
                                   if reranked else ''))
    print(f'{"rank":>4}  {"vtm":>7}  {"vtc":>7}  video' if reranked else
          f'{"rank":>4}  {"vtc":>7}  video')
    for rank, hit in enumerate(hits, 1):
        vtm = f'{hit["vtm_score"]:7.3f}  ' if 'vtm_score' in hit else (
            f'{"-":>7}  ' if reranked else '')
        print(f'{rank:4d}  {vtm}{hit["vtc_score"]:7.3f}  '
              f'{osp.relpath(hit["path"], folder)}')


def eval_queries(args, paths):
    """The (first caption, own video) pairs of ``--eval-annotations``.

    Args:
        args (argparse.Namespace): Parsed arguments.
        paths (list[str]): The indexed videos (absolute paths).

    Returns:
        list[tuple[str, str]]: (query, absolute video path) per entry.
    """
    ann_file = args.eval_annotations
    root = args.data_root or args.videos
    indexed = set(paths)
    pairs = []
    for index, entry in enumerate(load_annotation_file(ann_file)):
        video = require(entry, 'video', str, ann_file, index)
        caption = require(entry, 'caption', (str, list), ann_file, index)
        if isinstance(caption, list) and not caption:
            raise AnnotationError(
                f'{ann_file}: entry {index} key "caption" is an empty list')
        path = osp.abspath(osp.join(root, video))
        if path not in indexed:
            raise AnnotationError(
                f'{ann_file}: entry {index} key "video" {video!r} ({path}) '
                f'is not among the indexed videos of {args.videos} (missing '
                'or unreadable; see --data-root)')
        pairs.append((caption if isinstance(caption, str) else caption[0],
                      path))
    return pairs


def evaluate(session, args):
    """Run and report the ``--eval-annotations`` measurement.

    Args:
        session (SearchSession): The prepared session.
        args (argparse.Namespace): Parsed arguments.
    """
    paths, embeddings = session.paths, session.index.embeddings
    pairs = eval_queries(args, paths)
    gallery = session.neighbours
    if args.eval_gallery == 'annotations':
        wanted = {path for _, path in pairs}
        rows = [row for row, path in enumerate(paths) if path in wanted]
        paths, gallery = [paths[row] for row in rows], embeddings[rows]
    rerank_k = args.rerank_k if args.rerank else None
    top = max(EVAL_TOP[-1], rerank_k or 0)
    hits_at = dict(vtc=[0] * len(EVAL_TOP), rerank=[0] * len(EVAL_TOP))
    latencies = []
    for query, target in pairs:
        start = time.perf_counter()
        hits = search_videos(session.model, query, paths, gallery, top,
                             rerank_k, args.batch_size, args.num_frames,
                             args.score_mode)
        latencies.append(time.perf_counter() - start)
        rankings = dict(vtc=sorted(hits, key=lambda hit: -hit['vtc_score']))
        if rerank_k:
            rankings['rerank'] = hits
        for name, ranking in rankings.items():
            ranked = [hit['path'] for hit in ranking]
            rank = ranked.index(target) if target in ranked else len(paths)
            for i, k in enumerate(EVAL_TOP):
                hits_at[name][i] += rank < k
    num = len(pairs)
    print(f'\n{num} queries (first caption of each entry of '
          f'{args.eval_annotations}), gallery of {len(paths)} videos'
          + (f', re-ranking of the top {rerank_k} by {args.score_mode}'
             if rerank_k else ''))
    print(f'{"":<14}' + ''.join(f'{f"top-{k}":>8}' for k in EVAL_TOP))
    names = [('VTC', 'vtc')] + ([('re-ranked', 'rerank')]
                                if rerank_k else [])
    for label, name in names:
        print(f'{label:<14}' + ''.join(f'{100 * count / num:7.1f}%'
                                       for count in hits_at[name]))
    print(f'{"chance":<14}' + ''.join(
        f'{100 * min(k, len(paths)) / len(paths):7.1f}%' for k in EVAL_TOP))
    print(f'per-query latency: median '
          f'{1000 * statistics.median(latencies):.1f} ms, mean '
          f'{1000 * statistics.mean(latencies):.1f} ms')


def serve_page(session, args):
    """Serve the search page while the session prepares in the background.

    The port is taken first, so that a port in use is reported at once.

    Args:
        session (SearchSession): The session, not prepared yet.
        args (argparse.Namespace): Parsed arguments.
    """
    from smaug.apis.search_server import (PortInUseError, listening_socket,
                                          serve)
    try:
        sock = listening_socket(args.port)
    except PortInUseError as error:
        sys.exit(f'search.py: {error.strerror}')
    session.prepare_in_background()
    serve(session, sock)


def main(argv=None):
    """Load the model and bring the index of ``--videos`` up to date, then
    answer each ``--query`` (and write ``--html``), run
    ``--eval-annotations``, or serve the page (``--serve``).

    Args:
        argv (list[str], optional): The command line without the program
            name (default: ``sys.argv[1:]``).

    Returns:
        int: Exit status 0; input errors (checkpoint, folder, index,
        annotations, port) end the tool with a message.
    """
    args = parse_args(argv)
    session = SearchSession(args)
    if args.serve:
        serve_page(session, args)
        return 0
    try:
        session.prepare(progress=True)
        print(session.summary())
        for path, entry in session.index.unreadable.items():
            print(f'  unreadable: {path}: {entry["reason"]}', file=sys.stderr)
        for query in args.query:
            result = session.search(query, args.top, args.rerank)
            print_hits(query, result['hits'], session.index.folder,
                       args.score_mode)
            print(f'({1000 * result["seconds"]:.1f} ms)')
        if args.html:
            write_results_page(session, args.query, args.html, args.top,
                               args.rerank)
            print(f'results page: {osp.abspath(args.html)}')
        if args.eval_annotations:
            evaluate(session, args)
    except (SearchInputError, AnnotationError) as error:
        sys.exit(f'search.py: {error}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
