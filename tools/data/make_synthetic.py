#!/usr/bin/env python
"""Generate the synthetic video-text corpus: smaug's embedded default dataset.

Tests and the CPU demo train and evaluate on this corpus; nothing is
downloaded. Each clip shows coloured shapes (circle, square, triangle,
diamond, cross, star in seven colours) on a dark background doing one to
three things in turn: move left/right/up/down, appear, disappear, change
colour. Captions describe exactly that (``a red circle moves left, then a
blue square appears``), so matching text to video requires looking at
shapes, colours and motion, and different clips get different captions.
About half of the clips have distractor frames (random noise, black, or a
camera shake that translates the picture) at random positions, which a
frame selector should learn to skip. See ``synthetic_scenes.py`` (what
happens when), ``synthetic_render.py`` (pixels, codec) and
``synthetic_text.py`` (captions, questions) beside this file.

Layout written under ``--out`` (paths in annotations are relative to it)::

    .complete                    written last: the arguments, as JSON
    vocab.txt                    BERT WordPiece vocabulary: [PAD] [UNK] [CLS]
                                 [SEP] [MASK], every word the text can
                                 contain, single characters, ##a-z, ##0-9
    videos/vid_00000.mp4 ...     mpeg4, yuv420p, --size square, --num-frames
    images/img_00000.jpg ...     still shapes, captioned "a green triangle"
    annotations/
      pretrain_video.json        [{"video", "caption": str}] train split
      pretrain_image.json        [{"image", "caption": str}]
      ret_train.json             [{"video", "caption": str}] one per caption
      ret_test.json              [{"video", "caption": [str, ...]}] test split
      ret_paragraph_train.json   [{"video", "caption": [sentence, ...]}]
      ret_paragraph_test.json    same, test split
      qa_train.json, qa_test.json  [{"video", "question", "answer",
                                   "question_id": int}]
      qa_answer_list.json        [str, ...] every possible answer
      mc_test.json               [{"video", "caption": [5 str], "answer": int}]
      video_meta.json            [{"video", "split", "caption", "events",
                                   "distractors": [{"frame", "kind"}]}]
                                 ground truth for analysis (not a dataset)

Train and test clips are disjoint (``TEST_FRACTION`` held out). Every clip's
canonical caption is unique in the corpus. A retrieval test clip has several
captions: the canonical one, paraphrases, one per event and a list of its
shapes. A multiple-choice item offers the clip's canonical caption among the
canonical captions of four other clips, at a random position. The pre-training
caption of a clip is a random wording of the full description.

The output depends on the arguments only (not on ``--workers``): the same
``--seed`` gives byte-identical annotations and identical decoded frames.
If ``<out>/.complete`` records the same arguments the script returns at once;
``--force`` regenerates.

Example::

    python tools/data/make_synthetic.py --out data/synthetic --seed 0
"""
import argparse
import json
import string
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import asdict
from functools import partial
from itertools import repeat
from pathlib import Path

import numpy as np
from tqdm import tqdm

from synthetic_render import write_image, write_video
from synthetic_scenes import sample_scene, sample_still
from synthetic_text import (answer_space, canonical_caption, paragraph,
                            paraphrase, shape_list, video_captions,
                            video_questions, vocabulary_words, words)

# Bump when the generator changes what it writes, so old corpora regenerate.
CORPUS_VERSION = 1
SPECIAL_TOKENS = ('[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]')
TEST_FRACTION = 0.2
NUM_OPTIONS = 5
CAPTION_TRIES = 100  # redraws of a clip whose canonical caption is taken
# One random stream per purpose, so changing one part leaves the others be.
STREAMS = dict(scenes=0, stills=1, split=2, text=3, choices=4)
CHUNKSIZE = 8


def video_path(index):
    """Relative path of clip ``index``.

    Args:
        index (int): Clip number.
    """
    return f'videos/vid_{index:05d}.mp4'


def image_path(index):
    """Relative path of still image ``index``.

    Args:
        index (int): Image number.
    """
    return f'images/img_{index:05d}.jpg'


