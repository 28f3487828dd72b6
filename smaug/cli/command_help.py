"""``--help`` of the command-line tools, made from their docstrings.

Each tool in ``tools/`` documents itself in its module docstring: a summary
paragraph, details, and command lines in literal blocks (indented text after
a paragraph that ends with ``::``). :func:`command_parser` turns that into
the tool's parser, so that ``--help`` shows the whole summary (never a cut
first line) and, after the options, the docstring's example command lines.
"""
import argparse
import re
import textwrap

EXAMPLE_STARTS = ('python ', 'tools/')
# '::', a blank line, then indented (or blank) lines up to the next line that
# starts in column 0.
LITERAL_BLOCK = re.compile(r'::\n\n((?:[ \t]+\S.*\n|[ \t]*\n)+)')


class _ExamplesHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter that keeps text of several lines (the examples)
    as written and fills one-line text (the summary) to the terminal."""

    def _fill_text(self, text, width, indent):
        if '\n' not in text:
            return super()._fill_text(text, width, indent)
        return ''.join(indent + line for line in text.splitlines(True))


def docstring_summary(docstring):
    """The first paragraph of a docstring as one line, with reST's double
    backquotes removed.

    Args:
        docstring (str): A module docstring.
    """
    paragraph = docstring.strip().split('\n\n')[0]
    return ' '.join(paragraph.replace('``', '').split())


def _literal_blocks(docstring):
    """The literal blocks of a docstring, dedented.

    Args:
        docstring (str): A module docstring (its text starts in column 0).

    Returns:
        list[str]: Each block's text.
    """
    return [textwrap.dedent(block).strip('\n')
            for block in LITERAL_BLOCK.findall(docstring + '\n')]


def docstring_examples(docstring):
    """The literal blocks of a docstring that hold command lines (a line
    starting with ``python`` or ``tools/``), joined by blank lines.

    Args:
        docstring (str): A module docstring.
    """
    return '\n\n'.join(
        block for block in _literal_blocks(docstring)
        if any(line.lstrip().startswith(EXAMPLE_STARTS)
               for line in block.splitlines()))


def command_parser(docstring, **kwargs):
    """An ``ArgumentParser`` whose ``--help`` shows a tool's docstring: its
    summary paragraph as the description and its example command lines
    after the options.

    Args:
        docstring (str): The tool's module docstring (``__doc__``).
        **kwargs: Further ``argparse.ArgumentParser`` arguments.

    Returns:
        argparse.ArgumentParser: The parser, without arguments yet.
    """
    examples = docstring_examples(docstring)
    epilog = 'examples:\n' + textwrap.indent(examples, '  ') \
        if examples else None
    return argparse.ArgumentParser(
        description=docstring_summary(docstring), epilog=epilog,
        formatter_class=_ExamplesHelpFormatter, **kwargs)
