"""The page of ``tools/search.py --serve`` in a real browser: Debian's
chromium, headless, driven by Playwright, on the page the tool serves from
a real index of synthetic clips. A screenshot of the results is kept in the
test's tmp folder (its path is printed)."""
import contextlib
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import torch

from smaug.apis import (VideoIndex, init_model, model_fingerprint,
                        search_videos)

import media_files
import search_setup

TOOL = search_setup.REPO_ROOT / 'tools' / 'search.py'
CHROMIUM = '/usr/bin/chromium'
#: Without the networking flags chromium waits on services it cannot reach.
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu',
                  '--disable-quic', '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update', '--disable-sync']
QUERY = 'a red square moves up'
SERVER_START_S = 180


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    return search_setup.make_search_setup(tmp_path_factory.mktemp('page'))


@pytest.fixture(scope='module')
def browser():
    """A headless chromium with a fresh profile; skips where none is
    installed."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f'no browser: {CHROMIUM} is missing; `make test` '
                    "installs Debian's chromium (apt-get install chromium), "
                    'which needs root and the Debian package archive')
    sync_api = pytest.importorskip('playwright.sync_api')
    with sync_api.sync_playwright() as playwright, \
            tempfile.TemporaryDirectory(prefix='chromium-') as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_FLAGS, viewport=dict(width=1280, height=900))
        yield context
        context.close()


@contextlib.contextmanager
def search_server(setup, tmp_path, *extra, videos=None,
                  checkpoint=None, port=0):
    """Run ``tools/search.py --serve`` as a user does; yield its address
    (None if it exited) and its output so far (a list of lines)."""
    command = [sys.executable, str(TOOL), search_setup.DEMO_CONFIG,
               checkpoint or setup['checkpoint'], '--videos',
               str(videos or setup['videos']), '--index-dir',
               str(tmp_path / 'index'), '--workers', '0', '--serve',
               '--port', str(port), *extra]
    process = subprocess.Popen(command, cwd=setup['root'], text=True,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    lines, address = [], queue.Queue()

    def read():
        for line in process.stdout:
            lines.append(line)
            if line.startswith('search page: '):
                address.put(line.split()[2])
        address.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        yield address.get(timeout=SERVER_START_S), lines
    finally:
        process.terminate()
        process.wait(timeout=30)


def open_page(browser, url, status_route=None):
    """Open the page; ``status_route(route)`` answers its status polls."""
    page = browser.new_page()
    errors = []
    page.on('pageerror', lambda error: errors.append(error))
    if status_route:
        page.route('**/api/status', status_route)
    page.goto(url)
    return page, errors


def shown_message(page):
    page.wait_for_selector('#message:not(.hidden)',
                           timeout=1000 * SERVER_START_S)
    return page.inner_text('#message')


def expected_hits(setup, index_dir, top):
    """The top hits of QUERY over the index the server built, by the API."""
    model = init_model(search_setup.DEMO_CONFIG, setup['checkpoint'])
    index = VideoIndex(index_dir, setup['videos'], model_fingerprint(model))
    stats = index.update(lambda paths: pytest.fail(f'embeds {paths}'))
    assert stats['rebuilt'] is None and stats['total'] == 10
    paths, neighbours = index.gallery()
    return search_videos(model, QUERY, paths, neighbours, top)


def test_page_shows_the_ranking_and_plays_a_clip(setup, browser, tmp_path,
                                                 monkeypatch):
    with search_server(setup, tmp_path) as (url, output):
        assert url, ''.join(output)
        page, errors = open_page(browser, url)
        page.wait_for_selector('#search:not([disabled])',
                               timeout=1000 * SERVER_START_S)
        assert '10 videos indexed, exact search' in \
            page.inner_text('#status-text')
        page.fill('#query', QUERY)
        page.press('#query', 'Enter')
        page.wait_for_selector('.tile')
        page.wait_for_function('[...document.querySelectorAll(".tile img")]'
                               '.every(image => image.complete && '
                               'image.naturalWidth > 0)')
        screenshot = tmp_path / 'search_page.png'
        page.screenshot(path=str(screenshot), full_page=True)
        print(f'screenshot of the search page: {screenshot}')
        tiles = page.query_selector_all('.tile')
        shown = [(tile.query_selector('.rank').inner_text(),
                  tile.query_selector('.name').inner_text(),
                  tile.query_selector('.scores').inner_text())
                 for tile in tiles[:5]]
        page.click('.tile >> nth=0')
        page.wait_for_function(
            'document.querySelector("#player video")?.readyState >= 1')
        duration = page.evaluate(
            'document.querySelector("#player video").duration')
        assert not errors
    monkeypatch.chdir(setup['root'])
    with torch.no_grad():
        hits = expected_hits(setup, tmp_path / 'index', 5)
    assert shown == [(f'#{rank}', Path(hit['path']).name,
                      f'VTC {hit["vtc_score"]:.3f}')
                     for rank, hit in enumerate(hits, 1)]
    assert duration == pytest.approx(1.0, abs=0.2)  # 8 frames at 8 fps


def test_page_shows_the_progress_then_the_ready_index(setup, browser,
                                                      tmp_path):
    # the status polls get a status of the session mid-way (its shape:
    # tests/apis/test_search_session.py) until the test has seen it shown,
    # then the server's own
    shown = []

    def status_route(route):
        if shown:
            route.continue_()
        else:
            route.fulfill(json=dict(ready=False, error=None, folder='f',
                                    stage='embedding', done=3, total=10))

    with search_server(setup, tmp_path) as (url, output):
        assert url, ''.join(output)
        page, errors = open_page(browser, url, status_route)
        page.wait_for_selector('#status-text:text("embedding")')
        shown.append(page.evaluate(
            '[document.querySelector("#status-text").textContent, '
            'document.querySelector("#progress").value, '
            'document.querySelector("#progress").max, '
            'document.querySelector("#progress").checkVisibility(), '
            'document.querySelector("#search").disabled]'))
        page.wait_for_selector('#search:not([disabled])',
                               timeout=1000 * SERVER_START_S)
        assert shown == [['embedding (3 of 10)\u2026 ', 3, 10, True, True]]
        assert page.inner_text('#status-text').startswith(
            '10 videos indexed, exact search')
        assert page.is_hidden('#progress') and not errors


def test_results_file_shows_the_rankings_and_plays_what_it_can(
        setup, browser, tmp_path):
    # the page of --html, opened from the disk as a user opens it, over the
    # synthetic clips (MPEG-4 Part 2: no browser plays them) and one H.264,
    # in a folder whose name a URL must escape
    folder = tmp_path / 'my videos #1'
    shutil.copytree(setup['videos'], folder)
    media_files.write_video(folder / 'h264.mp4', num_frames=8,
                            codec='libx264')
    out_file = tmp_path / 'results.html'
    subprocess.run([sys.executable, str(TOOL), search_setup.DEMO_CONFIG,
                    setup['checkpoint'], '--videos', str(folder),
                    '--index-dir', str(tmp_path / 'index'), '--workers', '0',
                    '--query', QUERY, '--query', 'a blue circle', '--top',
                    '11', '--html', str(out_file)],
                   cwd=setup['root'], check=True, capture_output=True)
    page, errors = open_page(browser, out_file.as_uri())
    page.wait_for_function('[...document.querySelectorAll(".tile img")]'
                           '.every(image => image.complete && '
                           'image.naturalWidth > 0)')
    headings = page.eval_on_selector_all(
        '.result-set h2', 'nodes => nodes.map(node => node.textContent)')
    assert [re.sub(r' \(\d+ ms\)$', '', text) for text in headings] == [
        f'\u201c{QUERY}\u201d: 11 results',
        '\u201ca blue circle\u201d: 11 results']
    assert page.is_hidden('#search-form')
    assert page.inner_text('#status-text').startswith('11 videos indexed')
    page.click('.result-set >> nth=0 >> .tile[data-name="h264.mp4"]')
    page.wait_for_function(
        'document.querySelector("#player video")?.readyState >= 1')
    assert page.evaluate('document.querySelector("#player video").duration') \
        == pytest.approx(1.0, abs=0.2)
    assert page.is_hidden('#player-message')
    page.click('#close-player')
    page.click('.result-set >> nth=0 >> .tile[data-name="vid_00000.mp4"]')
    assert page.wait_for_selector('#player-message:not(.hidden)') \
        .inner_text() == ('This browser cannot play vid_00000.mp4. The '
                          f'file: {folder / "vid_00000.mp4"}')
    assert not errors


def test_empty_query_is_a_message(setup, browser, tmp_path):
    with search_server(setup, tmp_path) as (url, output):
        assert url, ''.join(output)
        page, errors = open_page(browser, url)
        page.wait_for_selector('#search:not([disabled])',
                               timeout=1000 * SERVER_START_S)
        page.fill('#query', '   ')
        page.click('#search')
        assert 'type a few words' in shown_message(page)
        assert page.query_selector('.tile') is None and not errors


def test_folder_without_a_readable_video_is_a_message(setup, browser,
                                                      tmp_path):
    folder = tmp_path / 'videos'
    (folder / 'clip.mp4').mkdir(parents=True)
    (folder / 'broken.mp4').write_bytes(b'garbage' * 100)
    with search_server(setup, tmp_path, videos=folder) as (url, output):
        assert url, ''.join(output)
        page, errors = open_page(browser, url)
        message = shown_message(page)
        assert f'no readable video in {folder}' in message
        assert 'broken.mp4: decord cannot open it' in message
        assert 'clip.mp4: a folder, not a video file' in message
        assert page.inner_text('#unreadable summary') == \
            '2 entries left out (unreadable)'
        assert not errors


def test_checkpoint_of_another_model_is_a_message(setup, browser, tmp_path):
    other = tmp_path / 'text_only.pth'
    state = torch.load(setup['checkpoint'])['state_dict']
    torch.save({'state_dict': {key: value for key, value in state.items()
                               if key.startswith('text_encoder.')}}, other)
    with search_server(setup, tmp_path, checkpoint=str(other)) as (url,
                                                                   output):
        assert url, ''.join(output)
        page, errors = open_page(browser, url)
        message = shown_message(page)
        assert f'the checkpoint {other} does not fit the model of the ' \
            f'config {search_setup.DEMO_CONFIG}' in message
        assert 'lacks' in message and not errors


def test_port_in_use_is_a_message(setup, tmp_path):
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(TOOL), search_setup.DEMO_CONFIG,
             setup['checkpoint'], '--videos', str(setup['videos']),
             '--serve', '--port', str(port)],
            cwd=setup['root'], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f'search.py: port {port} on 127.0.0.1 is already in use' in \
        result.stderr
    assert 'Traceback' not in result.stderr
