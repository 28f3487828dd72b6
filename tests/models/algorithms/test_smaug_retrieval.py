"""SMAUGRetrieval trains VTC and VTM: a retrieval config that keeps an MLM
or MVM head of the pre-training config it inherits is refused, not
silently left untrained."""

import pytest

from tiny_smaug import (build_tiny_smaug, tiny_model_cfg,
                        write_vocab)


@pytest.mark.parametrize('head', ['mlm_head', 'mvm_head'])
def test_pre_training_heads_are_refused(head, tmp_path):
    vocab = write_vocab(tmp_path / 'vocab.txt')
    heads = dict(mlm_head=None, mvm_head=None)
    heads[head] = tiny_model_cfg()[head]
    with pytest.raises(ValueError, match="type='SMAUGPretrain'"):
        build_tiny_smaug(vocab, type='SMAUGRetrieval', **heads)
    model = build_tiny_smaug(vocab, type='SMAUGRetrieval', mlm_head=None,
                             mvm_head=None)
    assert not hasattr(model, head)
