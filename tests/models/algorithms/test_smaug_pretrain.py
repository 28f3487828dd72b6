"""SMAUGPretrain on the tiny config: losses, gradients, retrieval contract."""

import pytest
import torch
from mmpretrain.structures import DataSample
from torch.nn import functional as F

from smaug.models.necks import text_guided_frame_selector as selector_module

from tiny_smaug import build_tiny_smaug, write_vocab

WORDS = ('a red blue green circle square triangle moves left right up down '
         'then appears disappears').split()
CAPTIONS = ['a red circle moves left', 'a blue square appears',
            'a green triangle moves up', 'a red circle moves left']


@pytest.fixture
def tiny_model(tmp_path):
    """The tiny SMAUG with a vocabulary written by the test."""
    model = build_tiny_smaug(write_vocab(tmp_path / 'vocab.txt', WORDS))
    model.init_weights()
    return model


# Captions of 1, 3, 5 and 7 words: every caption has its own padding.
CAPTIONS_OF_DIFFERENT_LENGTHS = [
    'a red circle', 'green', 'a green triangle moves up then down',
    'a blue square moves left']


def make_batch(num_clips=4, num_frames=4, size=64, captions=CAPTIONS):
    """A collated batch as the dataloader gives it."""
    clips = [torch.randint(0, 256, (num_frames, 3, size, size),
                           dtype=torch.uint8) for _ in range(num_clips)]
    samples = [DataSample(metainfo=dict(text=caption,
                                        video_path=f'v{i % 3}.mp4'))
               for i, caption in enumerate(captions[:num_clips])]
    return dict(inputs=clips, data_samples=samples)


def record_calls(monkeypatch, owner, name, calls):
    """Replace ``owner.name`` by a wrapper that appends each call's
    arguments and result to ``calls``.

    Args:
        monkeypatch (pytest.MonkeyPatch): Undoes the replacement.
        owner (object): The module or object whose method is wrapped.
        name (str): The method's name.
        calls (list): Receives ``(args, result)`` per call.
    """
    original = getattr(owner, name)

    def wrapper(*args):
        result = original(*args)
        calls.append((args, result))
        return result

    monkeypatch.setattr(owner, name, wrapper)


def test_losses_are_finite_and_reach_every_parameter(tiny_model):
    tiny_model.train()
    data = tiny_model.data_preprocessor(make_batch(), True)
    losses = tiny_model(**data, mode='loss')
    assert {'loss_vtc', 'loss_vtm', 'loss_mlm', 'loss_mvm'} <= set(losses)
    total = sum(value for key, value in losses.items() if 'loss' in key)
    assert torch.isfinite(total)
    total.backward()
    # The temporal encoder starts as the identity (zero output projections),
    # so the layers behind those projections get exactly-zero gradients at
    # the first step; every parameter must still be in the graph.
    unreached = [name for name, param in tiny_model.named_parameters()
                 if param.requires_grad and param.grad is None]
    assert not unreached
    for part in ('frame_selector', 'backbone', 'mvm_head', 'mlm_head',
                 'multimodal_encoder', 'vtc_head', 'vtm_head'):
        grads = [param.grad.abs().sum() for param in
                 getattr(tiny_model, part).parameters()]
        assert sum(grads) > 0, part


def test_dense_baseline_without_optional_parts(tiny_model):
    parts = dict(tiny_model.named_children())
    assert parts['frame_selector'] is not None
    dense = build_tiny_smaug(
        tiny_model.data_preprocessor.tokenizer_source, mlm_head=None,
        mvm_head=None, frame_selector=None, num_selected_frames=None,
        backbone=dict(mask_ratio=0., keep_rate=1.))
    data = dense.data_preprocessor(make_batch(), True)
    losses = dense(**data, mode='loss')
    assert set(k for k in losses if 'loss' in k) == {'loss_vtc', 'loss_vtm'}


def test_retrieval_contract_shapes(tiny_model):
    tiny_model.eval()
    data = tiny_model.data_preprocessor(make_batch(num_clips=3, num_frames=6),
                                        False)
    with torch.no_grad():
        video = tiny_model.extract_video_feats(data['inputs'])
        text = tiny_model.extract_text_feats(CAPTIONS[:3])
        scores = tiny_model.score_pairs(video['tokens'], text['hidden'],
                                        text['attention_mask'])
    assert video['emb'].shape == (3, 32)
    assert torch.allclose(video['emb'].norm(dim=-1), torch.ones(3))
    # no masking at test: every patch of the 8x8 grid minus sparsification
    assert video['tokens'].shape[:2] == (3, 6)
    assert text['emb'].shape == (3, 32)
    assert scores.shape == (3, )


def test_training_without_captions_is_refused(tiny_model):
    data = tiny_model.data_preprocessor(make_batch(), True)
    with pytest.raises(ValueError, match='caption'):
        tiny_model(data['inputs'], data['data_samples'], None, mode='loss')


