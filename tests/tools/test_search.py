"""tools/search.py on a tiny corpus with random checkpoints of the demo
model: tables, the cache, re-ranking, evaluation, errors."""
import base64
import errno
import io
import json
import os
import re
from pathlib import Path

import pytest
import torch
from PIL import Image

from smaug.apis.search_session import default_index_dir
from smaug.config import load_config

import media_files
import search_setup
from tool_scripts import load_tool

QUERY = 'a red square moves up'


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    return search_setup.make_search_setup(tmp_path_factory.mktemp('search'))


@pytest.fixture
def run(setup, tmp_path, monkeypatch, capsys):
    """Run the tool in the corpus root with its index in tmp_path; return
    its captured stdout and stderr."""
    monkeypatch.chdir(setup['root'])
    tool = load_tool('search.py')

    def run_tool(*extra, checkpoint=setup['checkpoint'],
                 videos=setup['videos']):
        capsys.readouterr()
        assert tool.main([search_setup.DEMO_CONFIG, checkpoint, '--videos',
                          str(videos), '--index-dir',
                          str(tmp_path / 'index'), '--workers', '0',
                          *extra]) == 0
        return capsys.readouterr()
    return run_tool


def copy_videos(setup, folder, count):
    """Copy the corpus's first ``count`` videos into ``folder``; return
    the copied source files."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(setup['videos'].glob('*.mp4'))[:count]
    for source in sources:
        (folder / source.name).write_bytes(source.read_bytes())
    return sources


def result_rows(out, columns):
    """(video, scores...) of each row of the first result table."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith('query:')) + 2
    rows = []
    for line in lines[start:]:
        fields = line.split()
        if len(fields) != columns + 2 or not fields[0].isdigit():
            break
        rows.append((fields[-1], *map(float, fields[1:-1])))
    return rows


def test_top_videos_sorted_and_cache_reused(run):
    first = run('--query', QUERY, '--top', '4')
    assert '10 videos (10 new, 0 changed, 0 removed' in first.out
    rows = result_rows(first.out, 1)
    assert len(rows) == 4 and all(row[0].endswith('.mp4') for row in rows)
    scores = [row[1] for row in rows]
    assert scores == sorted(scores, reverse=True)
    again = run('--query', QUERY, '--top', '4', '--query', 'a blue circle')
    assert '10 videos (0 new, 0 changed, 0 removed' in again.out
    assert result_rows(again.out, 1) == rows
    assert again.out.count('query:') == 2


def test_new_checkpoint_invalidates_the_cache(run, setup):
    run()
    other = run('--query', QUERY, checkpoint=setup['other_checkpoint'])
    assert 'rebuilt the index: another model (weights changed)' in other.out
    assert '10 videos (10 new' in other.out


def test_changed_and_deleted_files(run, setup, tmp_path):
    folder = tmp_path / 'videos'
    sources = copy_videos(setup, folder, 4)
    run(videos=folder)
    (folder / sources[0].name).write_bytes(sources[3].read_bytes()[:-1])
    (folder / sources[1].name).unlink()
    out = run(videos=folder).out
    assert '3 videos (0 new, 1 changed, 1 removed' in out


def test_unreadable_video_skipped_and_named(run, setup, tmp_path):
    folder = tmp_path / 'videos'
    copy_videos(setup, folder, 3)
    (folder / 'broken.mp4').write_bytes(b'garbage' * 100)
    with pytest.warns(UserWarning, match='broken.mp4'):
        result = run('--query', QUERY, videos=folder)
    assert '3 videos (4 new, 0 changed, 0 removed, 1 unreadable' in \
        result.out
    assert 'unreadable: broken.mp4: decord cannot open it' in result.err
    assert len(result_rows(result.out, 1)) == 3


def test_av1_gif_and_symbolic_link_loops(run, setup, tmp_path):
    folder = tmp_path / 'videos'
    copy_videos(setup, folder, 2)
    media_files.write_video(folder / 'av1.mkv', num_frames=8,
                            codec='libaom-av1', faststart=False)
    media_files.write_video(folder / 'animation.gif', num_frames=8,
                            codec='gif', pix_fmt='gray')
    (folder / 'loop.mp4').symlink_to('loop.mp4')
    (folder / 'sub').mkdir()
    (folder / 'sub' / 'up').symlink_to('..')  # a folder loop: not followed
    with pytest.warns(UserWarning, match='loop.mp4'):
        result = run('--query', QUERY, videos=folder)
    assert '4 videos (5 new, 0 changed, 0 removed, 1 unreadable' in \
        result.out
    assert ('unreadable: loop.mp4: a symbolic link to nowhere (a loop, or a '
            'missing target)') in result.err
    assert {row[0] for row in result_rows(result.out, 1)} >= {
        'av1.mkv', 'animation.gif'}


def test_rerank_reorders_the_vtc_candidates(run):
    vtc = result_rows(run('--query', QUERY, '--top', '6').out, 1)
    out = run('--query', QUERY, '--top', '6', '--rerank', '--rerank-k', '6',
              '--score-mode', 'vtm').out
    assert 're-ranked by vtm)' in out
    reranked = result_rows(out, 2)
    assert {row[0] for row in reranked} == {row[0] for row in vtc}
    vtm = [row[1] for row in reranked]
    assert vtm == sorted(vtm, reverse=True)
    # each video keeps its VTC score
    assert {row[0]: row[2] for row in reranked} == \
        {row[0]: row[1] for row in vtc}


