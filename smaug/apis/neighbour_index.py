"""Inner-product search over a gallery's unit-norm embeddings with faiss.

A gallery of up to :data:`EXACT_LIMIT` vectors gets an exact index (every
vector scored per query); a larger one an inverted-file (IVF) index of
4 sqrt(n) cells (the low end of faiss' guideline) that scores only the
vectors of the ``nprobe`` cells nearest to the query. The IVF index's
``nprobe`` is the smallest power of two that reaches :data:`TARGET_RECALL`
recall@10 against exact search on sampled gallery vectors used as queries
(each one's own row left out), and that recall is kept with the index. A
gallery without the structure IVF needs (nprobe above
:data:`MAX_PROBED_FRACTION` of the cells) gets the exact index after all,
with the reason in its ``info``. The index stores the vectors at the
precision it is given: float16 (the on-disk gallery of
:class:`smaug.apis.VideoIndex`, as faiss' scalar quantizer ``QT_fp16``,
which scores the float16 values exactly) or float32 (an in-memory
gallery). Saved indexes are read back
memory-mapped, so a query pages in what it scans instead of loading the
whole gallery first.
"""
import math

import faiss
import numpy as np

#: Galleries up to this many vectors get an exact index, larger ones an IVF
#: index. Exact search costs about 0.02 ms of one core per 1,000 width-256
#: float16 vectors and query (tools/analysis/benchmark_search.py,
#: docs/search.md): about 4 ms at this limit.
EXACT_LIMIT = 200_000
#: The recall@10 against exact search that an IVF index's nprobe must reach.
TARGET_RECALL = 0.95
#: Sampled gallery vectors that measure an IVF index's recall.
RECALL_QUERIES = 256
#: The k of the recall@k that is measured and targeted.
RECALL_K = 10
#: An IVF index that must probe more than this fraction of its cells to
#: reach the target recall is no cheaper than exact search: the gallery
#: gets an exact index instead.
MAX_PROBED_FRACTION = 0.25
#: Vectors converted to float32 at a time while adding or scanning.
BLOCK_ROWS = 65536


def _float32(array):
    """A C-contiguous float32 copy (or view) of ``array``."""
    return np.ascontiguousarray(array, dtype=np.float32)


def exact_neighbours(queries, embeddings, k, block_rows=BLOCK_ROWS):
    """Exact inner-product top-k, reading the gallery block by block (a
    memory-mapped gallery is never converted whole).

    Args:
        queries (np.ndarray): (q, E) query vectors.
        embeddings (np.ndarray): (n, E) gallery vectors, any float dtype.
        k (int): Neighbours per query, capped at n.
        block_rows (int): Gallery vectors scored at a time.

    Returns:
        tuple[np.ndarray, np.ndarray]: (q, k) float32 scores and int64 rows,
        best first.
    """
    queries = _float32(queries)
    k = min(k, len(embeddings))
    scores = np.zeros((len(queries), 0), np.float32)
    rows = np.zeros((len(queries), 0), np.int64)
    for start in range(0, len(embeddings), block_rows):
        block = _float32(embeddings[start:start + block_rows])
        block_scores, block_rows_found = faiss.knn(
            queries, block, min(k, len(block)), faiss.METRIC_INNER_PRODUCT)
        scores = np.concatenate([scores, block_scores], axis=1)
        rows = np.concatenate([rows, block_rows_found + start], axis=1)
        best = np.argsort(-scores, axis=1, kind='stable')[:, :k]
        scores = np.take_along_axis(scores, best, axis=1)
        rows = np.take_along_axis(rows, best, axis=1)
    return scores, rows


def recall_at_k(found, truth):
    """Mean fraction of each query's true neighbours that were found.

    Args:
        found (np.ndarray): (q, k) rows returned by the index under test.
        truth (np.ndarray): (q, k) rows of exact search.

    Returns:
        float: Recall@k in [0, 1].
    """
    hits = [len(set(a.tolist()) & set(b.tolist()))
            for a, b in zip(found, truth)]
    return float(np.sum(hits) / truth.size)


