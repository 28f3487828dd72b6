"""How much of a corpus is there: the availability report and its log line.

``tools/data/check_corpus.py`` writes ``<annotation file>.availability.json``
beside the annotation file: the file's size, modification time and SHA-256,
the media folders, when it was checked and how (decoding every file, or
``--stat-only``: presence only), the counts of media files present,
readable, missing and unreadable, their fractions, and the first
``MAX_LISTED`` missing and unreadable files.

At start-up a training dataset logs one line from that report (if it was
made for this annotation file, unchanged, and these media folders), or says
why it cannot and prints the command that makes one. It never looks at the
media itself: a stat of every file of a 17M corpus on a shared file system
takes hours and loads its metadata server from every rank.
"""
import datetime
import hashlib
import json
import logging
import os
import os.path as osp

from mmengine.logging import print_log

REPORT_SUFFIX = '.availability.json'
MAX_LISTED = 1000


def report_path(ann_file):
    """The availability report of an annotation file.

    Args:
        ann_file (str): The annotation file.
    """
    return str(ann_file) + REPORT_SUFFIX


def media_roots(data_root='', video_prefix='', image_prefix=''):
    """The video and image folders, as a report records them.

    Args:
        data_root (str): The corpus root.
        video_prefix (str): Video folder under ``data_root``.
        image_prefix (str): Image folder under ``data_root``.
    """
    return dict(video=osp.abspath(osp.join(data_root, video_prefix)),
                image=osp.abspath(osp.join(data_root, image_prefix)))


def annotation_identity(ann_file):
    """Size and modification time of an annotation file (what start-up
    compares, without reading it).

    Args:
        ann_file (str): The annotation file.
    """
    stat = os.stat(ann_file)
    return dict(size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def write_report(ann_file, roots, mode, entries, missing, unreadable,
                 files, path=None):
    """Write the availability report of a corpus beside its annotations.

    Args:
        ann_file (str): The annotation file.
        roots (dict): :func:`media_roots`.
        mode (str): ``'decode'`` (every file read) or ``'stat'``.
        entries (int): Entries of the annotation file.
        missing (list[str]): Media files not found.
        unreadable (list[str]): ``'path: reason'`` of the files found but
            not readable (empty in ``'stat'`` mode).
        files (int): Distinct media files of the annotation file.
        path (str, optional): Where to write it. Defaults to
            :func:`report_path`.

    Returns:
        str: The report file.
    """
    sha256 = hashlib.sha256()
    with open(ann_file, 'rb') as f:
        for block in iter(lambda: f.read(2**20), b''):
            sha256.update(block)
    present = files - len(missing)
    readable = present - len(unreadable) if mode == 'decode' else None
    report = dict(
        annotation=osp.abspath(ann_file),
        annotation_sha256=sha256.hexdigest(),
        **{f'annotation_{k}': v
           for k, v in annotation_identity(ann_file).items()},
        media_roots=roots,
        checked_at=datetime.datetime.now(
            datetime.timezone.utc).isoformat(timespec='seconds'),
        mode=mode,
        entries=entries,
        files=files,
        present=present,
        missing=len(missing),
        readable=readable,
        unreadable=len(unreadable) if mode == 'decode' else None,
        present_fraction=present / files if files else None,
        readable_fraction=readable / files
        if files and readable is not None else None,
        missing_files=missing[:MAX_LISTED],
        unreadable_files=unreadable[:MAX_LISTED])
    path = path or report_path(ann_file)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(report, f, indent=1)
    return path


def check_command(ann_file, data_root, video_prefix, image_prefix):
    """The command line that makes the report of a dataset.

    Args:
        ann_file (str): The annotation file.
        data_root (str): The corpus root.
        video_prefix (str): Video folder under ``data_root``.
        image_prefix (str): Image folder under ``data_root``.
    """
    options = ''.join(f' --{name} {value}' for name, value in (
        ('data-root', data_root), ('video-prefix', video_prefix),
        ('image-prefix', image_prefix)) if value)
    return f'python tools/data/check_corpus.py {ann_file}{options}'


def availability_line(ann_file, data_root='', video_prefix='',
                      image_prefix=''):
    """One line on how much of a dataset's media is present and readable.

    Args:
        ann_file (str): The annotation file.
        data_root (str): The corpus root.
        video_prefix (str): Video folder under ``data_root``.
        image_prefix (str): Image folder under ``data_root``.

    Returns:
        tuple[str, int]: The line and its logging level: a warning for a
        report that is stale, unreadable or of other media folders.
    """
    path = report_path(ann_file)
    command = check_command(ann_file, data_root, video_prefix, image_prefix)
    try:
        with open(path, encoding='utf-8') as f:
            report = json.load(f)
    except FileNotFoundError:
        return (f'{ann_file}: media availability unknown (no report '
                f'{path}); make one with: {command} (add --stat-only to '
                'check presence only, much faster)'), logging.INFO
    except (OSError, ValueError) as err:
        return (f'{ann_file}: the availability report {path} cannot be '
                f'read ({err}); make it again with: {command}'
                ), logging.WARNING
    identity = annotation_identity(ann_file)
    if (report.get('annotation_size'), report.get('annotation_mtime_ns')
        ) != (identity['size'], identity['mtime_ns']):
        return (f'{ann_file}: the availability report {path} is stale: the '
                f'annotation file changed since it was checked '
                f'({report.get("checked_at")}); make it again with: '
                f'{command}'), logging.WARNING
    roots = media_roots(data_root, video_prefix, image_prefix)
    if report.get('media_roots') != roots:
        return (f'{ann_file}: the availability report {path} checked the '
                f'media under {report.get("media_roots")}, this dataset '
                f'reads them under {roots}; make it again with: {command}'
                ), logging.WARNING
    files = report['files']
    line = (f'{ann_file}: {report["present"]} of {files} media files '
            f'present ({100 * report["present_fraction"]:.1f}%)')
    if report['mode'] == 'decode':
        line += (f', {report["readable"]} readable '
                 f'({100 * report["readable_fraction"]:.1f}%)')
    else:
        line += ' (presence only: not decoded)'
    return (f'{line}, checked {report["checked_at"]} ({path})',
            logging.INFO)


def log_availability(dataset):
    """Log the :func:`availability_line` of a dataset.

    Args:
        dataset (BaseVideoTextDataset): The dataset (its ``data_prefix``
            already joined with its ``data_root``).
    """
    root = dataset.data_root or ''
    prefixes = [_under(dataset.data_prefix[key], root)
                for key in ('video', 'image')]
    line, level = availability_line(dataset.ann_file, root, *prefixes)
    print_log(line, logger='current', level=level)


def _under(folder, root):
    """``folder`` relative to ``root`` ('' for ``root`` itself)."""
    if not root:
        return folder
    relative = osp.relpath(osp.abspath(folder), osp.abspath(root))
    if relative.startswith('..'):
        return folder
    return '' if relative == '.' else relative