def test_mlm_fuses_the_text_encoder_states_of_the_masked_captions(
        tiny_model, monkeypatch):
    tiny_model.train()
    tiny_model.text_encoder.eval()  # no dropout: its output can be redone
    tiny_model.mlm_head.mask_prob = 0.5
    masks, fused = [], []
    record_calls(monkeypatch, tiny_model, 'mask_captions', masks)
    record_calls(monkeypatch, tiny_model, 'fuse', fused)
    torch.manual_seed(0)
    data = tiny_model.data_preprocessor(make_batch(), True)
    losses = tiny_model(**data, mode='loss')
    mlm, text = masks[0][1], data['text']
    assert (mlm['masked_ids'] != text['input_ids']).any()
    # fuse runs once for VTM's 3B pairs and once for MLM's B.
    [((_, mlm_hidden, mlm_mask), mlm_fused)] = [
        call for call in fused if len(call[1]) == len(text['input_ids'])]
    torch.testing.assert_close(
        mlm_hidden,
        tiny_model.text_encoder(mlm['masked_ids'], text['attention_mask']))
    assert torch.equal(mlm_mask, text['attention_mask'])
    torch.testing.assert_close(
        losses['loss_mlm'], tiny_model.mlm_head.loss(mlm_fused, mlm['labels']))


def test_vtm_pairs_equal_a_per_pair_reference(tiny_model, monkeypatch):
    """Each of the 3B pairs is scored as its clip fused alone with its
    caption cut to its own tokens (no padding at all)."""
    tiny_model.train()
    tiny_model.text_encoder.eval()
    tiny_model.multimodal_encoder.eval()
    monkeypatch.setattr(selector_module, 'sample_gumbel', torch.zeros_like)
    encoded, negatives, logits = [], [], []
    record_calls(monkeypatch, tiny_model, 'encode_pairs', encoded)
    record_calls(monkeypatch, tiny_model.vtm_head, 'sample_hard_negatives',
                 negatives)
    record_calls(monkeypatch, tiny_model.vtm_head, 'forward', logits)
    torch.manual_seed(0)
    data = tiny_model.data_preprocessor(
        make_batch(captions=CAPTIONS_OF_DIFFERENT_LENGTHS), True)
    lengths = data['text']['attention_mask'].sum(1).tolist()
    assert lengths == [5, 3, 9, 7]  # [CLS] and [SEP] included
    losses = tiny_model(**data, mode='loss')
    feats = encoded[0][1]
    video_tokens, text_hidden = feats['video_tokens'], feats['text_hidden']
    neg_text, neg_video = negatives[0][1]
    pairs = [(clip, clip) for clip in range(4)]
    pairs += [(clip, int(neg_text[clip])) for clip in range(4)]
    pairs += [(int(neg_video[caption]), caption) for caption in range(4)]
    assert all(index >= 0 for pair in pairs for index in pair)
    with torch.no_grad():
        expected = torch.cat([
            tiny_model.vtm_head(tiny_model.fuse(
                video_tokens[clip:clip + 1],
                text_hidden[caption:caption + 1, :lengths[caption]],
                torch.ones(1, lengths[caption], dtype=torch.long))[:, 0])
            for clip, caption in pairs])
    torch.testing.assert_close(logits[0][1], expected, rtol=0, atol=1e-5)
    labels = torch.tensor([1] * 4 + [0] * 8)
    torch.testing.assert_close(losses['loss_vtm'],
                               F.cross_entropy(expected, labels))


def test_hard_negatives_follow_the_similarity_both_ways(tiny_model,
                                                        monkeypatch):
    """An asymmetric similarity, ``sim[0, 2] = 50`` (clip 0 and caption 2)
    and 0 elsewhere: clip 0's negative caption is caption 2 and caption 2's
    negative clip is clip 0 (the transpose), in every draw."""
    temperature = tiny_model.vtc_head.temperature.item()
    video_emb, text_emb = torch.zeros(4, 2), torch.zeros(4, 2)
    video_emb[0, 0], text_emb[2, 0] = 50 * temperature, 1.
    similarity = torch.zeros(4, 4)
    similarity[0, 2] = 50.
    torch.testing.assert_close(
        tiny_model.vtc_head.similarity(video_emb, text_emb), similarity)
    fused = []

    def fuse_ids(video_tokens, text_hidden, text_mask):
        """Record which clip and caption each pair holds."""
        fused.append((video_tokens[:, 0, 0, 0].long().tolist(),
                      text_hidden[:, 0, 0].long().tolist()))
        return torch.zeros(*text_hidden.shape)

    monkeypatch.setattr(tiny_model, 'fuse', fuse_ids)
    ids = torch.arange(4.)
    video_tokens = ids.view(4, 1, 1, 1).expand(4, 4, 3, 64)
    text_hidden = ids.view(4, 1, 1).expand(4, 5, 64)
    samples = [DataSample(metainfo=dict(text=f'caption {i}',
                                        video_path=f'v{i}.mp4'))
               for i in range(4)]
    torch.manual_seed(0)
    for _ in range(20):
        tiny_model.vtm_loss(
            dict(video_tokens=video_tokens, text_hidden=text_hidden),
            torch.ones(4, 5), video_emb, text_emb, samples)
        clips, captions = fused.pop()
        # Pairs: B positives, a negative caption per clip, a negative clip
        # per caption.
        assert captions[4 + 0] == 2 and clips[4 + 0] == 0
        assert clips[8 + 2] == 0 and captions[8 + 2] == 2
