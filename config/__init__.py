"""Settings: one TOML file plus CLAIMWATCH_* environment overrides."""

from config.loader import Secret
from config.log_format import log_format
from config.settings import Settings, StorageSettings, load, with_data_dir

__all__ = ["Secret", "Settings", "StorageSettings", "load", "log_format", "with_data_dir"]
