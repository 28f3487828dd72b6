"""Installs the ``smaug`` package (``pip install -e .``)."""
import re
from pathlib import Path

from setuptools import find_packages, setup

ROOT = Path(__file__).parent


def read_requirements(name):
    """Return the requirement lines of ``requirements/<name>.txt``.

    Args:
        name (str): File stem inside ``requirements/``.
    """
    lines = (ROOT / 'requirements' / f'{name}.txt').read_text().splitlines()
    return [line.strip() for line in lines
            if line.strip() and not line.startswith(('#', '-'))]


def read_version():
    """Return ``__version__`` from ``smaug/version.py`` without importing."""
    text = (ROOT / 'smaug' / 'version.py').read_text()
    return re.search(r"__version__ = '([^']+)'", text).group(1)


setup(
    name='smaug',
    version=read_version(),
    description='SMAUG: sparse masked autoencoder for efficient '
    'video-language pre-training, on MMEngine',
    long_description=(ROOT / 'README.md').read_text(),
    long_description_content_type='text/markdown',
    python_requires='>=3.10',
    packages=find_packages(exclude=('tests', 'tests.*', 'configs', 'tools')),
    package_data={'smaug.apis': ['search_page.html']},
    # mmcv is deliberately absent: requirements/mmcv.txt installs mmcv-lite,
    # and a user's existing full mmcv must not be overwritten by it.
    install_requires=read_requirements('runtime'),
    extras_require=dict(
        tests=read_requirements('tests'),
        benchmark=read_requirements('benchmark'),
    ),
)
