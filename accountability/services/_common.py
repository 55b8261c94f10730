"""Helpers shared by the accountability services."""

from integrity.history import save_as as save

__all__ = ["save"]
