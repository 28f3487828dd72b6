"""Re-exports."""
from .config_loading import load_config
from .config_validation import ConfigError, check_config
from .config_variables import CONFIG_VARIABLES, FrameSettings, frame_settings

__all__ = ['CONFIG_VARIABLES', 'ConfigError', 'FrameSettings',
           'check_config', 'frame_settings', 'load_config']
