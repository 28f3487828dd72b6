#!/usr/bin/env python
"""Clips per second of one dataloader worker: training pipeline vs raw decord.

For each clip the training pipeline runs transform by transform (timed
separately); the frame indices it sampled are then decoded "raw" (open a
decord ``VideoReader`` + ``get_batch`` of the same indices, nothing else),
the two in alternating order, after an untimed pass that puts every file in
the page cache. One process with one decoder thread and single-threaded
OpenCV and torch stands for one dataloader worker. Printed per K: raw and
pipeline clips/s, the cost ratio pipeline/raw (1.25 = the pipeline adds 25%
to decoding), the milliseconds per clip of the transforms other than decord's
two (the pipeline's own work, less noisy than the ratio on a busy machine)
and the mean time of every transform.

The pipeline is the ``VideoTrainPipeline`` of the first video dataset of
``config``'s ``train_dataloader`` at the config's frame size, or a
paper-style one at ``--img-size`` (decord, segment sampling, random resized
crop, flip, caption cleaning, packing), at each ``--num-frames``. Videos
come from the config's annotation file or from ``--videos`` (every ``*.mp4``
in a folder).

With ``--shards`` (and ``--videos``) a second table compares, per K, the
samples per second of one process reading the clips through a training
dataset (``VideoTextPretrainDataset``, the same pipeline) from the loose
files, from tar shards of the files (``tools/data/pack_shards.py --media
original``) and from shards of K pre-sampled JPEG frames (``--media
frames``), packed into a temporary folder first; after an untimed pass,
the three take turns on each sample.

Example (synthetic 224p clips)::

    python tools/data/make_synthetic.py --out /tmp/syn224 --size 224 \\
        --num-frames 48 --num-videos 100
    python tools/analysis/benchmark_dataloader.py \\
        --videos /tmp/syn224/videos --num-frames 1 4 --shards
"""
import copy
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import cv2
import decord
import numpy as np
import torch
from mmengine.registry import init_default_scope

from smaug.cli.command_help import command_parser
from smaug.config import frame_settings, load_config
from smaug.datasets import VideoTextPretrainDataset
from smaug.datasets.transforms import VideoTrainPipeline
from smaug.registry import DATASETS, TRANSFORMS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'data'))
import pack_shards  # noqa: E402


def train_preset(cfg, img_size):
    """The settings of the training pipeline to time: those of the config's
    first video dataset's ``VideoTrainPipeline`` at its frame size
    (:func:`smaug.config.frame_settings`), else a paper-style pipeline
    (decord, segment sampling, random resized crop to ``img_size``, flip,
    caption cleaning, packing).

    Args:
        cfg (Config | None): A training config, if any.
        img_size (int): The frame size without a config.
    """
    if cfg is None:
        return dict(img_size=img_size)
    preset = next(step for step in video_dataset_cfg(cfg)['pipeline']
                  if step['type'] == 'VideoTrainPipeline')
    return dict({key: value for key, value in preset.items()
                 if key != 'type'}, img_size=frame_settings(cfg).img_size)


def video_dataset_cfg(cfg):
    """The first video dataset config of ``cfg.train_dataloader`` (one
    whose pipeline is a ``VideoTrainPipeline``).

    Args:
        cfg (Config): A training config.
    """
    dataset = cfg.train_dataloader.dataset
    for candidate in dataset.get('datasets', [dataset]):
        if any(step['type'] == 'VideoTrainPipeline'
               for step in candidate['pipeline']):
            return copy.deepcopy(candidate)
    raise ValueError(f'{cfg.filename}: no training dataset whose pipeline '
                     'is a VideoTrainPipeline')


def pipeline_at(preset, num_frames):
    """The transform configs of a training pipeline at K frames.

    Args:
        preset (dict): ``VideoTrainPipeline`` settings (:func:`train_preset`).
        num_frames (int): K.
    """
    return VideoTrainPipeline(**dict(preset, num_frames=num_frames)).step_cfgs


def raw_decode(path, frame_inds):
    """Open the video and decode ``frame_inds`` with decord, nothing else.

    Args:
        path (str): Video file.
        frame_inds (np.ndarray): Frame indices.
    """
    reader = decord.VideoReader(path, num_threads=1)
    return reader.get_batch(frame_inds).asnumpy()


