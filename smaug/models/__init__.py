"""Re-exports."""
from . import backbones, heads, language, losses, necks  # noqa: F401
