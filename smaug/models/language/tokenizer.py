"""The BERT WordPiece tokenizer, from a folder, a vocab.txt or a hub name."""
import os
import os.path as osp


def build_bert_tokenizer(path):
    """A ``transformers.BertTokenizerFast`` from a tokenizer folder, a
    ``vocab.txt`` (lower-cased WordPiece with the usual special tokens) or a
    hub name (the hub or its cache).
    """
    # Batches of short captions gain nothing from the tokenizer's thread
    # pool, and once it has run, every dataloader worker forked afterwards
    # (the val loader's, each epoch's without persistent workers) prints a
    # warning and switches it off. A user's own setting wins.
    os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')
    from transformers import BertTokenizerFast
    if osp.isfile(path):
        return BertTokenizerFast(vocab_file=path, do_lower_case=True)
    try:
        return BertTokenizerFast.from_pretrained(path)
    except (OSError, ValueError) as error:
        raise FileNotFoundError(
            f'smaug/models/language/tokenizer.py: {path!r} is neither a '
            'vocab file, a tokenizer folder nor a hub name that transformers '
            f'could load ({error}).') from error