def stream(seed, purpose):
    """The random generator for one purpose.

    Args:
        seed (int): The corpus seed.
        purpose (str): Key of :data:`STREAMS`.
    """
    return np.random.default_rng([seed, STREAMS[purpose]])


def sample_scenes(rng, num_videos, num_frames):
    """Draw clips whose canonical captions differ (when at all possible).

    Args:
        rng (numpy.random.Generator): Source of randomness.
        num_videos (int): Number of clips.
        num_frames (int): Frames per clip.
    """
    scenes, taken = [], set()
    for _ in range(num_videos):
        for _ in range(CAPTION_TRIES):
            scene = sample_scene(rng, num_frames)
            if canonical_caption(scene.events) not in taken:
                break
        taken.add(canonical_caption(scene.events))
        scenes.append(scene)
    return scenes


def split_videos(rng, num_videos):
    """Disjoint sorted train and test clip indices.

    Args:
        rng (numpy.random.Generator): Source of randomness.
        num_videos (int): Number of clips.
    """
    num_test = max(1, round(num_videos * TEST_FRACTION))
    order = [int(i) for i in rng.permutation(num_videos)]
    return sorted(order[num_test:]), sorted(order[:num_test])


def multiple_choice(rng, index, captions):
    """A 5-way multiple-choice item for clip ``index``.

    Args:
        rng (numpy.random.Generator): Source of randomness.
        index (int): The clip.
        captions (Sequence[str]): Canonical caption of every clip.
    """
    others = sorted(set(captions) - {captions[index]})
    options = [str(c) for c in rng.choice(others, NUM_OPTIONS - 1,
                                          replace=False)]
    answer = int(rng.integers(NUM_OPTIONS))
    options.insert(answer, captions[index])
    return dict(video=video_path(index), caption=options, answer=answer)


def build_annotations(seed, scenes, stills):
    """Every annotation file's content, by file name.

    Args:
        seed (int): The corpus seed.
        scenes (Sequence[synthetic_scenes.Scene]): The clips.
        stills (Sequence[synthetic_scenes.Frame]): The still images.

    Returns:
        dict[str, list]: File name (inside ``annotations/``) to its list.
    """
    train, test = split_videos(stream(seed, 'split'), len(scenes))
    text_rng, choice_rng = stream(seed, 'text'), stream(seed, 'choices')
    captions = [video_captions(text_rng, s.events) for s in scenes]
    canonical = [c[0] for c in captions]
    questions, next_id = [], 0
    for scene in scenes:
        pairs = video_questions(scene.events)
        questions.append([(q, a, next_id + k) for k, (q, a) in
                          enumerate(pairs)])
        next_id += len(pairs)

    def qa(indices):
        return [dict(video=video_path(i), question=q, answer=a,
                     question_id=qid)
                for i in indices for q, a, qid in questions[i]]

    split_of = {**dict.fromkeys(train, 'train'), **dict.fromkeys(test, 'test')}
    return {
        'pretrain_video.json': [
            dict(video=video_path(i),
                 caption=paraphrase(text_rng, scenes[i].events))
            for i in train],
        'pretrain_image.json': [
            dict(image=image_path(i),
                 caption=shape_list([(s.colour, s.shape)
                                     for s in still.sprites]))
            for i, still in enumerate(stills)],
        'ret_train.json': [dict(video=video_path(i), caption=c)
                           for i in train for c in captions[i]],
        'ret_test.json': [dict(video=video_path(i), caption=captions[i])
                          for i in test],
        'ret_paragraph_train.json': [
            dict(video=video_path(i), caption=paragraph(scenes[i].events))
            for i in train],
        'ret_paragraph_test.json': [
            dict(video=video_path(i), caption=paragraph(scenes[i].events))
            for i in test],
        'qa_train.json': qa(train),
        'qa_test.json': qa(test),
        'qa_answer_list.json': answer_space(),
        'mc_test.json': [multiple_choice(choice_rng, i, canonical)
                         for i in test],
        'video_meta.json': [
            dict(video=video_path(i), split=split_of[i],
                 caption=canonical[i],
                 events=[{k: v for k, v in asdict(e).items() if v is not None}
                         for e in scene.events],
                 distractors=[dict(frame=t, kind=k)
                              for t, k in scene.distractors])
            for i, scene in enumerate(scenes)],
    }


