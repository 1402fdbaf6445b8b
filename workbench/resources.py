"""Runtime data shipped with the package (rule data, schemas, demo cases, icons).

In a wheel the top-level ``resources/`` folder is installed as ``workbench/resources``;
in a source checkout (editable install) it sits beside the package.
"""

from __future__ import annotations

import posixpath
from importlib import resources as importlib_resources
from importlib.resources.abc import Traversable
from pathlib import Path


def _root() -> Traversable:
    packaged = importlib_resources.files("workbench") / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def resource(name: str) -> Traversable:
    """Return the resource at the relative POSIX path ``name``."""
    if posixpath.isabs(name) or ".." in name.split("/"):
        raise ValueError(f"resource names are relative paths inside resources/: {name!r}")
    node = _root()
    for part in name.split("/"):
        node = node / part
    return node


def read_text(name: str) -> str:
    return resource(name).read_text(encoding="utf-8")


def read_bytes(name: str) -> bytes:
    return resource(name).read_bytes()
