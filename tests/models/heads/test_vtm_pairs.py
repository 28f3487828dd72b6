"""VTMHead.sample_pairs: the 3B pairs of the matching loss."""
import torch

from smaug.models.heads import VTMHead


def test_positives_then_a_negative_caption_and_clip_per_pair():
    head = VTMHead(in_channels=8)
    # Clips 0 and 2 share their caption: clip 0's only other caption is 1's,
    # and clip 1's negatives are 0 or 2.
    captions = ['a dog', 'a cat', 'a dog']
    torch.manual_seed(0)
    video, text, labels, weight = head.sample_pairs(torch.randn(3, 3),
                                                    captions)
    assert video[:6].tolist() == [0, 1, 2, 0, 1, 2]
    assert text[:3].tolist() == [0, 1, 2] and text[6:].tolist() == [0, 1, 2]
    assert text[3] == 1 and text[4] in (0, 2) and text[5] == 1
    assert video[6] == 1 and video[7] in (0, 2) and video[8] == 1
    assert labels.tolist() == [1, 1, 1] + [0] * 6
    assert weight.all()


def test_a_pair_without_negative_is_a_zero_weight_stand_in():
    head = VTMHead(in_channels=8)
    video, text, labels, weight = head.sample_pairs(torch.randn(2, 2),
                                                    ['rain', 'rain'])
    # Both captions are the same: no pair has a negative.
    assert video.tolist() == [0, 1] * 3 and text.tolist() == [0, 1] * 3
    assert labels.tolist() == [1, 1, 0, 0, 0, 0]
    assert weight.tolist() == [True, True, False, False, False, False]
