#!/usr/bin/env python
"""Convert a WebVid CSV (``results_2M_train.csv``) to smaug's JSON.

Input columns: ``videoid, contentUrl, duration, page_dir, name`` (``name``
is the caption). Downloaders store clip ``videoid`` of ``page_dir`` as
``<page_dir>/<videoid>.mp4``; ``--video-template`` changes that. Rows with an
empty caption are dropped; with ``--videos-root``, so are rows whose video
is not there (a partial download).

Output: ``[{"video": "<page_dir>/<videoid>.mp4", "caption": name}]``.

Example::

    python tools/data/convert_webvid.py \\
        --csv data/webvid/raw/results_2M_train.csv \\
        --videos-root data/webvid/videos \\
        --out data/webvid/annotations/webvid_train.json
"""
import csv

from captioned_media import keep_captioned_media
from converter_arguments import (add_destination_argument,
                                 add_video_template_argument)

from smaug.datasets import dump_annotation_file
from smaug.cli.command_help import command_parser


def read_video_captions(csv_file, template):
    """The video path and caption of each row.

    Args:
        csv_file (str): The WebVid CSV.
        template (str): Video path from the row's columns.

    Yields:
        tuple[str, str]: Video path and raw caption.
    """
    with open(csv_file, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        for column in ('videoid', 'page_dir', 'name'):
            if column not in (reader.fieldnames or []):
                raise ValueError(f'{csv_file}: missing column {column!r}; '
                                 f'header is {reader.fieldnames}')
        for row in reader:
            yield template.format(**row), row['name']


def convert(csv_file, template='{page_dir}/{videoid}.mp4', videos_root=None):
    """Build the entries and count what was dropped.

    Args:
        csv_file (str): The WebVid CSV.
        template (str): Video path from the row's columns.
        videos_root (str, optional): Keep only videos present here.

    Returns:
        tuple[list[dict], dict[str, int]]: Entries and drop counts.
    """
    return keep_captioned_media(read_video_captions(csv_file, template),
                                'video', videos_root)


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('--csv', required=True,
                        help='the WebVid CSV (results_2M_train.csv, '
                        'results_10M_train.csv, ...)')
    add_destination_argument(parser, '--out')
    add_video_template_argument(parser, '{page_dir}/{videoid}.mp4',
                                'the columns {page_dir} and {videoid}')
    parser.add_argument('--videos-root',
                        help='folder of the downloaded videos: rows whose '
                        'video is not there are dropped (default: keep '
                        'every row)')
    args = parser.parse_args(argv)
    entries, dropped = convert(args.csv, args.video_template,
                               args.videos_root)
    dump_annotation_file(entries, args.out)
    print(f'{len(entries)} clips; dropped {dropped}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
