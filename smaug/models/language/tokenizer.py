"""The BERT WordPiece tokenizer, from a folder, a vocab.txt or a hub name."""
import os.path as osp


def build_bert_tokenizer(path):
    """Build a ``transformers.BertTokenizerFast``.

    Args:
        path (str): A Hugging Face tokenizer/model folder (its own settings
            apply), a ``vocab.txt`` file (lower-cased WordPiece with the
            usual [PAD] [UNK] [CLS] [SEP] [MASK] tokens, e.g. the synthetic
            corpus's), or a hub name (needs the hub or its cache).

    Returns:
        transformers.BertTokenizerFast: The tokenizer.
    """
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
