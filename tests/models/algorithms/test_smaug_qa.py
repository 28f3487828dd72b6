"""SMAUGQA on the tiny config: loss, answer ranking, checkpoint mapping."""
from pathlib import Path

import pytest
import torch
from mmengine.runner.checkpoint import load_state_dict
from mmpretrain.structures import DataSample

from smaug.models.algorithms import pretrain_to_qa_state_dict

from tiny_smaug import build_tiny_smaug, write_vocab

MODEL_CONFIGS = Path(__file__).resolve().parents[3] / 'configs' / '_base_' / \
    'models'

WORDS = ('what colour is the shape does circle square red blue green moves '
         'left right up then how many one two').split()
QUESTIONS = ['what colour is the circle', 'what does the square do',
             'how many shapes']
ANSWERS = ['red', 'moves left', 'two']
ANSWER_LIST = ['red', 'blue', 'green', 'moves left', 'moves left then up',
               'two', 'one']


def build(vocab, name):
    """A tiny model of ``configs/_base_/models/{name}`` with ``vocab``."""
    model = build_tiny_smaug(vocab, config=MODEL_CONFIGS / name)
    model.init_weights()
    return model


@pytest.fixture(scope='module')
def vocab(tmp_path_factory):
    return write_vocab(tmp_path_factory.mktemp('qa') / 'vocab.txt', WORDS)


@pytest.fixture(scope='module')
def qa_model(vocab):
    return build(vocab, 'smaug_qa_tiny.py')


def make_batch(num_clips=3, num_frames=4, size=64, answers=True):
    generator = torch.Generator().manual_seed(0)
    clips = [torch.randint(0, 256, (num_frames, 3, size, size),
                           generator=generator, dtype=torch.uint8)
             for _ in range(num_clips)]
    samples = []
    for i in range(num_clips):
        meta = dict(question=QUESTIONS[i], question_id=i)
        if answers:
            meta['answer'] = ANSWERS[i]
        samples.append(DataSample(metainfo=meta))
    return dict(inputs=clips, data_samples=samples)


def test_loss_is_finite_and_reaches_encoders_and_decoder(qa_model):
    qa_model.train()
    qa_model.zero_grad()
    data = qa_model.data_preprocessor(make_batch(), True)
    losses = qa_model(**data, mode='loss')
    assert set(losses) == {'loss_qa'}
    assert torch.isfinite(losses['loss_qa'])
    # an untrained model is about uniform over the vocabulary
    assert losses['loss_qa'].item() > 1.0
    losses['loss_qa'].backward()
    for part in ('backbone', 'frame_selector', 'text_encoder',
                 'multimodal_encoder', 'answer_decoder', 'answer_head'):
        grads = [param.grad.abs().sum() for param in
                 getattr(qa_model, part).parameters()
                 if param.grad is not None]
        assert grads and sum(grads) > 0, part
    qa_model.zero_grad()


def test_missing_fields_raise(qa_model):
    qa_model.train()
    data = qa_model.data_preprocessor(make_batch(answers=False), True)
    with pytest.raises(KeyError, match='"answer"'):
        qa_model(**data, mode='loss')


def fused_questions(model):
    model.eval()
    data = model.data_preprocessor(make_batch(), False)
    with torch.no_grad():
        return model.fuse_questions(data['inputs'], data['question'])


def test_ranking_equals_per_answer_likelihood(qa_model):
    """Batched, padded ranking == one answer at a time, without padding."""
    fused, fused_mask = fused_questions(qa_model)
    qa_model.set_answer_list(ANSWER_LIST)
    answer_ids, answer_mask = qa_model.answer_tokens()
    assert answer_mask.sum(1).unique().numel() > 2  # lengths differ
    brute = torch.zeros(len(QUESTIONS), len(ANSWER_LIST))
    first = torch.zeros_like(brute)
    with torch.no_grad():
        for i in range(len(QUESTIONS)):
            for j, answer in enumerate(ANSWER_LIST):
                ids = qa_model.data_preprocessor.tokenize([answer])
                token_ll = qa_model.answer_log_likelihood(
                    fused[i:i + 1], fused_mask[i:i + 1], ids['input_ids'],
                    ids['attention_mask'])
                brute[i, j] = token_ll.sum()
                first[i, j] = token_ll[0, 0]
        qa_model.num_candidates = len(ANSWER_LIST)
        best, candidates, scores = qa_model.rank_answers(
            fused, fused_mask, answer_ids, answer_mask)
        assert torch.allclose(scores, brute.gather(1, candidates), atol=1e-4)
        assert torch.equal(best, brute.argmax(1))
        qa_model.num_candidates = 3
        best, candidates, _ = qa_model.rank_answers(
            fused, fused_mask, answer_ids, answer_mask)
    # answers sharing a first token tie there: compare first-token values
    top3 = first.topk(3, dim=1).values
    assert torch.allclose(first.gather(1, candidates), top3, atol=1e-4)
    expected = candidates.gather(
        1, brute.gather(1, candidates).argmax(1, keepdim=True)).squeeze(1)
    assert torch.equal(best, expected)
    qa_model.num_candidates = 128


