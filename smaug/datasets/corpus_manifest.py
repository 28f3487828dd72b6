"""The integrity manifest of a corpus: a SHA-256 checksum of every media
file, taken when the files were checked good.

A bit flip can leave a video that every decoder reads without an error,
with wrong frames: only a checksum taken before shows it.
``tools/data/check_corpus.py`` writes ``<annotation file>.sha256`` with the
checksums of the files it decoded without a fault; ``check_corpus.py
--verify`` reads every file again and names those that differ. The format
is the one ``sha256sum`` writes: one line per file, the hex digest, two
spaces and the file's path relative to the corpus root (``--data-root``),
so that ``cd <data root> && sha256sum -c <manifest>`` checks it too.
(Shards keep their checksums in the samples themselves: see
:mod:`smaug.datasets.transforms.shard_loading`.)
"""
import hashlib
import os

MANIFEST_SUFFIX = '.sha256'
BLOCK = 2**20


def manifest_path(ann_file):
    """The manifest of an annotation file's media.

    Args:
        ann_file (str): The annotation file.
    """
    return str(ann_file) + MANIFEST_SUFFIX


def file_sha256(path):
    """The SHA-256 of a file, in hex.

    Args:
        path (str): The file.
    """
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(BLOCK), b''):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(path, checksums):
    """Write a manifest (atomically).

    Args:
        path (str): The manifest.
        checksums (dict[str, str]): Relative path -> hex SHA-256.
    """
    partial = f'{path}.{os.getpid()}.partial'
    with open(partial, 'w', encoding='utf-8') as f:
        f.writelines(f'{digest}  {relative}\n'
                     for relative, digest in checksums.items())
    os.replace(partial, path)


def read_manifest(path):
    """Read a manifest.

    Args:
        path (str): The manifest.

    Returns:
        dict[str, str]: Relative path -> hex SHA-256.

    Raises:
        FileNotFoundError: There is none (naming the command that writes
            one).
        ValueError: A line is not ``<64 hex digits>  <path>``, naming the
            file and the line.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(
            f'{path}: no integrity manifest; tools/data/check_corpus.py '
            'writes it when it checks the corpus (without --stat-only)')
    checksums = {}
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            digest, _, relative = line.rstrip('\n').partition('  ')
            if len(digest) != 64 or not relative or \
                    not all(c in '0123456789abcdef' for c in digest):
                raise ValueError(f'{path}: line {number} is not "<SHA-256 '
                                 f'in hex>  <path>": {line.rstrip()!r}')
            checksums[relative] = digest
    return checksums
