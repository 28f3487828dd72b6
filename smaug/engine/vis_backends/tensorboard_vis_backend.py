"""TensorBoard logging whose write errors say where and why."""
import functools
import threading

from mmengine.visualization import TensorboardVisBackend

from smaug.registry import VISBACKENDS
from ..utils.write_failures import reported_write_failure


def naming_the_folder(method):
    """Turn the ``OSError`` of a TensorBoard write (e.g. a full disk: a
    bare ``[Errno 28]``, raised by the writer thread at a later call) into
    an error naming the events folder and the reason.

    Args:
        method (callable): A method of :class:`TensorboardVisBackend`.
    """
    @functools.wraps(method)
    def checked(backend, *args, **kwargs):
        with reported_write_failure(
                f'TensorBoard events to {backend._save_dir}'):
            return method(backend, *args, **kwargs)

    return checked


def leave_write_errors_to_the_caller(previous_hook):
    """A ``threading.excepthook`` that says nothing of an ``OSError`` ending
    TensorBoard's writer thread, and hands every other exception to
    ``previous_hook``. That thread keeps its error and raises it again at
    the next write, where :func:`naming_the_folder` names the folder; Python
    would otherwise print it first, bare (``OSError: [Errno 28] No space
    left on device``, no file).

    Args:
        previous_hook (callable): The hook before.
    """
    def hook(args):
        writer_thread = type(args.thread).__name__ == '_AsyncWriterThread'
        if not (writer_thread and issubclass(args.exc_type, OSError)):
            previous_hook(args)

    hook.quiet_tensorboard_writer = True
    return hook


@VISBACKENDS.register_module()
class SMAUGTensorboardVisBackend(TensorboardVisBackend):
    """mmengine's TensorboardVisBackend; a failed write raises an error
    naming the events folder and the reason, and nothing else is printed
    about it (:func:`leave_write_errors_to_the_caller`).

    Args:
        save_dir (str): The folder of the event files.
    """
    add_config = naming_the_folder(TensorboardVisBackend.add_config)
    add_image = naming_the_folder(TensorboardVisBackend.add_image)
    add_scalar = naming_the_folder(TensorboardVisBackend.add_scalar)
    add_scalars = naming_the_folder(TensorboardVisBackend.add_scalars)
    close = naming_the_folder(TensorboardVisBackend.close)

    def _init_env(self):
        """Create the writer, keeping its thread's write errors for the
        calls that name the folder."""
        if not getattr(threading.excepthook, 'quiet_tensorboard_writer',
                       False):
            threading.excepthook = leave_write_errors_to_the_caller(
                threading.excepthook)
        super()._init_env()
