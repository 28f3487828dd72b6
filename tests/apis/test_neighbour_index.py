"""NeighbourIndex: exact search equals brute force, the IVF index's nprobe
and recall are what they claim, saved indexes read back memory-mapped give
the same answers, trained cells are reused within a factor of 2."""
import numpy as np
import pytest

from smaug.apis import NeighbourIndex
from smaug.apis.neighbour_index import (exact_neighbours, recall_at_k,
                                        recall_query_rows)


def unit_rows(num, dim=16, clusters=20, seed=0):
    """Unit vectors around ``clusters`` random directions."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dim))
    rows = centres[rng.integers(0, clusters, num)] + \
        0.5 * rng.standard_normal((num, dim))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(
        np.float32)


def brute_force(queries, gallery, k):
    scores = queries.astype(np.float64) @ gallery.astype(np.float64).T
    return np.argsort(-scores, axis=1, kind='stable')[:, :k]


@pytest.mark.parametrize('dtype', [np.float32, np.float16])
def test_exact_index_equals_brute_force(dtype):
    gallery = unit_rows(500).astype(dtype)
    queries = unit_rows(7, seed=1)
    index = NeighbourIndex.build(gallery, exact_limit=500)
    assert index.info == dict(kind='exact', exact_limit=500)
    assert len(index) == 500
    scores, rows = index.search(queries, 10)
    np.testing.assert_array_equal(rows, brute_force(queries, gallery, 10))
    np.testing.assert_allclose(
        scores, np.take_along_axis(queries @ gallery.astype(np.float32).T,
                                   rows, axis=1), atol=1e-5)


def test_exact_neighbours_block_by_block():
    gallery, queries = unit_rows(300), unit_rows(5, seed=1)
    scores, rows = exact_neighbours(queries, gallery, 12, block_rows=64)
    np.testing.assert_array_equal(rows, brute_force(queries, gallery, 12))
    assert np.all(np.diff(scores, axis=1) <= 0)


def test_recall_at_k():
    truth = np.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    found = np.array([[4, 3, 9, 9], [5, 6, 7, 8]])
    assert recall_at_k(found, truth) == 6 / 8


def leave_one_out_recall(index, gallery, rows, nprobe):
    """Recall@10 of ``index`` at ``nprobe`` for gallery rows as queries,
    their own rows left out, computed here from brute force."""
    index.index.nprobe = nprobe
    _, found = index.search(gallery[rows], 11)
    truth = brute_force(gallery[rows], gallery, 11)
    return np.mean([len(set(f[f != r][:10]) & set(t[t != r][:10])) / 10
                    for f, t, r in zip(found, truth, rows)])


def test_ivf_index_reaches_its_recall_with_the_smallest_nprobe():
    gallery = unit_rows(4000, clusters=200).astype(np.float16)
    index = NeighbourIndex.build(gallery, exact_limit=1000,
                                 target_recall=0.9)
    info = index.info
    assert info['kind'] == 'ivf' and info['trained_size'] == 4000
    assert index.index.nlist == 252  # int(4 sqrt(4000))
    assert info['recall'] >= 0.9
    queries = recall_query_rows(4000)
    assert len(queries) == 256
    gallery32 = gallery.astype(np.float32)
    assert leave_one_out_recall(index, gallery32, queries,
                                info['nprobe']) == pytest.approx(
                                    info['recall'])
    if info['nprobe'] > 1:  # the next smaller power of two falls short
        assert leave_one_out_recall(index, gallery32, queries,
                                    info['nprobe'] // 2) < 0.9


def test_saved_index_reads_back_memory_mapped(tmp_path):
    gallery = unit_rows(3000).astype(np.float16)
    queries = unit_rows(6, seed=1)
    for exact_limit in (5000, 1000):
        index = NeighbourIndex.build(gallery, exact_limit=exact_limit)
        path = tmp_path / f'{index.info["kind"]}.faiss'
        with open(path, 'wb') as file:
            index.save(file)
        loaded = NeighbourIndex.load(path, index.info)
        for got, want in zip(loaded.search(queries, 10),
                             index.search(queries, 10)):
            np.testing.assert_array_equal(got, want)


def test_trained_cells_reused_within_a_factor_of_two():
    first = NeighbourIndex.build(unit_rows(3000).astype(np.float16),
                                 exact_limit=100)
    grown = NeighbourIndex.build(unit_rows(5000, seed=2).astype(np.float16),
                                 exact_limit=100, previous=first)
    np.testing.assert_array_equal(grown.centroids(), first.centroids())
    assert grown.info['trained_size'] == 3000 and len(grown) == 5000
    doubled = NeighbourIndex.build(unit_rows(7000, seed=3),
                                   exact_limit=100, previous=grown)
    assert doubled.info['trained_size'] == 7000
    assert doubled.index.nlist == 334  # int(4 sqrt(7000)): trained anew


def test_gallery_without_structure_stays_exact():
    rng = np.random.default_rng(0)
    gallery = rng.standard_normal((3000, 64)).astype(np.float32)
    gallery /= np.linalg.norm(gallery, axis=1, keepdims=True)
    ivf = NeighbourIndex.build_ivf(gallery)
    assert ivf.info['nprobe'] > 0.25 * ivf.index.nlist
    index = NeighbourIndex.build(gallery, exact_limit=1000)
    assert index.info == dict(
        kind='exact', exact_limit=1000,
        declined=f'IVF needed nprobe {ivf.info["nprobe"]} of '
        f'{ivf.index.nlist} cells for recall@10 {ivf.info["recall"]:.3f}')
