"""Draw the paper's Fig. 4 and Fig. 3 from training batches (TensorBoard)."""
import numpy as np
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from smaug.registry import HOOKS


def _stacked(figure, result, keys, captions):
    """One figure per clip, stacked top to bottom.

    Args:
        figure (Callable): Draws a clip's figure from its ``result`` entries
            (in the order of ``keys``) and its caption.
        result (dict[str, Sequence]): Per-clip values, by key.
        keys (Sequence[str]): The entries ``figure`` takes.
        captions (list[str | None]): One caption per clip.
    """
    return np.concatenate([
        figure(*(result[key][index] for key in keys), caption)
        for index, caption in enumerate(captions)
    ])


@HOOKS.register_module()
class PretrainVisualizationHook(Hook):
    """Every ``interval`` training iterations, log two figures of the batch.

    On the main process only, the first ``num_clips`` clips of the batch the
    model has just trained on are run through the model's own parts (see
    :mod:`smaug.visualization`) and two images go to ``runner.visualizer``
    (its TensorBoard / local backends), at the same step as the losses:

    - ``reconstruction`` (paper Fig. 4): per clip, the original frames, the
      frames with the tube-masked patches grey, and the MVM decoder's
      reconstruction; skipped when the model has no ``mvm_head``.
    - ``frame_selection`` (paper Fig. 3): per clip, its frames with the
      selector's scores for the clip's caption, the selected kappa framed in
      green; skipped when the model has no ``frame_selector``, for
      single-frame (image) batches, and when the captions are not strings.

    The clips of one image are stacked top to bottom. Drawing runs under
    :func:`smaug.visualization.probe_mode`: no gradients, and every module's
    mode and the torch random state are restored, so the run's losses are
    the same with and without this hook.

    Args:
        interval (int): Draw every this many training iterations.
            Defaults to 1000.
        num_clips (int): Clips of the batch to draw. Defaults to 2.
    """
    priority = 'LOW'

    def __init__(self, interval=1000, num_clips=2):
        if interval < 1 or num_clips < 1:
            raise ValueError(
                'smaug/engine/hooks/visualization_hook.py: interval and '
                f'num_clips must be >= 1, got {interval} and {num_clips}.')
        self.interval = interval
        self.num_clips = num_clips

    @staticmethod
    def _model(runner):
        """The runner's model without its DDP/FSDP wrapper."""
        model = runner.model
        return model.module if is_model_wrapper(model) else model

    def before_train(self, runner):
        """Warn once when the model offers neither figure."""
        model = self._model(runner)
        if getattr(model, 'mvm_head', None) is None and getattr(
                model, 'frame_selector', None) is None:
            runner.logger.warning(
                'PretrainVisualizationHook: the model has neither an '
                '`mvm_head` nor a `frame_selector`; nothing will be drawn.')

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        """Draw and log the figures of this iteration's batch."""
        if data_batch is None or not is_main_process() or \
                not self.every_n_train_iters(runner, self.interval):
            return
        clips = list(data_batch['inputs'][:self.num_clips])
        samples = data_batch.get('data_samples') or [{}] * len(clips)
        texts = [sample.get('text') for sample in samples[:len(clips)]]
        captions = [text if isinstance(text, str) else None for text in texts]
        for name, image in self.figures(self._model(runner), clips,
                                        captions).items():
            runner.visualizer.add_image(name, image, step=runner.iter + 1)

    @staticmethod
    def figures(model, clips, captions):
        """The figures this model and batch allow.

        Args:
            model (torch.nn.Module): The unwrapped model.
            clips (list[Tensor]): uint8 clips (K, 3, H, W).
            captions (list[str | None]): One caption per clip; None where a
                clip has none (no title, no frame selection figure).

        Returns:
            dict[str, np.ndarray]: ``reconstruction`` and/or
            ``frame_selection`` uint8 (H, W, 3) images.
        """
        # smaug.visualization imports smaug.models; importing it here keeps
        # `import smaug` (which imports every hook) light.
        from smaug.visualization import (frame_selection,
                                         frame_selection_figure,
                                         mae_reconstruction,
                                         reconstruction_figure)
        images = {}
        if getattr(model, 'mvm_head', None) is not None:
            result = mae_reconstruction(model, clips)
            images['reconstruction'] = _stacked(
                reconstruction_figure, result,
                ('frames', 'masked', 'reconstruction'), captions)
        if getattr(model, 'frame_selector', None) is not None and \
                clips[0].shape[0] > 1 and None not in captions:
            result = frame_selection(model, clips, captions)
            images['frame_selection'] = _stacked(
                frame_selection_figure, result,
                ('frames', 'scores', 'selected'), captions)
        return images
