"""Re-exports."""
from . import (algorithms, backbones, data_preprocessors,  # noqa: F401
               distributed, heads, language, necks)
