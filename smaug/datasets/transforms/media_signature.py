"""Telling images from videos by their first bytes, for error messages.

When neither decord nor PyAV can open an annotation's ``"video"``, or
OpenCV cannot decode its ``"image"``, the usual cause in a hand-made corpus
is the wrong key: a JPEG listed as a video, or an mp4 as an image. The
loading transforms then say so, instead of only "broken metadata" or "not a
decodable image".
"""

# GIFs are neither: an animated GIF is read as a video, a still one as an
# image.
IMAGE_SIGNATURES = (b'\xff\xd8\xff', b'\x89PNG\r\n\x1a\n', b'BM', b'II*\x00',
                    b'MM\x00*')
VIDEO_SIGNATURES = (b'\x1aE\xdf\xa3', b'FLV', b'\x00\x00\x01\xba')


def media_kind(head):
    """Guess the kind of a file from its first 12 bytes.

    Args:
        head (bytes): The file's first bytes (at least 12 for RIFF and
            ISO-BMFF containers).

    Returns:
        str | None: ``'image'``, ``'video'`` or None when unknown.
    """
    if head.startswith(IMAGE_SIGNATURES) or (head[:4] == b'RIFF'
                                             and head[8:12] == b'WEBP'):
        return 'image'
    if (head[4:8] == b'ftyp' or head.startswith(VIDEO_SIGNATURES)
            or head[:4] == b'RIFF' and head[8:12] == b'AVI '):
        return 'video'
    return None


def wrong_key_hint(head, expected):
    """A sentence for the error message when ``head`` is not ``expected``.

    Args:
        head (bytes): The file's first bytes.
        expected (str): ``'video'`` or ``'image'``, what the annotation key
            promised.

    Returns:
        str: e.g. ``'; it is an image: annotate it with "image", not
        "video"'``, or '' when the file is not recognisably the other kind.
    """
    kind = media_kind(head)
    if kind is None or kind == expected:
        return ''
    article = 'an' if kind == 'image' else 'a'
    return (f'; it is {article} {kind}: annotate it with "{kind}", not '
            f'"{expected}"')
