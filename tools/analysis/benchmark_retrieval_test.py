"""Time the retrieval test loop's phases on a gallery of random clips.

    python tools/analysis/benchmark_retrieval_test.py --videos 1000 --k 32 128

builds an mmengine Runner with ``RetrievalTestLoop`` around a stand-in model
with the tiny SMAUG's shapes (per video K frames of 1 + 16 tokens of C=32
channels; per caption P=16 hidden states of D=32; one cross-attention layer to
score a pair) and prints, for each k, the seconds spent embedding (videos and
texts, gathering included), computing the similarity matrix and re-ranking
(VTM scoring of the top-k pairs, merging the matrices). One caption per video,
as in MSRVTT 1K-A. The stand-in computes what a tiny model computes but has
random weights: the R@K it reaches mean nothing.
"""
import argparse
import tempfile

import torch
from mmengine.model import BaseDataPreprocessor, BaseModel
from mmengine.runner import Runner
from mmpretrain.structures import DataSample
from torch import nn
from torch.utils.data import Dataset


class RandomGallery(Dataset):
    """Retrieval test items with random uint8 clips and one caption each.

    Args:
        num_videos (int): Gallery size.
        frames (int): K.
        size (int): Frame side in pixels.
    """
    metainfo = dict(name='random gallery')

    def __init__(self, num_videos, frames, size):
        self.num_videos, self.frames, self.size = num_videos, frames, size

    def __len__(self):
        return self.num_videos

    def __getitem__(self, idx):
        generator = torch.Generator().manual_seed(idx)
        clip = torch.randint(0, 256, (self.frames, 3, self.size, self.size),
                             generator=generator, dtype=torch.uint8)
        words = torch.randint(0, 1000, (12, ), generator=generator).tolist()
        text = ' '.join(f'w{w}' for w in words)
        sample = DataSample(metainfo=dict(video_index=idx, text=[text]))
        return dict(inputs=clip, data_samples=sample)


class StackFrames(BaseDataPreprocessor):
    """uint8 clips -> float (B, K, 3, H, W) on the model's device."""

    def forward(self, data, training=False):
        """Stack, cast and move.

        Args:
            data (dict): ``inputs`` and ``data_samples`` lists.
            training (bool): Unused.
        """
        inputs = torch.stack(data['inputs']).to(self.device).float() / 255
        return dict(inputs=inputs, data_samples=data['data_samples'])


class TinyShapedModel(BaseModel):
    """The retrieval contract with one transformer layer per encoder.

    Args:
        channels (int): Visual and text widths C = D. Defaults to 32.
        patch (int): Patch size. Defaults to 16.
        text_len (int): P. Defaults to 16.
        embed_dims (int): VTC embedding size E. Defaults to 256.
    """

    def __init__(self, channels=32, patch=16, text_len=16, embed_dims=256):
        super().__init__(data_preprocessor=StackFrames())
        self.patch, self.text_len = patch, text_len
        self.patch_embed = nn.Linear(3 * patch * patch, channels)
        self.cls = nn.Parameter(torch.zeros(1, 1, channels))
        self.vision = nn.TransformerEncoderLayer(channels, 2, 2 * channels,
                                                 batch_first=True)
        self.words = nn.Embedding(1000, channels)
        self.text = nn.TransformerEncoderLayer(channels, 2, 2 * channels,
                                               batch_first=True)
        self.fusion = nn.TransformerDecoderLayer(channels, 2, 2 * channels,
                                                 batch_first=True)
        self.video_proj = nn.Linear(channels, embed_dims)
        self.text_proj = nn.Linear(channels, embed_dims)
        self.vtm = nn.Linear(channels, 1)

    def extract_video_feats(self, inputs):
        """Patch embedding + one layer per frame; emb from the CLS mean."""
        b, k, c, h, w = inputs.shape
        p = self.patch
        patches = inputs.reshape(b * k, c, h // p, p, w // p, p).permute(
            0, 2, 4, 1, 3, 5).flatten(3).flatten(1, 2)
        tokens = torch.cat([self.cls.expand(b * k, -1, -1),
                            self.patch_embed(patches)], dim=1)
        tokens = self.vision(tokens).reshape(b, k, -1, tokens.shape[-1])
        emb = self.video_proj(tokens[:, :, 0].mean(1))
        return dict(emb=nn.functional.normalize(emb, dim=-1), tokens=tokens)

    def extract_text_feats(self, texts):
        """Words ``w<i>`` -> ids, padded to P; emb from the first state."""
        device = self.cls.device
        ids = torch.zeros(len(texts), self.text_len, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for row, text in enumerate(texts):
            words = [int(w[1:]) for w in text.split()][:self.text_len]
            ids[row, :len(words)] = torch.tensor(words)
            mask[row, :len(words)] = 1
        ids, mask = ids.to(device), mask.to(device)
        hidden = self.text(self.words(ids),
                           src_key_padding_mask=mask == 0)
        emb = self.text_proj(hidden[:, 0])
        return dict(emb=nn.functional.normalize(emb, dim=-1), hidden=hidden,
                    attention_mask=mask)

    def score_pairs(self, video_tokens, text_hidden, text_mask):
        """One cross-attention layer over all frames' tokens."""
        memory = video_tokens.flatten(1, 2)
        fused = self.fusion(text_hidden, memory,
                            tgt_key_padding_mask=text_mask == 0)
        return self.vtm(fused[:, 0]).squeeze(-1)

    def forward(self, *args, **kwargs):
        """Not used: evaluation goes through the contract methods."""
        raise NotImplementedError


def parse_args():
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--videos', type=int, default=1000,
                        help='gallery size (one caption per video)')
    parser.add_argument('--k', type=int, nargs='+', default=[32, 128],
                        help='re-ranking depths to time')
    parser.add_argument('--frames', type=int, default=4, help='K')
    parser.add_argument('--size', type=int, default=64, help='frame side')
    parser.add_argument('--batch-size', type=int, default=32,
                        help='videos per batch')
    parser.add_argument('--score-batch-size', type=int, default=128)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch decides)')
    parser.add_argument('--repeats', type=int, default=3,
                        help='runs per k; the fastest of each phase is shown '
                        '(shared machines are noisy)')
    return parser.parse_args()


def main():
    """Run the test loop for each k and print a table of the phases."""
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    rows = []
    for k in args.k:
        torch.manual_seed(0)
        with tempfile.TemporaryDirectory() as work_dir:
            runner = Runner(
                model=TinyShapedModel().to(args.device),
                work_dir=work_dir,
                default_scope='smaug',
                log_level='WARNING',
                test_dataloader=dict(
                    dataset=RandomGallery(args.videos, args.frames,
                                          args.size),
                    sampler=dict(type='DefaultSampler', shuffle=False),
                    collate_fn=dict(type='pseudo_collate'),
                    batch_size=args.batch_size,
                    num_workers=0),
                test_cfg=dict(type='RetrievalTestLoop', k=k,
                              score_batch_size=args.score_batch_size),
                test_evaluator=dict(type='RetrievalMetric'))
            runs = []
            for _ in range(args.repeats):
                runner.test()
                runs.append(runner.test_loop.timings)
            rows.append((k, {key: min(run[key] for run in runs)
                             for key in runs[0]}))
    print(f'\n{args.videos} videos x {args.videos} texts, K={args.frames}, '
          f'{args.size}x{args.size} frames, device {args.device}, '
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