def recall_query_rows(num, seed=0):
    """The gallery rows whose neighbours measure an IVF index's recall.

    Args:
        num (int): Gallery size.
        seed (int): Seed of the sample.

    Returns:
        np.ndarray: Up to :data:`RECALL_QUERIES` sorted distinct rows.
    """
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(num, min(num, RECALL_QUERIES), replace=False))


def _without_self(rows, own_rows, k):
    """Each row list without the query's own row, cut to ``k``."""
    return np.stack([row[row != own][:k] for row, own in zip(rows, own_rows)])


def _new_index(dim, float16, nlist=None):
    """An empty exact index, or an IVF index of ``nlist`` cells (its coarse
    quantizer an exact inner-product index), storing float16 or float32."""
    metric = faiss.METRIC_INNER_PRODUCT
    if nlist is None:
        return faiss.IndexScalarQuantizer(
            dim, faiss.ScalarQuantizer.QT_fp16, metric) if float16 else \
            faiss.IndexFlatIP(dim)
    quantizer = faiss.IndexFlatIP(dim)
    if float16:
        return faiss.IndexIVFScalarQuantizer(
            quantizer, dim, nlist, faiss.ScalarQuantizer.QT_fp16, metric,
            False)
    return faiss.IndexIVFFlat(quantizer, dim, nlist, metric)


