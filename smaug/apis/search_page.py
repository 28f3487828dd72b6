"""The search page (``search_page.html`` beside this module): filled with
its data, for the server (:mod:`smaug.apis.search_server`) or as a
self-contained file of results (``tools/search.py --html``)."""
import base64
import json
from pathlib import Path

from .search_session import SearchInputError

TEMPLATE = Path(__file__).with_name('search_page.html')
PLACEHOLDER = 'SMAUG_PAGE_DATA'


def render_page(data):
    """The page's HTML with ``data`` in it.

    Args:
        data (dict): ``mode`` ('server': the page asks the server's /api/
            routes; 'static': ``status`` and ``results`` are in the page).

    Returns:
        str: The HTML document.
    """
    # '<' escaped, so that no text in the data can close the script
    text = json.dumps(data).replace('<', '\\u003c')
    return TEMPLATE.read_text().replace(PLACEHOLDER, text, 1)


def static_results(session, queries, top=10, rerank=False):
    """The results of ``queries`` with their thumbnails embedded (JPEG data
    URIs) and ``file://`` links to the videos, for a page without a server.

    Args:
        session (SearchSession): A prepared session.
        queries (Sequence[str]): The queries.
        top (int): Results per query.
        rerank (bool): Re-score the best candidates with VTM.

    Returns:
        list[dict]: One :meth:`SearchSession.search` result per query.
    """
    results = []
    for query in queries:
        result = session.search(query, top, rerank)
        for hit in result['hits']:
            try:
                jpeg = session.thumbnail(hit['row'])
                hit['thumbnail'] = 'data:image/jpeg;base64,' + \
                    base64.b64encode(jpeg).decode()
            except SearchInputError:  # the page shows the name alone
                hit['thumbnail'] = ''
            hit['video'] = Path(hit['path']).as_uri()
        results.append(result)
    return results


def write_results_page(session, queries, out, top=10, rerank=False):
    """Write a self-contained page of the results of ``queries``.

    Args:
        session (SearchSession): A prepared session.
        queries (Sequence[str]): The queries.
        out (str): The HTML file to write.
        top (int): Results per query.
        rerank (bool): Re-score the best candidates with VTM.
    """
    data = dict(mode='static', status=session.status(),
                results=static_results(session, queries, top, rerank))
    Path(out).write_text(render_page(data))
