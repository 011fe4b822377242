"""Typed settings for coalition-bot, loaded once from the environment and `.env`."""

from config.settings import Settings, SettingsError, get_settings

__all__ = ["Settings", "SettingsError", "get_settings"]
