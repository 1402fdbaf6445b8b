"""Offline export-compliance workbench."""

__version__ = "0.1.0"
