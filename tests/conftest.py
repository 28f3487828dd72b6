"""Shared pytest fixtures."""
import os
import socket
import sys
from pathlib import Path

# OpenCV before decord: decord's wheel bundles zlib 1.2.3 and loads it
# globally, so a process that imports decord first has OpenCV's libpng bound
# to it, and every PNG decode fails ("libpng error: bad parameters to zlib").
# smaug loads OpenCV first (through mmcv); test modules that import decord
# before smaug would not, making tests depend on their order.
import cv2  # noqa: F401
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / 'tests' / 'fixtures'


@pytest.fixture
def repo_root():
    """The repository's root folder."""
    return REPO_ROOT


@pytest.fixture
def fixtures_dir():
    """tests/fixtures: toy modules and configs."""
    return FIXTURES


@pytest.fixture
def free_port():
    """A TCP port on localhost that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture
def tool_env():
    """Environment for running tools/ scripts as a user would."""
    env = dict(os.environ)
    env['PYTHON'] = sys.executable
    env['PYTHONPATH'] = os.pathsep.join(
        [str(REPO_ROOT), str(FIXTURES), env.get('PYTHONPATH', '')])
    return env
