"""build_bert_tokenizer from a vocab.txt and from a folder."""
import os
import subprocess
import sys

import pytest

from smaug.models.language import build_bert_tokenizer

WORDS = ['a', 'dog', 'runs', 'on', 'the', 'grass', '##s', 'cat']


def write_vocab(folder):
    path = folder / 'vocab.txt'
    path.write_text('\n'.join(
        ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] + WORDS) + '\n')
    return path


def test_from_vocab_file_and_folder(tmp_path):
    tokenizer = build_bert_tokenizer(str(write_vocab(tmp_path)))
    encoded = tokenizer(['A Dog runs on the grass', 'cats'],
                        padding='max_length', max_length=8,
                        return_special_tokens_mask=True)
    vocab = tokenizer.get_vocab()
    assert encoded['input_ids'][0] == [
        vocab['[CLS]'], vocab['a'], vocab['dog'], vocab['runs'], vocab['on'],
        vocab['the'], vocab['grass'], vocab['[SEP]']
    ]
    assert encoded['input_ids'][1][:4] == [
        vocab['[CLS]'], vocab['cat'], vocab['##s'], vocab['[SEP]']
    ]
    assert encoded['special_tokens_mask'][1] == [1, 0, 0, 1, 1, 1, 1, 1]
    assert tokenizer.mask_token_id == 4 and tokenizer.pad_token_id == 0

    saved = tmp_path / 'saved'
    tokenizer.save_pretrained(saved)
    again = build_bert_tokenizer(str(saved))
    assert again('a dog')['input_ids'] == tokenizer('a dog')['input_ids']


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='tokenizer.py'):
        build_bert_tokenizer(str(tmp_path / 'nowhere'))


FORK_AFTER_TOKENIZING = """
import os, sys
from smaug.models.language import build_bert_tokenizer
tokenizer = build_bert_tokenizer(sys.argv[1])
tokenizer(['a dog runs on the grass'] * 64, padding=True)
pid = os.fork()  # as a dataloader worker starts
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
print(os.environ['TOKENIZERS_PARALLELISM'])
"""


@pytest.mark.parametrize('setting', [None, 'true'])
def test_forked_workers_print_no_tokenizer_warning(tmp_path, setting):
    env = {k: v for k, v in os.environ.items()
           if k != 'TOKENIZERS_PARALLELISM'}
    if setting is not None:
        env['TOKENIZERS_PARALLELISM'] = setting
    result = subprocess.run(
        [sys.executable, '-c', FORK_AFTER_TOKENIZING,
         str(write_vocab(tmp_path))],
        env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # off unless the user set it (their setting is kept)
    assert result.stdout.strip() == (setting or 'false')
    assert 'huggingface/tokenizers' not in result.stderr, result.stderr
