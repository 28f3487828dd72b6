"""SearchSession before it is ready: what the page's status shows and what
a query gets while the model loads and the folder is indexed."""
import argparse

import pytest

from smaug.apis.search_session import SearchInputError, SearchSession


def test_status_and_queries_before_ready(tmp_path):
    session = SearchSession(argparse.Namespace(videos=str(tmp_path)))
    assert session.status() == dict(
        ready=False, error=None, folder=str(tmp_path),
        stage='loading the model', done=0, total=0)
    session._set_progress('embedding', 120, 300)
    with pytest.raises(SearchInputError, match=r'not ready yet \(embedding: '
                       r'120 of 300\)'):
        session.search('a red square')
    with pytest.raises(SearchInputError, match='type a few words'):
        session.search(' \t')
    with pytest.raises(SearchInputError, match='no video number 0'):
        session.thumbnail(0)
