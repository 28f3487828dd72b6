"""The entries of web-scale corpora (media path, caption pairs): those
without a caption, or whose file a partial download lacks, are dropped and
counted (shared by convert_cc3m.py and convert_webvid.py).

A module of those commands, not a command itself.
"""
import os.path as osp
import sys


def keep_captioned_media(pairs, media_key, media_root=None):
    """Build ``{media_key: path, "caption": caption}`` entries.

    Args:
        pairs (Iterable[tuple[str, str]]): Media path and raw caption.
        media_key (str): ``'video'`` or ``'image'``.
        media_root (str, optional): Keep only media present here.

    Returns:
        tuple[list[dict], dict[str, int]]: Entries and drop counts
        (``no_caption`` and ``no_<media_key>``).
    """
    entries = []
    dropped = {'no_caption': 0, f'no_{media_key}': 0}
    for path, caption in pairs:
        caption = caption.strip()
        if not caption:
            dropped['no_caption'] += 1
        elif media_root and not osp.isfile(osp.join(media_root, path)):
            dropped[f'no_{media_key}'] += 1
        else:
            entries.append({media_key: path, 'caption': caption})
    return entries, dropped


if __name__ == '__main__':
    sys.exit('captioned_media.py is a module of convert_cc3m.py and '
             'convert_webvid.py, not a command: run python '
             'tools/data/convert_cc3m.py --help or python '
             'tools/data/convert_webvid.py --help')
