"""Logging to a rotating file in the data directory (GUI launchers have no console)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from workbench.config import log_dir


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to ``workbench.log``; return its path, or None if it cannot be written."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    try:
        directory = log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "workbench.log"
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
