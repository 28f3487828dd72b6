"""The failures of a tool that goes through many files, one
``<path>: <reason>`` line each: printed, and written to a file for a second
run or a clean-up (shared by check_corpus.py and compress_videos.py).

A module of those commands, not a command itself.
"""
import sys


def report_failures(failures, path=None):
    """Print the failure lines and, if ``path`` is given, write them there.

    Args:
        failures (list[str]): One line per failed file.
        path (str, optional): The file to write the lines to.
    """
    for line in failures:
        print(line)
    if path:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(''.join(line + '\n' for line in failures))


if __name__ == '__main__':
    sys.exit('failure_list.py is a module of check_corpus.py and '
             'compress_videos.py, not a command: run python '
             'tools/data/check_corpus.py --help or python '
             'tools/data/compress_videos.py --help')