class NeighbourIndex:
    """A faiss inner-product index over a gallery (build it with
    :meth:`build`, read a saved one with :meth:`load`).

    Args:
        index (faiss.Index): The filled index.
        info (dict): ``kind`` ('exact' or 'ivf'), the ``exact_limit`` it was
            built under and, for 'ivf', ``nprobe``, ``recall`` (measured
            recall@10 against exact search) and ``trained_size`` (gallery
            size its cells were trained on); for 'exact' above the limit,
            ``declined`` (why not IVF).
    """

    def __init__(self, index, info):
        self.index = index
        self.info = dict(info)
        if self.info['kind'] == 'ivf':
            faiss.extract_index_ivf(index).nprobe = self.info['nprobe']

    def __len__(self):
        return self.index.ntotal

    @classmethod
    def build(cls, embeddings, exact_limit=EXACT_LIMIT,
              target_recall=TARGET_RECALL, previous=None, seed=0):
        """Index a gallery: exact up to ``exact_limit`` vectors, IVF above.

        Args:
            embeddings (np.ndarray | torch.Tensor): (n, E) unit-norm float16
                or float32 vectors (a memory map is read block by block).
            exact_limit (int): Largest gallery that gets an exact index
                (kept in ``info``).
            target_recall (float): Recall@10 an IVF index's nprobe must
                reach on sampled gallery vectors.
            previous (NeighbourIndex, optional): The gallery's former index:
                an IVF one trained on half to twice ``n`` vectors lends its
                cells instead of training new ones.
            seed (int): Seed of the training sample and of
                :func:`recall_query_rows`.

        Returns:
            NeighbourIndex: The filled index.
        """
        if hasattr(embeddings, 'numpy'):
            embeddings = embeddings.detach().cpu().numpy()
        num, dim = embeddings.shape
        float16 = embeddings.dtype == np.float16
        if num > exact_limit:
            ivf = cls.build_ivf(embeddings, target_recall, previous, seed)
            if ivf.info['nprobe'] <= MAX_PROBED_FRACTION * ivf.index.nlist:
                ivf.info['exact_limit'] = exact_limit
                return ivf
            declined = (f'IVF needed nprobe {ivf.info["nprobe"]} of '
                        f'{ivf.index.nlist} cells for recall@10 '
                        f'{ivf.info["recall"]:.3f}')
        index = _new_index(dim, float16)
        cls._add(index, embeddings)
        info = dict(kind='exact', exact_limit=exact_limit)
        if num > exact_limit:
            info['declined'] = declined
        return cls(index, info)

    @classmethod
    def build_ivf(cls, embeddings, target_recall=TARGET_RECALL,
                  previous=None, seed=0):
        """An IVF index of the gallery, its nprobe tuned, whatever it costs
        (:meth:`build` chooses; the arguments are its).

        Returns:
            NeighbourIndex: The filled IVF index.
        """
        num, dim = embeddings.shape
        float16 = embeddings.dtype == np.float16
        rng = np.random.default_rng(seed)
        info = dict(kind='ivf', trained_size=num)
        if previous is not None and previous.info['kind'] == 'ivf' and \
                num / 2 <= previous.info['trained_size'] <= 2 * num:
            centroids = previous.centroids()
            info['trained_size'] = previous.info['trained_size']
            index = _new_index(dim, float16, len(centroids))
            index.quantizer.add(centroids)
            index.is_trained = True
        else:
            nlist = min(num, max(1, int(4 * math.sqrt(num))))
            index = _new_index(dim, float16, nlist)
            sample = np.sort(rng.choice(num, min(num, 64 * nlist), False))
            index.train(_float32(embeddings[sample]))
        cls._add(index, embeddings)
        info['nprobe'], info['recall'] = cls._tune_nprobe(
            index, embeddings, recall_query_rows(num, seed), target_recall)
        return cls(index, info)

    @staticmethod
    def _add(index, embeddings):
        """Add the gallery to ``index`` block by block."""
        for start in range(0, len(embeddings), BLOCK_ROWS):
            index.add(_float32(embeddings[start:start + BLOCK_ROWS]))

    @staticmethod
    def _tune_nprobe(index, embeddings, query_rows, target_recall):
        """The smallest power-of-two nprobe whose recall@10 on the gallery
        vectors ``query_rows`` (their own rows left out) reaches
        ``target_recall``, and that recall."""
        k = min(RECALL_K, len(embeddings) - 1)
        queries = _float32(embeddings[query_rows])
        _, truth = exact_neighbours(queries, embeddings, k + 1)
        truth = _without_self(truth, query_rows, k)
        nprobe = 1
        while True:
            index.nprobe = nprobe
            _, found = index.search(queries, k + 1)
            recall = recall_at_k(_without_self(found, query_rows, k), truth)
            if recall >= target_recall or nprobe >= index.nlist:
                return nprobe, recall
            nprobe = min(2 * nprobe, index.nlist)

    def centroids(self):
        """The IVF cells' centroids, (nlist, E) float32 (None if exact)."""
        if self.info['kind'] != 'ivf':
            return None
        quantizer = faiss.extract_index_ivf(self.index).quantizer
        return quantizer.reconstruct_n(0, quantizer.ntotal)

    def search(self, queries, k):
        """The ``k`` best gallery rows of each query.

        Args:
            queries (np.ndarray | torch.Tensor): (q, E) query vectors.
            k (int): Rows per query, capped at the gallery size.

        Returns:
            tuple[np.ndarray, np.ndarray]: (q, k') float32 inner products
            and int64 rows, best first; k' = min(k, n). An IVF index may
            return -1 rows (score -inf) when its probed cells hold fewer
            than k' vectors.
        """
        if hasattr(queries, 'numpy'):
            queries = queries.detach().cpu().numpy()
        k = min(k, len(self))
        if k == 0:
            return (np.zeros((len(queries), 0), np.float32),
                    np.zeros((len(queries), 0), np.int64))
        return self.index.search(_float32(queries), k)

    def save(self, path):
        """Write the index to ``path`` (a file object or a file name)."""
        faiss.write_index(self.index, faiss.PyCallbackIOWriter(path.write)
                          if hasattr(path, 'write') else str(path))

    @classmethod
    def load(cls, path, info):
        """Read a saved index memory-mapped.

        Args:
            path (str): The file of :meth:`save`.
            info (dict): The ``info`` of the saved index.
        """
        flags = faiss.IO_FLAG_MMAP if info['kind'] == 'ivf' else \
            faiss.IO_FLAG_MMAP_IFC
        return cls(faiss.read_index(str(path), flags), info)