def annotation_texts(annotations):
    """Every caption, option, question and answer in the annotations.

    Args:
        annotations (dict[str, list]): Output of :func:`build_annotations`.
    """
    for name, entries in annotations.items():
        if name == 'video_meta.json':
            continue
        for entry in entries:
            if isinstance(entry, str):
                yield entry
                continue
            for key in ('caption', 'question', 'answer'):
                value = entry.get(key)
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from value


def vocab_tokens(texts):
    """Tokens of ``vocab.txt``, in id order.

    Args:
        texts (Iterable[str]): Every text of the corpus.

    Returns:
        list[str]: The special tokens (``[PAD]`` is 0), every word the
        generator can produce or ``texts`` contain (sorted), then single
        characters, digits and punctuation and ``##`` continuations of letters
        and digits, so even unseen lower-case words tokenize without [UNK].
    """
    known = set(vocabulary_words())
    for text in texts:
        known.update(words(text))
    tokens = [*SPECIAL_TOKENS, *sorted(known)]
    singles = string.ascii_lowercase + string.digits + string.punctuation
    tokens += [c for c in singles if c not in known]
    tokens += ['##' + c for c in string.ascii_lowercase + string.digits]
    return tokens


def write_json(path, content):
    """Write ``content`` as indented JSON with a final newline.

    Args:
        path (Path): Output file.
        content (list | dict): JSON-serialisable content.
    """
    path.write_text(json.dumps(content, indent=2) + '\n')


def corpus_record(args):
    """What ``.complete`` records: everything the output depends on.

    Args:
        args (argparse.Namespace): Parsed command line.
    """
    return dict(version=CORPUS_VERSION, seed=args.seed,
                num_videos=args.num_videos, num_frames=args.num_frames,
                size=args.size, fps=args.fps, num_images=args.num_images)


def read_record(out):
    """The record in ``<out>/.complete``, or None if absent or unreadable.

    Args:
        out (Path): Corpus folder.
    """
    try:
        return json.loads((out / '.complete').read_text())
    except (OSError, ValueError):
        return None


def prepare_out(out):
    """Create the corpus folders and remove a previous corpus's files.

    Args:
        out (Path): Corpus folder.

    Raises:
        SystemExit: ``out`` cannot be created or written; the message names
            the path.
    """
    try:
        (out / '.complete').unlink(missing_ok=True)
        for folder in ('videos', 'images', 'annotations'):
            (out / folder).mkdir(parents=True, exist_ok=True)
        for stale in [*(out / 'videos').glob('vid_*.mp4'),
                      *(out / 'images').glob('img_*.jpg')]:
            stale.unlink()
        probe = out / 'annotations' / '.write_test'
        probe.write_bytes(b'')
        probe.unlink()
    except OSError as error:
        raise SystemExit(f'make_synthetic: cannot write the corpus to '
                         f'{out}: {error}') from error


def render(mapper, function, out, paths, items, size, *extra, desc):
    """Write every ``(path, item)`` with ``function`` under a progress bar.

    Args:
        mapper (Callable): ``map`` or a process pool's ``map``.
        function (Callable): ``write_video`` or ``write_image``.
        out (Path): Corpus folder.
        paths (Sequence[str]): Relative output paths.
        items (Sequence): Scenes or stills, one per path.
        size (int): Frame side in pixels.
        *extra: Further arguments of ``function`` after ``size``.
        desc (str): Progress bar label.
    """
    calls = mapper(function, [out / p for p in paths], items, repeat(size),
                   *(repeat(e) for e in extra))
    for _ in tqdm(calls, total=len(paths), desc=desc, unit='file'):
        pass


