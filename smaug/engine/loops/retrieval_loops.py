"""Retrieval evaluation loops: embed once, rank by VTC, re-rank the top-k.

The whole gallery is scored, not batch by batch, so these loops replace
mmengine's ``ValLoop``/``TestLoop`` (``val_cfg=dict(type='RetrievalValLoop')``,
``test_cfg=dict(type='RetrievalTestLoop')``). Of the model (unwrapped from
DDP) they use only ``data_preprocessor(data, False)`` and three methods:
``extract_video_feats(inputs) -> dict(emb=(B, E) normalised,
tokens=(B, K, T, C))``, ``extract_text_feats(texts) -> dict(emb=(n, E)
normalised, hidden=(n, P, D), attention_mask=(n, P))`` and
``score_pairs(video_tokens, text_hidden, text_mask) -> (n,)`` (VTM score,
higher is better). Phases:

1. Videos: every process embeds its shard of the dataloader
   (``data_preprocessor`` then ``extract_video_feats``), calling the
   ``before/after_{val,test}_iter`` hooks per batch. Each test item carries
   ``video_index`` (its place in the gallery) and ``text`` (its captions).
2. Gathering: features, indices and captions of all processes are gathered;
   duplicates that a padding sampler adds are dropped (first occurrence of
   each ``video_index``). A ``video_index`` in 0..N-1 that no process read
   stops the run: R@K on a silently smaller gallery would be false.
3. Texts: the captions in video order (the ground truth of caption ``i`` is
   the video it came from) are split evenly across processes, embedded with
   ``extract_text_feats`` and gathered.
4. Similarity: VTC text-by-video matrix (one matrix product, in chunks).
5. Re-ranking: for every text its ``k`` best videos and for every video its
   ``k`` best texts (``k`` capped at the gallery size); the union of these
   pairs (a pair found in both directions is scored once) is split evenly
   across processes, scored by ``score_pairs`` in batches of
   ``score_batch_size``, and gathered.
6. The re-ranked matrices: the ``k`` candidates of a query get the VTM score
   (``score_mode='vtm'``, Singularity's choice) or VTM + VTC
   (``'vtm+vtc'``); the other items keep their VTC order but are placed below
   every candidate. Process 0 hands the four score matrices and the ground
   truth to the evaluator as one result (see
   :class:`smaug.evaluation.RetrievalMetric`); every process gets the
   metrics.

Features live on the CPU and are moved to the model's device in chunks, so a
gallery's tokens need host memory only. Phase timings are logged.
"""
import itertools
import math
import time
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import torch
from mmengine.dist import (all_gather, all_gather_object, all_reduce,
                           broadcast, get_dist_info, is_main_process)
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import ValLoop
from mmengine.runner.amp import autocast
from mmengine.utils import ProgressBar

from smaug.evaluation.retrieval_scoring import (check_score_mode,
                                                merge_rerank_scores,
                                                top_candidates)
from smaug.registry import LOOPS

#: Bytes per process and per all-gather call when gathering features.
GATHER_CHUNK_BYTES = 1 << 27
#: Rows of the similarity matrix computed per matrix product.
SIMILARITY_CHUNK = 4096


