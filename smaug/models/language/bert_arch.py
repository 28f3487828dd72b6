"""BERT architecture settings by name, and checks of the size arguments."""
BERT_ARCHS = dict(base=dict(
    hidden_size=768,
    num_heads=12,
    intermediate_size=3072,
    vocab_size=30522,
    max_position_embeddings=512,
    type_vocab_size=2,
    pad_token_id=0,
    layer_norm_eps=1e-12,
    dropout=0.1))
# The size the tests use: 32-d, 4 heads, a small vocabulary.
BERT_ARCHS['tiny'] = dict(BERT_ARCHS['base'], hidden_size=32, num_heads=4,
                          intermediate_size=64, vocab_size=128,
                          max_position_embeddings=64)
BERT_ARCHS['b'] = BERT_ARCHS['bert-base'] = BERT_ARCHS['base']

ESSENTIAL_KEYS = ('hidden_size', 'num_heads', 'intermediate_size')


def resolve_bert_arch(arch):
    """A complete settings dict (every key of ``BERT_ARCHS['base']``) from
    a name in :data:`BERT_ARCHS` or a dict with at least ``hidden_size``,
    ``num_heads`` and ``intermediate_size`` (the rest bert-base's).
    """
    if isinstance(arch, str):
        if arch.lower() not in BERT_ARCHS:
            raise ValueError(
                f'smaug/models/language/bert_arch.py: unknown BERT arch '
                f'{arch!r}; choose one of {sorted(BERT_ARCHS)} or give a '
                f'dict.')
        return dict(BERT_ARCHS[arch.lower()])
    if not isinstance(arch, dict):
        raise TypeError('smaug/models/language/bert_arch.py: arch must be a '
                        f'str or a dict, got {type(arch).__name__}.')
    missing = [key for key in ESSENTIAL_KEYS if key not in arch]
    unknown = sorted(set(arch) - set(BERT_ARCHS['base']))
    if missing or unknown:
        raise ValueError(
            'smaug/models/language/bert_arch.py: a custom BERT arch needs the '
            f'keys {list(ESSENTIAL_KEYS)} and accepts '
            f'{sorted(BERT_ARCHS["base"])}; missing {missing}, unknown '
            f'{unknown}.')
    if arch['hidden_size'] % arch['num_heads']:
        raise ValueError(
            'smaug/models/language/bert_arch.py: hidden_size '
            f'{arch["hidden_size"]} is not divisible by num_heads '
            f'{arch["num_heads"]}.')
    return {**BERT_ARCHS['base'], **arch}
