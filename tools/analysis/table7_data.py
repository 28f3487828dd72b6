"""The corpus of the Table 7 study: generated, split into parts that share
no clip or image, and packed into frame-mode shards.

Parts (annotation files ``annotations/table7_<part>.json`` beside the
corpus's own), in the corpus's order:

- training clips: ``stage0_video`` (the stand-in for CLIP's and BERT's
  data), ``stage1_video`` (pre-training), ``finetune`` (retrieval
  fine-tuning: every caption of its clips, one item each);
- held-out clips: ``test`` and ``val`` (all their captions);
- still images: ``stage0_image`` and ``stage1_image``.

Every part is packed with ``tools/data/pack_shards.py --media frames`` (all
frames of each clip as JPEG), so that the study's dataloader workers decode
no video.
"""
import json
import os.path as osp
import shutil
import subprocess
import sys
from dataclasses import dataclass

TOOLS = osp.dirname(osp.dirname(osp.abspath(__file__)))
PARTS = ('stage0_video', 'stage0_image', 'stage1_video', 'stage1_image',
         'finetune', 'val', 'test')


@dataclass(frozen=True)
class CorpusSize:
    """How the study's corpus is made and split.

    Args:
        num_videos (int): Clips generated (80% training, 20% held out).
        num_images (int): Still images generated.
        stage0_clips (int): Training clips of stage 0; then stage 1's.
        stage1_clips (int): Training clips of stage 1; the rest fine-tune.
        test_clips (int): Held-out clips of the test set; the rest validate.
        stage0_images (int): Images of stage 0; the rest go to stage 1.
        frames (int): Frames of every clip (all are packed).
        img_size (int): Side of the frames.
    """
    num_videos: int
    num_images: int
    stage0_clips: int
    stage1_clips: int
    test_clips: int
    stage0_images: int
    frames: int = 16
    img_size: int = 96


def _read(data_root, name):
    with open(osp.join(data_root, 'annotations', f'{name}.json')) as file:
        return json.load(file)


def split_corpus(data_root, size):
    """The study's parts of a generated corpus.

    Args:
        data_root (str): The corpus (``tools/data/make_synthetic.py``).
        size (CorpusSize): Where to cut.

    Returns:
        dict[str, list[dict]]: Part name -> annotation entries.
    """
    train = _read(data_root, 'pretrain_video')
    held_out = _read(data_root, 'ret_test')
    images = _read(data_root, 'pretrain_image')
    first_finetune = size.stage0_clips + size.stage1_clips
    if first_finetune >= len(train) or size.test_clips >= len(held_out) \
            or size.stage0_images >= len(images):
        raise ValueError(
            f'{data_root}: {len(train)} training clips, {len(held_out)} '
            f'held-out clips and {len(images)} images cannot be cut as '
            f'{size}')
    finetune_videos = {entry['video'] for entry in train[first_finetune:]}
    return dict(
        stage0_video=train[:size.stage0_clips],
        stage1_video=train[size.stage0_clips:first_finetune],
        finetune=[entry for entry in _read(data_root, 'ret_train')
                  if entry['video'] in finetune_videos],
        test=held_out[:size.test_clips],
        val=held_out[size.test_clips:],
        stage0_image=images[:size.stage0_images],
        stage1_image=images[size.stage0_images:],
    )


def _run(script, *args):
    """Run a ``tools/data`` script with this Python, failing loudly."""
    command = [sys.executable, osp.join(TOOLS, 'data', script), *args]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f'{" ".join(command)} failed:\n{result.stderr}')


def prepare_corpus(data_root, size, seed=0):
    """Generate, split and pack the corpus (each step skipped when done).

    Args:
        data_root (str): Where the corpus goes.
        size (CorpusSize): Its size and split.
        seed (int): The generator's seed.
    """
    _run('make_synthetic.py', '--out', data_root, '--seed', str(seed),
         '--num-videos', str(size.num_videos), '--num-images',
         str(size.num_images), '--num-frames', str(size.frames), '--size',
         str(size.img_size))
    for name, entries in split_corpus(data_root, size).items():
        ann_file = osp.join('annotations', f'table7_{name}.json')
        text = json.dumps(entries, indent=1)
        out = osp.join(data_root, 'shards', f'table7_{name}')
        path = osp.join(data_root, ann_file)
        if osp.exists(path) and open(path).read() == text and osp.exists(
                osp.join(out, 'shardindex.json')):
            continue
        shutil.rmtree(out, ignore_errors=True)
        with open(path, 'w') as file:
            file.write(text)
        _run('pack_shards.py', ann_file, '--data-root', data_root, '--out',
             out, '--media', 'frames', '--num-frames', str(size.frames),
             '--workers', '1')


if __name__ == '__main__':
    sys.exit('table7_data.py is a module of table7_study.py, not a command: '
             'run python tools/analysis/table7_study.py --help')