def test_rerank_defaults_to_the_config_test_loop(run):
    test_cfg = load_config(search_setup.DEMO_CONFIG).test_cfg
    out = run('--query', QUERY, '--top', '20', '--rerank').out
    assert f're-ranked by {test_cfg.score_mode})' in out
    rows = result_rows(out, 2)
    assert len(rows) == min(10, test_cfg.k)


def test_eval_annotations_reports_top1_top5(run, setup, tmp_path):
    corpus = setup['videos'].parent
    ann = corpus / 'annotations' / 'ret_test.json'
    for entry in json.loads(ann.read_text()):
        copy = tmp_path / 'root' / entry['video']
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes((corpus / entry['video']).read_bytes())
    copy_videos(setup, tmp_path / 'root' / 'others', 2)
    out = run('--eval-annotations', str(ann), '--rerank', '--rerank-k', '3',
              videos=tmp_path / 'root').out
    assert '4 videos (4 new' in out
    assert '2 queries' in out and 'gallery of 2 videos' in out
    table = {line[:14].strip(): line[14:].split() for line in
             out.splitlines() if line[:14].strip() in
             ('VTC', 're-ranked', 'chance')}
    assert table['chance'] == ['50.0%', '100.0%']
    for name in ('VTC', 're-ranked'):
        top1, top5 = (float(value.rstrip('%')) for value in table[name])
        assert top1 in (0, 50, 100) and top5 == 100
    assert 'per-query latency' in out


def test_eval_names_a_video_missing_from_the_index(run, setup, tmp_path):
    copy_videos(setup, tmp_path / 'root' / 'videos', 1)
    ann = tmp_path / 'ann.json'
    ann.write_text('[{"video": "videos/nope.mp4", "caption": ["a"]}]')
    with pytest.raises(SystemExit, match=r'ann.json: entry 0 key "video" '
                       r"'videos/nope.mp4'"):
        run('--eval-annotations', str(ann), videos=tmp_path / 'root')


def test_full_index_dir_is_a_clear_error(run, setup, monkeypatch, tmp_path):
    copy_videos(setup, tmp_path / 'videos', 1)

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, 'fsync', full_disk)
    with pytest.raises(SystemExit, match='no space left.*--index-dir'):
        run(videos=tmp_path / 'videos')


def test_default_index_dir_under_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))
    first = default_index_dir('/data/videos')
    assert first.startswith(str(tmp_path / 'smaug' / 'search' / 'videos-'))
    assert first != default_index_dir('/other/videos')


def test_html_page_embeds_the_results(run, tmp_path):
    out_file = tmp_path / 'results.html'
    result = run('--query', QUERY, '--query', 'a blue circle', '--top', '3',
                 '--html', str(out_file))
    assert f'results page: {out_file}' in result.out
    html = out_file.read_text()
    data = json.loads(re.search(r'const DATA = (.*);\n', html).group(1))
    assert data['mode'] == 'static'
    assert [entry['query'] for entry in data['results']] == \
        [QUERY, 'a blue circle']
    terminal = result_rows(result.out, 1)
    hits = data['results'][0]['hits']
    assert [(hit['name'], round(hit['vtc_score'], 3)) for hit in hits] == \
        [(name, score) for name, score in terminal]
    for hit in hits:
        assert hit['video'] == Path(hit['path']).as_uri()
        prefix = 'data:image/jpeg;base64,'
        assert hit['thumbnail'].startswith(prefix)
        jpeg = Image.open(io.BytesIO(base64.b64decode(
            hit['thumbnail'][len(prefix):])))
        # the 8 test frames of 64 x 64, 4 to a row, at 96 pixels high
        assert jpeg.format == 'JPEG' and jpeg.size == (4 * 96, 2 * 96)
    assert 'http' not in html.replace('http://www.w3.org', '')


def test_folder_named_like_a_video_is_named(run, setup, tmp_path):
    folder = tmp_path / 'videos'
    copy_videos(setup, folder, 2)
    (folder / 'x.mp4').mkdir()
    result = run(videos=folder)
    assert '2 videos (3 new, 0 changed, 0 removed, 1 unreadable' in \
        result.out
    assert 'unreadable: x.mp4: a folder, not a video file' in result.err


def test_no_readable_video_is_a_clear_error(run, tmp_path):
    folder = tmp_path / 'videos'
    folder.mkdir()
    with pytest.raises(SystemExit, match=f'no video file in {folder}'):
        run(videos=folder)
    (folder / 'broken.mp4').write_bytes(b'garbage' * 100)
    with pytest.warns(UserWarning), pytest.raises(
            SystemExit, match=f'no readable video in {folder}: all 1 '
            'entries .*broken.mp4: decord cannot open it'):
        run(videos=folder)


def test_checkpoint_of_another_model_is_a_clear_error(run, tmp_path):
    other = tmp_path / 'other.pth'
    torch.save({'state_dict': {'head.weight': torch.zeros(2)}}, other)
    with pytest.raises(SystemExit, match=f'the checkpoint {other} does not '
                       'fit the model of the config .*lacks'):
        run(checkpoint=str(other))


def test_serve_leaves_queries_to_the_page(capsys):
    tool = load_tool('search.py')
    with pytest.raises(SystemExit):
        tool.parse_args(['c.py', 'k.pth', '--videos', 'v', '--serve',
                         '--query', 'a'])
    assert '--serve answers queries on its page' in capsys.readouterr().err
