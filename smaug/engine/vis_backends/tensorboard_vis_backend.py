"""TensorBoard logging whose write errors say where and why."""
import functools

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


@VISBACKENDS.register_module()
class SMAUGTensorboardVisBackend(TensorboardVisBackend):
    """mmengine's TensorboardVisBackend; a failed write raises an error
    naming the events folder and the reason.

    Args:
        save_dir (str): The folder of the event files.
    """
    add_config = naming_the_folder(TensorboardVisBackend.add_config)
    add_image = naming_the_folder(TensorboardVisBackend.add_image)
    add_scalar = naming_the_folder(TensorboardVisBackend.add_scalar)
    add_scalars = naming_the_folder(TensorboardVisBackend.add_scalars)
    close = naming_the_folder(TensorboardVisBackend.close)
