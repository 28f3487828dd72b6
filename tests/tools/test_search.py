"""tools/search.py on a tiny corpus with random checkpoints of the demo
model: tables, the cache, re-ranking, evaluation, errors."""
import errno
import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from smaug.config import load_config

FIXTURES = Path(__file__).resolve().parents[1] / 'fixtures'
sys.path.insert(0, str(FIXTURES))
import media_files  # noqa: E402
import search_setup  # noqa: E402
from tool_scripts import load_tool  # noqa: E402

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

    def full_disk(file, array):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(np, 'save', full_disk)
    with pytest.raises(SystemExit, match='no space left.*--index-dir'):
        run(videos=tmp_path / 'videos')


def test_default_index_dir_under_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))
    tool = load_tool('search.py')
    first = tool.default_index_dir('/data/videos')
    assert first.startswith(str(tmp_path / 'smaug' / 'search' / 'videos-'))
    assert first != tool.default_index_dir('/other/videos')
