"""SMAUGMultipleChoice: the highest VTM score among the options wins."""

import pytest
import torch
from mmpretrain.structures import DataSample

from tiny_smaug import build_tiny_smaug, write_vocab

WORDS = 'a the red blue green circle square moves left right up'.split()
OPTIONS = [['a red circle', 'a blue square', 'a green circle moves left',
            'the square', 'a red square moves up'],
           ['a blue circle moves right', 'a green square', 'a red circle',
            'the blue circle', 'a square moves left']]


@pytest.fixture(scope='module')
def models(tmp_path_factory):
    """The tiny MC model and the tiny pre-training model, same weights."""
    vocab = write_vocab(tmp_path_factory.mktemp('mc') / 'vocab.txt', WORDS)
    pretrain = build_tiny_smaug(vocab)
    mc = build_tiny_smaug(vocab, type='SMAUGMultipleChoice', mlm_head=None,
                          mvm_head=None)
    result = mc.load_state_dict(pretrain.state_dict(), strict=False)
    assert not result.missing_keys  # pre-training names load as they are
    assert all(key.startswith(('mlm_head.', 'mvm_head.'))
               for key in result.unexpected_keys)
    return mc.eval(), pretrain


def make_batch():
    generator = torch.Generator().manual_seed(0)
    clips = [torch.randint(0, 256, (4, 3, 64, 64), generator=generator,
                           dtype=torch.uint8) for _ in OPTIONS]
    samples = [DataSample(metainfo=dict(options=options, answer_index=0))
               for options in OPTIONS]
    return dict(inputs=clips, data_samples=samples)


def test_picks_the_option_with_the_highest_score(models, monkeypatch):
    model, _ = models
    scores = torch.tensor([0.1, 2.0, -1.0, 1.5, 0.0,
                           -3.0, -2.0, -2.5, -0.5, -1.0])
    calls = []

    def fake_score_pairs(video_tokens, text_hidden, text_mask):
        calls.append((video_tokens, text_hidden))
        return scores

    monkeypatch.setattr(model, 'score_pairs', fake_score_pairs)
    data = model.data_preprocessor(make_batch(), False)
    with torch.no_grad():
        samples = model(**data, mode='predict')
        tokens = model.extract_video_feats(data['inputs'])['tokens']
        texts = model.extract_text_feats(OPTIONS[1])['hidden']
    assert [s.pred_index for s in samples] == [1, 3]
    assert torch.equal(samples[1].option_scores, scores[5:])
    video_tokens, text_hidden = calls[0]
    # pair 5 + j is clip 1 with its option j
    assert torch.allclose(video_tokens[5:], tokens[1:].expand(5, -1, -1, -1))
    assert torch.allclose(video_tokens[:5], tokens[:1].expand(5, -1, -1, -1))
    length = texts.shape[1]
    assert torch.allclose(text_hidden[5:, :length], texts, atol=1e-5)


def test_scores_are_the_pretrain_models_vtm_scores(models):
    model, pretrain = models
    pretrain.eval()
    data = model.data_preprocessor(make_batch(), False)
    with torch.no_grad():
        samples = model(**data, mode='predict')
        tokens = pretrain.extract_video_feats(data['inputs'])['tokens']
        text = pretrain.extract_text_feats(OPTIONS[0])
        expected = pretrain.score_pairs(tokens[:1].expand(5, -1, -1, -1),
                                        text['hidden'],
                                        text['attention_mask'])
    assert torch.allclose(samples[0].option_scores, expected, atol=1e-4)
    assert samples[0].pred_index == int(expected.argmax())


def test_bad_samples_raise(models):
    model, _ = models
    batch = make_batch()
    data = model.data_preprocessor(batch, False)
    data['data_samples'][1].set_metainfo(dict(options=OPTIONS[1][:4]))
    with pytest.raises(ValueError, match='same number of options'):
        model(**data, mode='predict')
    data['data_samples'] = [DataSample(), DataSample()]
    with pytest.raises(KeyError, match='"options"'):
        model(**data, mode='predict')