def parse_args(argv=None):
    """Parse and check the command line ``argv`` (``sys.argv[1:]`` if None)."""
    # The summary paragraph, as smaug.cli.command_help gives the other
    # tools: this generator runs before anything else (make synthetic, test
    # fixtures) and does not import smaug, which would cost seconds.
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default='data/synthetic',
                        help='output folder (default: %(default)s)')
    parser.add_argument('--seed', type=int, default=0,
                        help='random seed: the same seed and arguments give '
                        'the same corpus (default: %(default)s)')
    parser.add_argument('--num-videos', type=int, default=300,
                        help='clips, train and test together; '
                        f'{TEST_FRACTION * 100:.0f}%% are held out for '
                        'testing (default: %(default)s)')
    parser.add_argument('--num-frames', type=int, default=16,
                        help='frames per clip (default: %(default)s)')
    parser.add_argument('--size', type=int, default=64,
                        help='side of the square frames in pixels, even '
                        '(default: %(default)s)')
    parser.add_argument('--fps', type=int, default=8,
                        help='frame rate the clips are encoded with '
                        '(default: %(default)s)')
    parser.add_argument('--num-images', type=int, default=60,
                        help='captioned still images (default: '
                        '%(default)s)')
    parser.add_argument('--workers', type=int, default=2,
                        help='encoding processes; 0 or 1 encodes in this '
                        'process (same output either way; default: '
                        '%(default)s)')
    parser.add_argument('--force', action='store_true',
                        help='regenerate even if the corpus is complete')
    args = parser.parse_args(argv)
    checks = [
        ('--num-videos', args.num_videos, args.num_videos >= NUM_OPTIONS,
         f'at least {NUM_OPTIONS} (multiple choice needs 4 other captions)'),
        ('--num-frames', args.num_frames, args.num_frames >= 2, 'at least 2'),
        ('--size', args.size, args.size >= 16 and args.size % 2 == 0,
         'even and at least 16 (yuv420p)'),
        ('--fps', args.fps, args.fps >= 1, 'at least 1'),
        ('--num-images', args.num_images, args.num_images >= 0, 'at least 0'),
        ('--workers', args.workers, args.workers >= 0, 'at least 0'),
    ]
    for flag, value, ok, need in checks:
        if not ok:
            parser.error(f'{flag} must be {need}, got {value}')
    return args


def main(argv=None):
    """Generate the corpus.

    Args:
        argv (list[str], optional): Command line; ``sys.argv[1:]`` if None.

    Returns:
        int: Exit status (0).
    """
    args = parse_args(argv)
    out = Path(args.out)
    record = corpus_record(args)
    if not args.force and read_record(out) == record:
        print(f'{out} is complete with these arguments; nothing to do '
              '(--force regenerates).')
        return 0
    start = time.perf_counter()
    prepare_out(out)
    scenes = sample_scenes(stream(args.seed, 'scenes'), args.num_videos,
                           args.num_frames)
    still_rng = stream(args.seed, 'stills')
    stills = [sample_still(still_rng) for _ in range(args.num_images)]
    pool = ProcessPoolExecutor(args.workers) if args.workers > 1 else \
        nullcontext()
    with pool:
        mapper = partial(pool.map, chunksize=CHUNKSIZE) if args.workers > 1 \
            else map
        render(mapper, write_video, out,
               [video_path(i) for i in range(len(scenes))], scenes,
               args.size, args.fps, desc='videos')
        render(mapper, write_image, out,
               [image_path(i) for i in range(len(stills))], stills,
               args.size, desc='images')
    annotations = build_annotations(args.seed, scenes, stills)
    for name, content in annotations.items():
        write_json(out / 'annotations' / name, content)
    tokens = vocab_tokens(annotation_texts(annotations))
    (out / 'vocab.txt').write_text('\n'.join(tokens) + '\n')
    write_json(out / '.complete', record)
    num_test = len(annotations['ret_test.json'])
    print(f'Wrote {len(scenes)} clips ({len(scenes) - num_test} train, '
          f'{num_test} test), {len(stills)} images, annotations and a '
          f'{len(tokens)}-token vocab.txt to {out} in '
          f'{time.perf_counter() - start:.1f} s.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
