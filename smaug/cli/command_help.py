"""``--help`` of the command-line tools, made from their docstrings: the
whole summary paragraph, and after the options the command lines of the
docstring's literal blocks.
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
    """The first paragraph of a docstring as one line, without reST's
    double backquotes.
    """
    paragraph = docstring.strip().split('\n\n')[0]
    return ' '.join(paragraph.replace('``', '').split())


def _literal_blocks(docstring):
    """The dedented literal blocks of a module docstring."""
    return [textwrap.dedent(block).strip('\n')
            for block in LITERAL_BLOCK.findall(docstring + '\n')]


def docstring_examples(docstring):
    """The literal blocks of a docstring holding command lines (starting
    with ``python`` or ``tools/``), joined by blank lines.
    """
    return '\n\n'.join(
        block for block in _literal_blocks(docstring)
        if any(line.lstrip().startswith(EXAMPLE_STARTS)
               for line in block.splitlines()))


def command_parser(docstring, **kwargs):
    """An ``ArgumentParser`` (no arguments yet; ``**kwargs`` passed on)
    whose ``--help`` shows the tool's ``docstring``.
    """
    examples = docstring_examples(docstring)
    epilog = 'examples:\n' + textwrap.indent(examples, '  ') \
        if examples else None
    return argparse.ArgumentParser(
        description=docstring_summary(docstring), epilog=epilog,
        formatter_class=_ExamplesHelpFormatter, **kwargs)
