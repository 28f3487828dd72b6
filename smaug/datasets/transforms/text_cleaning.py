"""Normalising captions and questions before tokenisation."""
import re
import string


from smaug.registry import TRANSFORMS
from .settings_repr import SettingsReprTransform

# '-' and '/' join words ("t-shirt", "and/or"): they become spaces; the other
# ASCII punctuation is dropped.
_SEPARATORS = re.compile(r'[-/]')
_PUNCTUATION = re.compile('[' + re.escape(
    string.punctuation.replace('-', '').replace('/', '')) + ']')
_SPACES = re.compile(r'\s+')


def clean_text(text, max_words=None):
    """Lower-case, strip punctuation, collapse spaces, keep ``max_words``.

    Args:
        text (str): The raw text.
        max_words (int, optional): Keep at most this many words.

    Returns:
        str: The cleaned text.
    """
    text = _PUNCTUATION.sub('', _SEPARATORS.sub(' ', text.lower()))
    words = _SPACES.sub(' ', text).strip().split(' ')
    if max_words is not None:
        words = words[:max_words]
    return ' '.join(words)


@TRANSFORMS.register_module()
class CleanText(SettingsReprTransform):
    """Clean text fields (a str or a list of str each) with
    :func:`clean_text`.

    Modified keys: those in ``keys`` that are present.

    Args:
        keys (Sequence[str]): Fields to clean. Defaults to ``('text', )``
            (captions); QA configs add ``'question'``, MC ``'options'``.
        max_words (int, optional): Word limit per text. Defaults to None.
    """
    repr_settings = ('keys', 'max_words')

    def __init__(self, keys=('text', ), max_words=None):
        self.keys = tuple(keys)
        self.max_words = max_words

    def transform(self, results):
        """Clean the fields.

        Args:
            results (dict): The pipeline dict.
        """
        for key in self.keys:
            if key not in results:
                continue
            value = results[key]
            if isinstance(value, str):
                results[key] = clean_text(value, self.max_words)
            else:
                results[key] = [clean_text(v, self.max_words) for v in value]
        return results