def run_pipeline(transforms, info, timings):
    """Run ``transforms`` on a copy of ``info``, timing each one.

    Args:
        transforms (list): Built transforms.
        info (dict): The data info.
        timings (dict[str, float]): Accumulates seconds per transform.

    Returns:
        tuple[np.ndarray, float]: The sampled frame indices and the total
        seconds.
    """
    results, frame_inds, total = dict(info), None, 0.
    for transform in transforms:
        start = time.perf_counter()
        results = transform(results)
        elapsed = time.perf_counter() - start
        timings[type(transform).__name__] += elapsed
        total += elapsed
        if frame_inds is None and 'frame_inds' in results:
            frame_inds = np.asarray(results['frame_inds'])
    return frame_inds, total


def benchmark(infos, pipeline_cfg, passes=2):
    """Time the pipeline and raw decoding on the same clips and frames.

    An untimed pass first brings every file into the page cache and records
    each clip's frame indices (numpy is seeded per clip, so every pass
    samples the same frames). Timed passes then alternate which of the two
    runs first on a clip, so neither always finds the file's bytes in the
    CPU caches.

    Args:
        infos (list[dict]): Data infos (``video_path``, ``text``, ...).
        pipeline_cfg (list[dict]): Transform configs.
        passes (int): Timed passes over the clips.

    Returns:
        dict: ``raw``/``pipeline`` seconds, ``clips`` and per-transform
        seconds ``steps``.
    """
    transforms = [TRANSFORMS.build(t) for t in pipeline_cfg]
    frame_inds = []
    for i, info in enumerate(infos):
        np.random.seed(i)
        inds, _ = run_pipeline(transforms, info, defaultdict(float))
        raw_decode(info['video_path'], inds)
        frame_inds.append(inds)
    steps, raw, pipe, clips = defaultdict(float), 0., 0., 0
    for _ in range(passes):
        for i, info in enumerate(infos):
            for step in ('pipeline', 'raw') if i % 2 else ('raw', 'pipeline'):
                if step == 'raw':
                    start = time.perf_counter()
                    raw_decode(info['video_path'], frame_inds[i])
                    raw += time.perf_counter() - start
                else:
                    np.random.seed(i)
                    inds, seconds = run_pipeline(transforms, info, steps)
                    assert np.array_equal(inds, frame_inds[i])
                    pipe += seconds
            clips += 1
    return dict(raw=raw, pipeline=pipe, clips=clips, steps=steps)


def samples_per_second(datasets, passes):
    """Samples per second of datasets of the same samples, each reading
    every sample: after an untimed pass, the datasets take turns (in
    rotating order) on each sample, so a busy machine slows all alike.

    Args:
        datasets (list[BaseDataset]): The datasets.
        passes (int): Timed passes.

    Returns:
        list[float]: Samples/s of each dataset.
    """
    count = len(datasets[0])
    for dataset in datasets:
        for index in range(count):
            dataset[index]
    seconds = [0.] * len(datasets)
    for _ in range(passes):
        for index in range(count):
            for turn in range(len(datasets)):
                which = (index + turn) % len(datasets)
                start = time.perf_counter()
                datasets[which][index]
                seconds[which] += time.perf_counter() - start
    return [passes * count / total for total in seconds]


def compare_shards(infos, base, num_frames, passes, work):
    """Samples/s from loose files, shards of the files and shards of K
    JPEG frames, for each K.

    Args:
        infos (list[dict]): The clips' data infos (``video_path``).
        base (dict): The training pipeline's settings (:func:`train_preset`).
        num_frames (list[int]): The Ks.
        passes (int): Timed passes.
        work (Path): Folder for the annotation file and the shards.

    Returns:
        list[tuple[int, float, float, float]]: Per K: loose, shards and
        frame shards samples/s.
    """
    ann_file = work / 'clips.json'
    ann_file.write_text(json.dumps(
        [dict(video=info['video_path'], caption=info['text'])
         for info in infos]))

    def packed(name, *options):
        out = work / name
        pack_shards.main([str(ann_file), '--out', str(out), '--workers', '1',
                          *options])
        return str(out / 'shardindex.json')

    originals = packed('original')
    rows = []
    for k in num_frames:
        frames = packed(f'frames{k}', '--media', 'frames', '--num-frames',
                        str(k))
        datasets = [
            VideoTextPretrainDataset(
                str(ann_file), pipeline=pipeline_at(base, k),
                media_format='shards' if index else 'loose',
                shard_index=index) for index in (None, originals, frames)
        ]
        rows.append((k, *samples_per_second(datasets, passes)))
    return rows


