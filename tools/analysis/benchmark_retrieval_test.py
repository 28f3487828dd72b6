"""Time the retrieval test loop's phases with a real model from a config.

Builds the model of ``--config`` (by default the tiny SMAUG fine-tuned for
retrieval in ``configs/demo/ret_tiny_synthetic.py``; random weights unless
``--checkpoint`` is given) and runs its ``RetrievalTestLoop`` on a gallery of
random clips, one caption of random vocabulary words per clip, as in MSRVTT
1K-A. For each k it prints the seconds spent embedding (videos and texts,
gathering included), computing the similarity matrix and re-ranking (VTM
scoring of the top-k pairs in both directions, merging the matrices). The
pixels and words are random, so the R@K it reaches mean nothing; the work
done per video, caption and pair is the model's.

Examples::

    python tools/analysis/benchmark_retrieval_test.py --videos 1000 --k 32 128
    # after fine-tuning the demo model (configs/demo/ret_tiny_synthetic.py)
    python tools/analysis/benchmark_retrieval_test.py \\
        --checkpoint work_dirs/ret_tiny_synthetic/epoch_4.pth \\
        --videos 1000 --k 32 128 --threads 1 --repeats 2
"""
import tempfile

import torch
from mmengine.runner import Runner
from mmpretrain.structures import DataSample
from device_arguments import add_device_arguments, use_threads
from torch.utils.data import Dataset

import smaug.engine  # noqa: F401  (registers the loops)
import smaug.evaluation  # noqa: F401  (registers the metric)
from smaug.apis import init_model
from smaug.cli.command_help import command_parser
from smaug.cli.command_line import add_cfg_options_argument, add_trust_argument

DEFAULT_CONFIG = 'configs/demo/ret_tiny_synthetic.py'


class RandomGallery(Dataset):
    """Retrieval test items with random uint8 clips and one caption each.

    Args:
        num_videos (int): Gallery size.
        frames (int): K.
        size (int): Frame side in pixels.
        words (list[str]): Vocabulary the captions are drawn from.
        caption_len (int): Words per caption. Defaults to 12.
    """
    metainfo = dict(name='random gallery')

    def __init__(self, num_videos, frames, size, words, caption_len=12):
        self.num_videos, self.frames, self.size = num_videos, frames, size
        self.words, self.caption_len = words, caption_len

    def __len__(self):
        return self.num_videos

    def __getitem__(self, idx):
        generator = torch.Generator().manual_seed(idx)
        clip = torch.randint(0, 256, (self.frames, 3, self.size, self.size),
                             generator=generator, dtype=torch.uint8)
        picks = torch.randint(0, len(self.words), (self.caption_len, ),
                              generator=generator).tolist()
        text = ' '.join(self.words[i] for i in picks)
        sample = DataSample(metainfo=dict(video_index=idx, text=[text]))
        return dict(inputs=clip, data_samples=sample)


def whole_words(tokenizer):
    """The tokenizer's vocabulary without special tokens and word pieces."""
    special = tokenizer.all_special_tokens
    return sorted(word for word in tokenizer.get_vocab()
                  if word.isalpha() and word not in special)


def parse_args():
    """Command-line options."""
    parser = command_parser(__doc__)
    parser.add_argument('--config', default=DEFAULT_CONFIG,
                        help='model config; its model and test_cfg are used '
                        '(default: %(default)s)')
    parser.add_argument('--checkpoint', default=None,
                        help='weights (default: random; timing does not '
                        'depend on them)')
    add_trust_argument(parser)
    parser.add_argument('--videos', type=int, default=1000,
                        help='gallery size, one caption per video (default: '
                        '%(default)s)')
    parser.add_argument('--k', type=int, nargs='+', default=[32, 128],
                        help='re-ranking depths to time (default: 32 128)')
    parser.add_argument('--frames', type=int, default=8,
                        help='frames per clip, K (default: %(default)s, as '
                        'the tiny retrieval config tests)')
    parser.add_argument('--size', type=int, default=None,
                        help="frame side in pixels (default: the backbone's "
                        'img_size)')
    parser.add_argument('--batch-size', type=int, default=32,
                        help='videos per batch (default: %(default)s)')
    parser.add_argument('--score-batch-size', type=int, default=128,
                        help='pairs per VTM scoring call of the re-ranking '
                        '(default: %(default)s)')
    add_device_arguments(parser)
    parser.add_argument('--repeats', type=int, default=3,
                        help='runs per k; the fastest of each phase is shown, '
                        'as shared machines are noisy (default: '
                        '%(default)s)')
    add_cfg_options_argument(
        parser,
        'override config entries, e.g. model.num_test_selected_frames=4')
    return parser.parse_args()


def main():
    """Run the test loop for each k and print a table of the phases."""
    args = parse_args()
    use_threads(args)
    torch.manual_seed(0)
    model = init_model(args.config, args.checkpoint, args.device,
                       args.cfg_options, args.trust_checkpoint)
    size = args.size or model.cfg.model.backbone.img_size
    gallery = RandomGallery(args.videos, args.frames, size,
                            whole_words(model.data_preprocessor.tokenizer))
    rows = []
    for k in args.k:
        with tempfile.TemporaryDirectory() as work_dir:
            runner = Runner(
                model=model,
                work_dir=work_dir,
                default_scope='smaug',
                log_level='WARNING',
                test_dataloader=dict(
                    dataset=gallery,
                    sampler=dict(type='DefaultSampler', shuffle=False),
                    collate_fn=dict(type='pseudo_collate'),
                    batch_size=args.batch_size,
                    num_workers=0),
                test_cfg=dict(model.cfg.get('test_cfg', {}),
                              type='RetrievalTestLoop', k=k,
                              score_batch_size=args.score_batch_size),
                test_evaluator=dict(type='RetrievalMetric'))
            runs = []
            for _ in range(args.repeats):
                runner.test()
                runs.append(runner.test_loop.timings)
            rows.append((k, {key: min(run[key] for run in runs)
                             for key in runs[0]}))
    print(f'\n{args.config}: {args.videos} videos x {args.videos} texts, '
          f'K={args.frames}, {size}x{size} frames, device {args.device}, '
          f'{torch.get_num_threads()} threads, fastest of {args.repeats}')
    print(f'{"k":>5} {"pairs":>8} {"embedding":>10} {"similarity":>11} '
          f'{"re-ranking":>11} {"total":>7}  (seconds)')
    for k, t in rows:
        total = t['embedding'] + t['similarity'] + t['re-ranking']
        print(f'{k:>5} {t["pairs"]:>8} {t["embedding"]:>10.2f} '
              f'{t["similarity"]:>11.3f} {t["re-ranking"]:>11.2f} '
              f'{total:>7.2f}')


if __name__ == '__main__':
    main()
