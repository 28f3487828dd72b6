"""Re-exports."""
from .config_validation import ConfigError, check_config

__all__ = ['ConfigError', 'check_config']