def gather_rows(tensor: torch.Tensor) -> torch.Tensor:
    """Concatenate, in process order, every process's rows of a tensor.

    Processes may hold different numbers of rows (none at all included); the
    rows go through ``all_gather`` in chunks of about
    :data:`GATHER_CHUNK_BYTES` padded to a common length, so a large gallery
    never sits on the device whole.

    Args:
        tensor (torch.Tensor): (n, ...) rows of this process, on the CPU. A
            process with no rows may pass any empty tensor.

    Returns:
        torch.Tensor: (sum of n, ...) on the CPU, the same on every process.
    """
    _, world_size = get_dist_info()
    if world_size == 1:
        return tensor
    metas = all_gather_object((len(tensor), tuple(tensor.shape[1:]),
                               tensor.dtype))
    counts = [count for count, _, _ in metas]
    layouts = {meta[1:] for meta in metas if meta[0] > 0}
    if len(layouts) > 1:
        raise RuntimeError(
            f'gather_rows: processes disagree on row shape/dtype: {layouts}')
    if not layouts:
        return tensor
    row_shape, dtype = layouts.pop()
    row_bytes = max(1, math.prod(row_shape) * dtype.itemsize)
    chunk = max(1, GATHER_CHUNK_BYTES // row_bytes)
    parts: List[List[torch.Tensor]] = [[] for _ in counts]
    for start in range(0, max(counts), chunk):
        length = min(chunk, max(counts) - start)
        piece = torch.zeros((length, *row_shape), dtype=dtype)
        mine = tensor[start:start + length]
        if len(mine):
            piece[:len(mine)] = mine
        for rank, got in enumerate(all_gather(piece)):
            parts[rank].append(got[:max(0, min(length,
                                               counts[rank] - start))])
    return torch.cat([row for rank_parts in parts for row in rank_parts])


def _sample_field(data_sample, key: str):
    """A field of a test item's data sample, or a clear error."""
    value = data_sample.get(key, None)
    if value is None:
        raise KeyError(
            f'retrieval loop: a test data sample lacks the field {key!r} '
            f'(video_path={data_sample.get("video_path", None)!r}); the '
            'retrieval test dataset must set video_index and text')
    return value


def _model_device(model) -> torch.device:
    """The device of a model's first parameter or buffer (CPU if none)."""
    tensor = next(itertools.chain(model.parameters(), model.buffers()), None)
    return torch.device('cpu') if tensor is None else tensor.device


def _override(config: dict, changes: dict) -> dict:
    """A copy of ``config`` with the keys of ``changes`` replaced (nested
    dicts are merged key by key)."""
    merged = dict(config)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            value = _override(merged[key], value)
        merged[key] = value
    return merged


def _pad_text(hidden: torch.Tensor, mask: torch.Tensor,
              length: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """Right-pad text hidden states (zeros) and masks (0) to ``length``."""
    extra = length - hidden.shape[1]
    hidden = torch.nn.functional.pad(hidden, (0, 0, 0, extra))
    return hidden, torch.nn.functional.pad(mask, (0, extra))


def _process_share(items: Sequence) -> Sequence:
    """This process's contiguous share of ``items``, split evenly across
    processes in rank order."""
    rank, world_size = get_dist_info()
    return items[rank * len(items) // world_size:(rank + 1) * len(items) //
                 world_size]


def _check_rows(feats: dict, count: int, method: str, items: str) -> None:
    """Raise unless the model's ``method`` gave one ``emb`` row per item.

    Args:
        feats (dict): What ``method`` returned.
        count (int): Items it was given.
        method (str): The model method (for the message).
        items (str): What the items are, plural (for the message).
    """
    if len(feats['emb']) != count:
        raise RuntimeError(f'{method} returned {len(feats["emb"])} rows for '
                           f'{count} {items}')


def _track(items: Iterable, total: int) -> Iterator:
    """Yield ``items``, drawing a progress bar on process 0."""
    bar = ProgressBar(total) if is_main_process() and total > 0 else None
    for item in items:
        yield item
        if bar:
            bar.update()
    if bar:
        bar.file.write('\n')


def _first_occurrence(index: torch.Tensor,
                      size: int) -> torch.Tensor:
    """Row of the first occurrence of each of 0..size-1 in ``index``.

    Args:
        index (torch.Tensor): (n,) long ``video_index`` of gathered rows.
        size (int): Gallery size N.

    Returns:
        torch.Tensor: (size,) long row numbers.

    Raises:
        RuntimeError: An index is outside 0..N-1 or missing.
    """
    outside = index[(index < 0) | (index >= size)]
    if len(outside):
        raise RuntimeError(
            f'retrieval loop: video_index values {outside[:20].tolist()} lie '
            f'outside the gallery 0..{size - 1}')
    rows = torch.full((size, ), len(index), dtype=torch.long)
    rows.scatter_reduce_(0, index, torch.arange(len(index)), 'amin')
    missing = (rows == len(index)).nonzero().flatten()
    if len(missing):
        raise RuntimeError(
            f'retrieval loop: {len(missing)} of the {size} gallery videos '
            f'were not read (video_index {missing[:20].tolist()}'
            f'{" ..." if len(missing) > 20 else ""}); refusing to report '
            'metrics on an incomplete gallery')
    return rows


@LOOPS.register_module()
class RetrievalValLoop(ValLoop):
    """Validation by text-video retrieval over the whole gallery.

    See the module docstring for the phases. The evaluator should hold a
    :class:`smaug.evaluation.RetrievalMetric`.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader or dict): The test gallery: one item per video
            with ``video_index`` and ``text`` (list of captions).
        evaluator (Evaluator or dict or list): The evaluator.
        k (int): Candidates re-scored by VTM per query, capped at the gallery
            size. 0 ranks by VTC alone: no VTM pass, and neither video
            tokens nor text hidden states are kept (a cheap validation
            during pre-training); the re-ranked metrics then equal the VTC
            ones. Defaults to 128.
        score_mode (str): 'vtm' or 'vtm+vtc', see
            :mod:`smaug.evaluation.retrieval_scoring`. Defaults to 'vtm'.
        text_batch_size (int): Captions per ``extract_text_feats`` call.
            Defaults to 128.
        score_batch_size (int): Pairs per ``score_pairs`` call.
            Defaults to 128.
        fp16 (bool): Run the model under autocast. Defaults to False.
        extra_galleries (dict, optional): More galleries scored in the same
            run, ``{name: overrides}``; each overrides the keys it names of
            the ``dataloader`` config (e.g. another ``dataset.ann_file``).
            Their metrics are reported under ``{name}/...``; the main
            gallery's keep their names (best-checkpoint keys). Defaults to
            None.

    Attributes:
        timings (dict[str, float]): Seconds of the last run's phases
            (``embedding``, ``similarity``, ``re-ranking``) and the number of
            re-scored pairs (``pairs``), for benchmarks.
    """
    stage = 'val'

    def __init__(self,
                 runner,
                 dataloader,
                 evaluator,
                 k: int = 128,
                 score_mode: str = 'vtm',
                 text_batch_size: int = 128,
                 score_batch_size: int = 128,
                 fp16: bool = False,
                 extra_galleries: Optional[dict] = None) -> None:
        name = type(self).__name__
        if not isinstance(k, int) or k < 0:
            raise ValueError(f'{name}: k must be an int >= 0, got {k!r}')
        for key, value in (('text_batch_size', text_batch_size),
                           ('score_batch_size', score_batch_size)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(
                    f'{name}: {key} must be a positive int, got {value!r}')
        check_score_mode(score_mode, name)
        super().__init__(runner, dataloader, evaluator, fp16=fp16)
        self.k = k
        self.score_mode = score_mode
        self.text_batch_size = text_batch_size
        self.score_batch_size = score_batch_size
        self.timings: Dict[str, float] = {}
        if extra_galleries and not isinstance(dataloader, dict):
            raise TypeError(f'{name}: extra_galleries override the '
                            'dataloader config, so it must be a dict')
        self.extra_dataloaders = {
            gallery: runner.build_dataloader(
                _override(dataloader, changes), seed=runner.seed)
            for gallery, changes in (extra_galleries or {}).items()
        }

    def run(self) -> dict:
        """Score the gallery and evaluate, calling the stage's hooks."""
        self.runner.call_hook(f'before_{self.stage}')
        self.runner.call_hook(f'before_{self.stage}_epoch')
        self.runner.model.eval()
        model = self.runner.model
        if is_model_wrapper(model):
            model = model.module
        metrics = self.evaluate_gallery(model, self.dataloader)
        for gallery, dataloader in self.extra_dataloaders.items():
            extra = self.evaluate_gallery(model, dataloader)
            metrics.update({f'{gallery}/{key}': value
                            for key, value in extra.items()})
        self.runner.call_hook(f'after_{self.stage}_epoch', metrics=metrics)
        self.runner.call_hook(f'after_{self.stage}')
        return metrics

    def evaluate_gallery(self, model, dataloader) -> dict:
        """Score one gallery and compute its metrics.

        Args:
            model (BaseModel): The unwrapped model.
            dataloader (DataLoader): The gallery.

        Returns:
            dict: The evaluator's metrics, identical on every process.
        """
        with torch.no_grad():
            result = self.score_gallery(model, dataloader)
        if is_main_process():
            self.evaluator.process(data_samples=[result])
        return self.evaluator.evaluate(len(dataloader.dataset))

    def score_gallery(self, model, dataloader=None) -> dict:
        """All phases; returns the metric's input (complete on process 0).

        Args:
            model (BaseModel): The unwrapped model.
            dataloader (DataLoader, optional): The gallery; the loop's own
                when None.

        Returns:
            dict: ``text_to_video`` and the score matrices ``t2v_scores``,
            ``v2t_scores``, ``t2v_vtc_scores``, ``v2t_vtc_scores`` (the
            matrices only on process 0).
        """
        dataloader = self.dataloader if dataloader is None else dataloader
        if len(dataloader.dataset) == 0:
            raise ValueError(f'{type(self).__name__}: the gallery is empty')
        timings = {}
        start = time.perf_counter()
        videos = self._embed_videos(model, dataloader)
        texts, text_to_video = self._caption_list(videos.pop('captions'))
        text_feats = self._embed_texts(model, texts)
        timings['embedding'] = time.perf_counter() - start

        start = time.perf_counter()
        device = _model_device(model)
        sim = self._similarity(text_feats['emb'], videos['emb'], device)
        timings['similarity'] = time.perf_counter() - start
        if self.k == 0:
            self._report(sim.shape, 'ranked by VTC alone (k=0)',
                         dict(timings, **{'re-ranking': 0.}), pairs=0)
            return dict(text_to_video=text_to_video, t2v_scores=sim,
                        v2t_scores=sim.t(), t2v_vtc_scores=sim,
                        v2t_vtc_scores=sim.t())
        start = time.perf_counter()
        t2v_cand = top_candidates(sim, self.k)
        v2t_cand = top_candidates(sim.t(), self.k)
        broadcast(t2v_cand, src=0)
        broadcast(v2t_cand, src=0)
        timings['similarity'] += time.perf_counter() - start

        start = time.perf_counter()
        num_texts, num_videos = sim.shape
        t2v_pairs = t2v_cand * num_texts + torch.arange(num_texts)[:, None]
        v2t_pairs = torch.arange(num_videos)[:, None] * num_texts + v2t_cand
        pairs = torch.unique(torch.cat([t2v_pairs.flatten(),
                                        v2t_pairs.flatten()]))
        pair_scores = self._score_pairs(model, pairs, videos['tokens'],
                                        text_feats, device)
        result = dict(text_to_video=text_to_video)
        if is_main_process():
            t2v_scores = pair_scores[torch.searchsorted(pairs, t2v_pairs)]
            v2t_scores = pair_scores[torch.searchsorted(pairs, v2t_pairs)]
            result.update(
                t2v_scores=merge_rerank_scores(sim, t2v_cand, t2v_scores,
                                               self.score_mode),
                v2t_scores=merge_rerank_scores(sim.t(), v2t_cand, v2t_scores,
                                               self.score_mode),
                t2v_vtc_scores=sim,
                v2t_vtc_scores=sim.t())
        timings['re-ranking'] = time.perf_counter() - start
        self._report(sim.shape, f'{len(pairs)} pairs re-scored (k={self.k}, '
                     f'{self.score_mode})', timings, pairs=len(pairs))
        return result

    def _report(self, shape, what, timings, pairs):
        """Log the phase timings and keep them in ``self.timings``.

        Args:
            shape (tuple): (texts, videos) of the similarity matrix.
            what (str): What the ranking did, for the log line.
            timings (dict): Seconds per phase.
            pairs (int): Pairs re-scored by VTM.
        """
        print_log(
            f'{type(self).__name__}: {shape[1]} videos, {shape[0]} texts, '
            f'{what}; ' +
            ', '.join(f'{name} {sec:.2f} s' for name, sec in timings.items()),
            logger='current')
        self.timings = dict(timings, pairs=pairs)

    def _embed_videos(self, model, dataloader) -> dict:
        """Embed this process's videos, gather, deduplicate, check.

        Args:
            model (BaseModel): The unwrapped model.
            dataloader (DataLoader): The gallery.

        Returns:
            dict: ``emb`` (N, E) float, ``tokens`` (N, K, T, C) (empty when
            ``k`` is 0), ``captions`` (list of N caption lists), indexed by
            ``video_index``.
        """
        embs, tokens, indices, captions = [], [], [], []
        for idx, data_batch in _track(enumerate(dataloader),
                                      len(dataloader)):
            self.runner.call_hook(
                f'before_{self.stage}_iter', batch_idx=idx,
                data_batch=data_batch)
            with autocast(enabled=self.fp16):
                data = model.data_preprocessor(data_batch, False)
                feats = model.extract_video_feats(data['inputs'])
            samples = data['data_samples']
            _check_rows(feats, len(samples), 'extract_video_feats', 'videos')
            embs.append(feats['emb'].float().cpu())
            if self.k > 0:
                tokens.append(feats['tokens'].cpu())
            for sample in samples:
                indices.append(int(_sample_field(sample, 'video_index')))
                text = _sample_field(sample, 'text')
                captions.append([text] if isinstance(text, str) else
                                list(text))
            self.runner.call_hook(
                f'after_{self.stage}_iter', batch_idx=idx,
                data_batch=data_batch, outputs=None)
        size = len(dataloader.dataset)
        index = gather_rows(torch.tensor(indices, dtype=torch.long))
        rows = _first_occurrence(index, size)
        all_captions = [c for part in all_gather_object(captions)
                        for c in part]
        return dict(
            emb=gather_rows(torch.cat(embs) if embs else torch.empty(0))[rows],
            tokens=(gather_rows(
                torch.cat(tokens) if tokens else torch.empty(0))[rows]
                    if self.k > 0 else torch.empty(0)),
            captions=[all_captions[row] for row in rows.tolist()])

    @staticmethod
    def _caption_list(
            captions: Sequence[List[str]]
    ) -> Tuple[List[str], List[List[int]]]:
        """Flatten per-video captions; each caption's ground truth."""
        texts, text_to_video = [], []
        for video, video_captions in enumerate(captions):
            if not video_captions:
                raise ValueError(
                    f'retrieval loop: gallery video {video} has no caption')
            texts += video_captions
            text_to_video += [[video]] * len(video_captions)
        return texts, text_to_video

    def _embed_texts(self, model, texts: List[str]) -> Dict[str, torch.Tensor]:
        """Embed this process's share of the captions and gather.

        Returns:
            dict: ``emb`` (n, E) float and, unless ``k`` is 0, ``hidden``
            (n, P, D) and ``attention_mask`` (n, P) long, for all texts in
            order.
        """
        share = _process_share(texts)
        embs, hiddens, masks = [], [], []
        starts = range(0, len(share), self.text_batch_size)
        for start in _track(starts, len(starts)):
            batch = share[start:start + self.text_batch_size]
            with autocast(enabled=self.fp16):
                feats = model.extract_text_feats(batch)
            _check_rows(feats, len(batch), 'extract_text_feats', 'texts')
            embs.append(feats['emb'].float().cpu())
            if self.k > 0:
                hiddens.append(feats['hidden'].cpu())
                masks.append(feats['attention_mask'].long().cpu())
        local = dict(emb=torch.cat(embs) if embs else torch.empty(0))
        if self.k > 0:
            length = torch.tensor(max([m.shape[1] for m in masks], default=0))
            all_reduce(length, op='max')
            padded = [_pad_text(h, m, int(length))
                      for h, m in zip(hiddens, masks)]
            local.update(
                hidden=torch.cat([h for h, _ in padded]) if padded else
                torch.empty(0),
                attention_mask=torch.cat([m for _, m in padded]) if padded
                else torch.empty(0))
        gathered = {key: gather_rows(value) for key, value in local.items()}
        if len(gathered['emb']) != len(texts):
            raise RuntimeError(
                f'retrieval loop: gathered {len(gathered["emb"])} text '
                f'features for {len(texts)} captions')
        return gathered

    @staticmethod
    def _similarity(text_emb: torch.Tensor, video_emb: torch.Tensor,
                    device: torch.device) -> torch.Tensor:
        """(texts, videos) VTC similarity on the CPU, computed in chunks."""
        video_emb = video_emb.to(device)
        return torch.cat([(chunk.to(device) @ video_emb.t()).float().cpu()
                          for chunk in text_emb.split(SIMILARITY_CHUNK)])

    def _score_pairs(self, model, pairs: torch.Tensor,
                     video_tokens: torch.Tensor, text_feats: dict,
                     device: torch.device) -> torch.Tensor:
        """VTM scores of ``pairs``, split across processes.

        A pair is ``video * number of texts + text``: sorted pairs come
        grouped by video, so a batch holds few distinct videos and only those
        videos' tokens are moved to the device.

        Returns:
            torch.Tensor: (len(pairs),) float, on every process.
        """
        num_texts = len(text_feats['hidden'])
        share = _process_share(pairs)
        scores = []
        batches = share.split(self.score_batch_size)
        for batch in _track(batches, len(batches)):
            video, text = batch // num_texts, batch % num_texts
            video, pair_video = torch.unique(video, return_inverse=True)
            with autocast(enabled=self.fp16):
                score = model.score_pairs(
                    video_tokens[video].to(device)[pair_video.to(device)],
                    text_feats['hidden'][text].to(device),
                    text_feats['attention_mask'][text].to(device))
            if score.shape != (len(batch), ):
                raise RuntimeError(
                    f'score_pairs returned shape {tuple(score.shape)} for '
                    f'{len(batch)} pairs; expected ({len(batch)},)')
            scores.append(score.float().cpu())
        return gather_rows(torch.cat(scores) if scores else torch.empty(0))


@LOOPS.register_module()
class RetrievalTestLoop(RetrievalValLoop):
    """:class:`RetrievalValLoop` calling the test hooks instead of the
    validation ones (mmengine's ValLoop and TestLoop differ only there).

    Args: as :class:`RetrievalValLoop`.
    """
    stage = 'test'
