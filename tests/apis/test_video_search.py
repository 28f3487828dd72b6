"""rerank and search_videos: VTM order, candidates only, VTC order."""
import pytest
import torch

from smaug.apis import embed_texts, embed_videos, rerank, search_videos

QUERY = 'a red square moves up'


@pytest.fixture(scope='module')
def gallery(model, video_paths):
    return embed_videos(model, video_paths, batch_size=5, return_tokens=True)


def test_rerank_orders_by_vtm_score(model, gallery):
    result = rerank(model, QUERY, gallery['tokens'][:6], batch_size=4)
    scores, order = result['scores'], result['order']
    assert scores.shape == (6, ) and sorted(order.tolist()) == list(range(6))
    assert torch.all(scores[order][:-1] >= scores[order][1:])
    # the same scores as the model's own pair scoring
    text = model.extract_text_feats([QUERY])
    with torch.no_grad():
        direct = model.score_pairs(gallery['tokens'][2:3], text['hidden'],
                                   text['attention_mask'])
    torch.testing.assert_close(scores[2], direct[0], atol=1e-5, rtol=0)


def test_rerank_reads_files_like_tokens(model, gallery):
    from_tokens = rerank(model, QUERY, gallery['tokens'][:3])
    from_files = rerank(model, QUERY, gallery['paths'][:3])
    torch.testing.assert_close(from_files['scores'], from_tokens['scores'],
                               atol=1e-5, rtol=0)


def test_vtc_search_sorted_top_k(model, gallery):
    hits = search_videos(model, QUERY, gallery['paths'], gallery['emb'],
                         top=4)
    assert len(hits) == 4
    scores = [hit['vtc_score'] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all('vtm_score' not in hit for hit in hits)
    # the 4 best of the whole gallery
    similarity = gallery['emb'] @ embed_texts(model, [QUERY])[0]
    best = similarity.topk(4).indices.tolist()
    assert {hit['path'] for hit in hits} == \
        {gallery['paths'][row] for row in best}


def test_rerank_changes_order_only_among_candidates(model, gallery):
    vtc = search_videos(model, QUERY, gallery['paths'], gallery['emb'],
                        top=8)
    hits = search_videos(model, QUERY, gallery['paths'], gallery['emb'],
                         top=8, rerank_k=5)
    candidates = {hit['path'] for hit in vtc[:5]}
    assert {hit['path'] for hit in hits[:5]} == candidates
    vtm = [hit['vtm_score'] for hit in hits[:5]]
    assert vtm == sorted(vtm, reverse=True)
    # below the candidates, the VTC order is kept
    assert [hit['path'] for hit in hits[5:]] == \
        [hit['path'] for hit in vtc[5:]]
    assert all('vtm_score' not in hit for hit in hits[5:])


def test_top_larger_than_gallery(model, gallery):
    hits = search_videos(model, QUERY, gallery['paths'][:3],
                         gallery['emb'][:3], top=10, rerank_k=16)
    assert sorted(hit['path'] for hit in hits) == gallery['paths'][:3]


def test_vtm_plus_vtc_mode_orders_by_the_sum(model, gallery):
    hits = search_videos(model, QUERY, gallery['paths'], gallery['emb'],
                         top=5, rerank_k=5, score_mode='vtm+vtc')
    sums = [hit['vtm_score'] + hit['vtc_score'] for hit in hits]
    assert sums == sorted(sums, reverse=True)
    vtm_only = search_videos(model, QUERY, gallery['paths'], gallery['emb'],
                             top=5, rerank_k=5)
    assert {hit['path']: hit['vtm_score'] for hit in hits} == \
        pytest.approx({hit['path']: hit['vtm_score'] for hit in vtm_only})


def test_unknown_score_mode(model, gallery):
    with pytest.raises(ValueError, match='score_mode'):
        search_videos(model, QUERY, gallery['paths'], gallery['emb'],
                      rerank_k=3, score_mode='vtc')
