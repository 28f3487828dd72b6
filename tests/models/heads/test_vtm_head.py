"""VTMHead: classifier and hard-negative sampling."""
import pytest
import torch

from smaug.models.heads import VTMHead


def test_classifier_and_loss():
    head = VTMHead(in_channels=8)
    head.init_weights()
    logits = head(torch.randn(6, 8))
    assert logits.shape == (6, 2)
    labels = torch.tensor([1, 1, 0, 0, 0, 0])
    expected = -logits.log_softmax(1)[torch.arange(6), labels].mean()
    torch.testing.assert_close(head.loss(logits, labels), expected)


def test_never_samples_a_positive_including_duplicates():
    head = VTMHead(in_channels=8)
    captions = ['a dog', 'a cat', 'a dog', 'rain', 'a cat', 'sun', 'sea',
                'sky']
    videos = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v3', 'v7']
    positive = torch.tensor([[
        i == j or captions[i] == captions[j] or videos[i] == videos[j]
        for j in range(8)
    ] for i in range(8)])
    torch.manual_seed(0)
    seen_text, seen_video = set(), set()
    for _ in range(120):
        # Positives get the highest similarities: the worst case.
        sim = torch.randn(8, 8) + 20 * positive
        neg_text, neg_video = head.sample_hard_negatives(
            sim, sim.t(), captions, videos)
        assert (neg_text >= 0).all() and (neg_video >= 0).all()
        assert not positive[torch.arange(8), neg_text].any()
        assert not positive[neg_video, torch.arange(8)].any()
        seen_text.update(zip(range(8), neg_text.tolist()))
        seen_video.update(zip(neg_video.tolist(), range(8)))
    # Every non-positive pair is reachable.
    negatives = {(i, j) for i in range(8) for j in range(8)
                 if not positive[i, j]}
    assert seen_text == negatives and seen_video == negatives


def test_sampling_follows_similarity():
    head = VTMHead(in_channels=8)
    sim = torch.zeros(4, 4)
    sim[0, 2] = 5.  # clip 0's hardest negative caption: 2
    sim[3, 1] = -50.  # caption 3 almost never picks clip 1 ... as rows of t2v
    torch.manual_seed(0)
    picks = torch.stack([
        head.sample_hard_negatives(sim, sim, torch.arange(4))[0]
        for _ in range(200)
    ])
    frequency = (picks[:, 0] == 2).float().mean()
    # softmax over negatives {1, 2, 3}: e^5 / (e^5 + 2) = 0.987
    assert frequency > 0.95
    assert (picks[:, 3] != 1).float().mean() > 0.99


def test_zero_hardness_samples_uniformly_among_negatives():
    head = VTMHead(in_channels=8, negative_hardness=0.)
    sim = torch.zeros(4, 4)
    sim[0, 2] = 50.  # would always be picked with hardness 1
    torch.manual_seed(0)
    picks = torch.stack([
        head.sample_hard_negatives(sim, sim, torch.arange(4))[0]
        for _ in range(600)
    ])
    counts = torch.bincount(picks[:, 0], minlength=4)
    assert counts[0] == 0  # the positive
    # Uniform over {1, 2, 3}: 200 each, binomial std 11.5.
    assert ((counts[1:] - 200).abs() < 50).all(), counts
    with pytest.raises(ValueError, match='negative_hardness'):
        VTMHead(in_channels=8, negative_hardness=1.5)


def test_no_negative_gives_minus_one():
    head = VTMHead(in_channels=8)
    sim = torch.randn(3, 3)
    neg_text, neg_video = head.sample_hard_negatives(sim, sim,
                                                     ['x', 'x', 'y'])
    assert neg_text.tolist()[:2] == [2, 2] and neg_text[2] in (0, 1)
    neg_text, neg_video = head.sample_hard_negatives(sim, sim, ['x'] * 3)
    assert neg_text.tolist() == neg_video.tolist() == [-1, -1, -1]
    with pytest.raises(ValueError, match='one entry per pair'):
        head.sample_hard_negatives(sim, sim, ['x', 'y'])
    with pytest.raises(ValueError, match='square'):
        head.sample_hard_negatives(sim[:2], sim, ['x', 'y'])