def test_first_token_top_k_then_full_likelihood(qa_model, monkeypatch):
    """A bigram language model fixes every likelihood by hand."""
    preprocessor = qa_model.data_preprocessor
    cls, red, blue, green, other, sep = preprocessor.tokenize(
        ['red blue green the'])['input_ids'][0].tolist()
    vocab = preprocessor.vocab_size
    table = torch.full((vocab, vocab), -20.)
    table[:, other] = 5.
    # first tokens: red > blue > green; then [SEP]: green > blue > red.
    # Full answers: red -10.4, blue -3.5, green -2.4 (log-likelihoods).
    table[cls, red], table[cls, blue], table[cls, green] = 3., 2., 1.
    table[cls, other] = -20.
    table[red, sep], table[blue, sep], table[green, sep] = -5., 3., 20.

    def bigram_decode(input_ids, input_mask, fused, fused_mask):
        return table[input_ids]

    monkeypatch.setattr(qa_model, 'decode', bigram_decode)
    qa_model.set_answer_list(['green', 'red', 'blue'])
    answer_ids, answer_mask = qa_model.answer_tokens()
    fused, fused_mask = torch.zeros(2, 4, 8), torch.ones(2, 4)
    picks = {}
    for k in (1, 2, 3):
        monkeypatch.setattr(qa_model, 'num_candidates', k)
        best, candidates, scores = qa_model.rank_answers(
            fused, fused_mask, answer_ids, answer_mask)
        picks[k] = [qa_model.answer_list[i] for i in best.tolist()]
        assert candidates.shape == (2, k)
    assert picks == {1: ['red'] * 2, 2: ['blue'] * 2, 3: ['green'] * 2}
    log_p = table.log_softmax(-1)
    assert torch.allclose(scores[0].max(),
                          log_p[cls, green] + log_p[green, sep])


def test_predict_needs_and_uses_the_answer_list(vocab):
    model = build(vocab, 'smaug_qa_tiny.py')
    model.eval()
    data = model.data_preprocessor(make_batch(answers=False), False)
    with pytest.raises(RuntimeError, match='AnswerListHook'):
        model(**data, mode='predict')
    model.set_answer_list(ANSWER_LIST)
    with torch.no_grad():
        samples = model(**data, mode='predict')
    assert all(s.pred_answer in ANSWER_LIST for s in samples)
    assert all(s.pred_score < 0 for s in samples)


def test_pretrain_checkpoint_fills_decoder_and_head(vocab):
    pretrain = build(vocab, 'smaug_tiny.py')
    source = pretrain.state_dict()
    mapped = pretrain_to_qa_state_dict(source)
    qm_keys = [key for key in source if key.startswith('multimodal_encoder.')]
    for key in qm_keys:
        target = 'answer_decoder.' + key[len('multimodal_encoder.'):]
        assert mapped[target] is source[key]
    assert mapped['answer_head.dense.weight'] is \
        source['mlm_head.dense.weight']
    assert pretrain_to_qa_state_dict(mapped) == mapped  # QA: unchanged

    qa = build(vocab, 'smaug_qa_tiny.py')
    fc1 = source['multimodal_encoder.layers.0.ffn.fc1.weight']
    assert not torch.equal(qa.answer_decoder.layers[0].ffn.fc1.weight, fc1)
    load_state_dict(qa, source)  # what the Runner's load_from does
    for name, param in qa.answer_decoder.named_parameters():
        assert torch.equal(param, source['multimodal_encoder.' + name]), name
    for name, param in qa.text_encoder.named_parameters():
        assert torch.equal(param, source['text_encoder.' + name]), name
    assert torch.equal(qa.answer_head.dense.weight,
                       source['mlm_head.dense.weight'])
    # the tied LM-head weight stays the word embeddings
    assert qa.answer_head.decoder.weight is \
        qa.text_encoder.embeddings.word_embeddings.weight

    # a QA checkpoint loads as it is (the decoder keeps its own weights)
    qa_state = {key: value.clone() for key, value in qa.state_dict().items()}
    qa_state['answer_decoder.layers.0.ffn.fc1.weight'].add_(1.)
    qa.load_state_dict(qa_state)
    assert torch.equal(qa.answer_decoder.layers[0].ffn.fc1.weight,
                       qa_state['answer_decoder.layers.0.ffn.fc1.weight'])


def test_weights_of_another_shape_are_not_copied(vocab):
    """Q_m's cross-attention keys are visual-width; with another width than
    the text's they cannot initialise the decoder's and are left out."""
    qa = build(vocab, 'smaug_qa_tiny.py')
    source = build(vocab, 'smaug_tiny.py').state_dict()
    key = 'multimodal_encoder.layers.0.cross_attn.key.weight'
    source[key] = torch.randn(64, 48)  # as if the ViT were 48-d
    before = qa.answer_decoder.layers[0].cross_attn.key.weight.clone()
    load_state_dict(qa, source)
    assert torch.equal(qa.answer_decoder.layers[0].cross_attn.key.weight,
                       before)
    assert torch.equal(qa.answer_decoder.layers[0].cross_attn.query.weight,
                       source['multimodal_encoder.layers.0.cross_attn.query.'
                              'weight'])
