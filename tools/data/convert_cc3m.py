#!/usr/bin/env python
"""Convert Conceptual Captions TSVs (CC3M; CC12M with ``--columns``) to
smaug's JSON.

Input: CC3M's ``Train_GCC-training.tsv`` has no header, one ``caption<TAB>url``
per line; CC12M's ``cc12m.tsv`` is ``url<TAB>caption``
(``--columns url,caption``). Images are named by line number: the default
``--image-template '{shard:05d}/{index:09d}.jpg'`` is img2dataset's layout
(10,000 images per folder; ``shard = index // 10000``); ``{url}`` is also
available. With ``--images-root``, lines whose image is absent (a dead link)
are dropped.

Output: ``[{"image": "<path>", "caption": caption}]``.

Example::

    python tools/data/convert_cc3m.py \\
        --tsv data/cc3m/raw/Train_GCC-training.tsv \\
        --images-root data/cc3m/images \\
        --out data/cc3m/annotations/cc3m_train.json
"""
from captioned_media import keep_captioned_media
from converter_arguments import add_destination_argument

from smaug.datasets import dump_annotation_file
from smaug.cli.command_help import command_parser


def read_image_captions(tsv_file, columns, template):
    """The image path and caption of each line.

    Args:
        tsv_file (str): The TSV file.
        columns (tuple[str, str]): Order of the two columns.
        template (str): Image path from ``index``, ``shard`` and ``url``.

    Yields:
        tuple[str, str]: Image path and raw caption.
    """
    with open(tsv_file, encoding='utf-8') as f:
        for index, line in enumerate(f):
            fields = line.rstrip('\n').split('\t')
            if len(fields) != 2:
                raise ValueError(f'{tsv_file}: line {index + 1}: expected 2 '
                                 f'tab-separated fields, got {len(fields)}')
            row = dict(zip(columns, fields))
            yield template.format(index=index, shard=index // 10000,
                                  url=row['url']), row['caption']


def convert(tsv_file, columns=('caption', 'url'),
            template='{shard:05d}/{index:09d}.jpg', images_root=None):
    """Build the entries and count what was dropped.

    Args:
        tsv_file (str): The TSV file.
        columns (tuple[str, str]): Order of the two columns.
        template (str): Image path from ``index``, ``shard`` and ``url``.
        images_root (str, optional): Keep only images present here.

    Returns:
        tuple[list[dict], dict[str, int]]: Entries and drop counts.
    """
    if sorted(columns) != ['caption', 'url']:
        raise ValueError(f"columns must order 'caption' and 'url', got "
                         f'{columns}')
    return keep_captioned_media(
        read_image_captions(tsv_file, columns, template), 'image',
        images_root)


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('--tsv', required=True,
                        help='the TSV file of image URLs and captions')
    add_destination_argument(parser, '--out')
    parser.add_argument('--columns', default='caption,url',
                        help="column order: 'caption,url' (CC3M, default) "
                        "or 'url,caption' (CC12M)")
    parser.add_argument('--image-template',
                        default='{shard:05d}/{index:09d}.jpg',
                        help='image path from the 0-based line number '
                        '{index}, {shard} = index // 10000 and {url} '
                        "(default: %(default)s, img2dataset's layout)")
    parser.add_argument('--images-root',
                        help='folder of the downloaded images: lines whose '
                        'image is not there are dropped (default: keep '
                        'every line)')
    args = parser.parse_args(argv)
    entries, dropped = convert(args.tsv, tuple(args.columns.split(',')),
                               args.image_template, args.images_root)
    dump_annotation_file(entries, args.out)
    print(f'{len(entries)} image-text pairs; dropped {dropped}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
