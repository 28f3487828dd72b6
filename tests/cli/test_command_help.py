"""command_parser: a tool's --help from its module docstring."""
from smaug.cli.command_help import command_parser

DOCSTRING = """Convert a dataset's annotations (``--in``) to smaug's
JSON, keeping every caption.

Details that --help leaves out. A config then names the output::

    dataset=dict(ann_file='out.json')

Examples::

    python tools/data/convert_x.py --in a.json \\
        --out out.json
    # several files
    python tools/data/convert_x.py --in b.json --out b_out.json
"""


def help_text(docstring):
    """The --help output of a parser built from ``docstring``."""
    parser = command_parser(docstring, prog='convert_x.py')
    parser.add_argument('--out', help='output file')
    return parser.format_help()


def test_description_is_the_whole_summary_paragraph():
    text = help_text(DOCSTRING)
    assert "Convert a dataset's annotations (--in) to smaug's JSON, keeping " \
        'every caption.' in ' '.join(text.split())
    assert 'Details' not in text


def test_examples_follow_the_options_line_by_line():
    text = help_text(DOCSTRING)
    options, examples = text.split('examples:\n')
    assert '--out OUT' in options
    assert examples == (
        '  python tools/data/convert_x.py --in a.json \\\n'
        '      --out out.json\n'
        '  # several files\n'
        '  python tools/data/convert_x.py --in b.json --out b_out.json\n')


def test_no_examples_section_without_command_lines():
    text = help_text(DOCSTRING.split('Examples::')[0])
    assert 'examples:' not in text
    assert 'dataset=dict' not in text