def load_infos(args, cfg):
    """The data infos to benchmark on.

    Args:
        args (Namespace): Parsed arguments.
        cfg (Config | None): The config, if any.
    """
    if args.videos:
        paths = sorted(Path(args.videos).glob('*.mp4'))[:args.num_clips]
        if not paths:
            raise FileNotFoundError(f'no .mp4 files in {args.videos}')
        return [dict(video_path=str(p), text='A benchmark caption, with '
                     'punctuation!', sample_idx=i)
                for i, p in enumerate(paths)]
    dataset_cfg = video_dataset_cfg(cfg)
    dataset_cfg['pipeline'] = []
    dataset = DATASETS.build(dataset_cfg)
    return [dataset.get_data_info(i)
            for i in range(min(args.num_clips, len(dataset)))]


def main(argv=None):
    """Run the command line ``argv`` (``sys.argv[1:]`` if None)."""
    parser = command_parser(__doc__)
    parser.add_argument('config', nargs='?',
                        help='training config whose pipeline and videos are '
                        'used (default: the built-in pipeline on --videos)')
    parser.add_argument('--videos',
                        help="folder of .mp4 clips to use instead of the "
                        "config's annotation file")
    parser.add_argument('--num-frames', type=int, nargs='+', default=[1, 4],
                        help='frames sampled per clip (K); one result row '
                        'each (default: 1 4)')
    parser.add_argument('--img-size', type=int, default=224,
                        help='crop size in pixels without a config '
                        '(default: %(default)s)')
    parser.add_argument('--num-clips', type=int, default=100,
                        help='clips read, at most (default: %(default)s)')
    parser.add_argument('--passes', type=int, default=2,
                        help='timed passes over the clips, after one untimed '
                        'pass (default: %(default)s)')
    parser.add_argument('--shards', action='store_true',
                        help='also compare loose files with shards (needs '
                        '--videos)')
    args = parser.parse_args(argv)
    if not args.config and not args.videos:
        parser.error('give a config or --videos')
    if args.shards and not args.videos:
        parser.error('--shards needs --videos')
    init_default_scope('smaug')
    torch.set_num_threads(1)
    cv2.setNumThreads(0)  # as mmengine's opencv_num_threads=0 in workers
    cfg = load_config(args.config) if args.config else None
    infos = load_infos(args, cfg)
    base = train_preset(cfg, args.img_size)
    print(f'{len(infos)} clips x {args.passes} passes, one process '
          f'(= one dataloader worker)')
    print(f'{"K":>3} {"raw clips/s":>12} {"pipeline clips/s":>17} '
          f'{"pipeline/raw":>13} {"other ms":>9}  mean ms per clip by '
          'transform')
    for num_frames in args.num_frames:
        result = benchmark(infos, pipeline_at(base, num_frames), args.passes)
        n = result['clips']
        steps = ', '.join(f'{name} {1e3 * sec / n:.2f}'
                          for name, sec in result['steps'].items())
        other = sum(sec for name, sec in result['steps'].items()
                    if name not in ('DecordInit', 'DecordDecode'))
        print(f'{num_frames:>3} {n / result["raw"]:>12.1f} '
              f'{n / result["pipeline"]:>17.1f} '
              f'{result["pipeline"] / result["raw"]:>13.3f} '
              f'{1e3 * other / n:>9.2f}  {steps}')
    if args.shards:
        with tempfile.TemporaryDirectory() as work:
            rows = compare_shards(infos, base, args.num_frames, args.passes,
                                  Path(work))
        print('samples/s of one process through the dataset: loose files, '
              'shards of the files, shards of K JPEG frames')
        print(f'{"K":>3} {"loose":>8} {"shards":>8} {"frames":>8}')
        for k, loose, shards, frames in rows:
            print(f'{k:>3} {loose:>8.1f} {shards:>8.1f} {frames:>8.1f}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
