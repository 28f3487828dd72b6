"""The tiny SMAUG that the figure tests draw."""

import pytest

import tiny_smaug


@pytest.fixture(scope='module')
def model(tmp_path_factory):
    """A fresh tiny SMAUG (64x64 frames, 8x8 patches) per test module."""
    vocab = tiny_smaug.write_vocab(
        tmp_path_factory.mktemp('vocab') / 'vocab.txt')
    return tiny_smaug.build_tiny_smaug(vocab)
