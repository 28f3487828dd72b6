"""Fixtures of the dataset tests: media files and a small synthetic corpus."""

import pytest


import media_files


@pytest.fixture(scope='session')
def synthetic_root(tmp_path_factory):
    """A 20-clip synthetic corpus (32x32, 8 frames) made by make_synthetic."""
    return media_files.make_synthetic(tmp_path_factory.mktemp('synthetic'))


@pytest.fixture
def media():
    """The media_files helper module (write_video, make_bad, ...)."""
    return media_files
