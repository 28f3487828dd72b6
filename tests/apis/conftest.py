"""Fixtures of the inference API tests: a tiny corpus, random checkpoints
and the loaded tiny model, with the working directory at the corpus root."""

import pytest


import search_setup


@pytest.fixture(scope='session')
def setup(tmp_path_factory):
    """:func:`search_setup.make_search_setup` in a session folder."""
    return search_setup.make_search_setup(tmp_path_factory.mktemp('apis'))


@pytest.fixture(autouse=True)
def in_setup_root(setup, monkeypatch):
    """Run every test in the corpus root (the config's relative vocab)."""
    monkeypatch.chdir(setup['root'])


@pytest.fixture(scope='session')
def model(setup):
    """The tiny demo model with the seed-0 checkpoint."""
    from smaug.apis import init_model
    return init_model(search_setup.DEMO_CONFIG, setup['checkpoint'])


@pytest.fixture(scope='session')
def video_paths(setup):
    """The corpus's 10 video files."""
    return sorted(str(path) for path in setup['videos'].glob('*.mp4'))
