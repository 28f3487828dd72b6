"""A transform base whose ``repr`` lists the transform's settings."""
from mmcv.transforms import BaseTransform


class SettingsReprTransform(BaseTransform):
    """A transform printed as ``Name(setting=value, ...)``, e.g. in a
    pipeline's ``repr``; subclasses name the attributes in
    ``repr_settings``, in the order they are printed.
    """
    repr_settings = ()

    def __repr__(self):
        settings = ', '.join(f'{name}={getattr(self, name)!r}'
                             for name in self.repr_settings)
        return f'{type(self).__name__}({settings})'
