"""Autosaved drafts of unsaved case edits, kept beside the database in ``data_dir()/drafts``.

A draft is the editor's state as plain JSON (it may be invalid; that is why it is
not in the database). It is written atomically so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from workbench.config import data_dir
from workbench.export.atomic import write_bytes_atomic

logger = logging.getLogger(__name__)

FORMAT = "workbench-draft/1"


@dataclass(frozen=True)
class Draft:
    reference: str
    saved_at: str
    base_version: int
    """The case version the edits started from (0 for a case never saved)."""
    state: dict[str, Any]


def drafts_dir() -> Path:
    return data_dir() / "drafts"


def draft_path(reference: str) -> Path:
    """The draft file of ``reference``; the name is escaped since references may contain '/'."""
    return drafts_dir() / f"{quote(reference, safe='-_.')}.json"


def save_draft(reference: str, base_version: int, state: dict[str, Any]) -> Path:
    path = draft_path(reference)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT,
        "reference": reference,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_version": base_version,
        "state": state,
    }
    write_bytes_atomic(path, json.dumps(payload, indent=1, ensure_ascii=False).encode("utf-8"))
    return path


def load_draft(reference: str) -> Draft | None:
    """The draft of ``reference``, or None if there is none or it is unreadable (then it is logged)."""
    path = draft_path(reference)
    if not path.is_file():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != FORMAT or payload.get("reference") != reference:
            raise ValueError("not a draft of this case")
        return Draft(
            reference=reference,
            saved_at=str(payload["saved_at"]),
            base_version=int(payload["base_version"]),
            state=dict(payload["state"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.warning("ignoring unreadable draft %s: %s", path, exc)
        return None


def discard_draft(reference: str) -> None:
    draft_path(reference).unlink(missing_ok=True)


def list_drafts() -> list[str]:
    """References that have a readable draft."""
    folder = drafts_dir()
    if not folder.is_dir():
        return []
    refs = []
    for path in sorted(folder.glob("*.json")):
        try:
            refs.append(str(json.loads(path.read_text(encoding="utf-8"))["reference"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return refs
