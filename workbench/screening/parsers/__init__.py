"""Read restricted-party list files into ``ParsedList`` values; the format is detected from content."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.domain.errors import InputFileError
from workbench.domain.screening import ListFormat, ParsedList
from workbench.screening.parsers._common import (
    CancelCheck,
    Cancelled,
    ProgressCallback,
    decode,
    read_bytes,
)
from workbench.screening.parsers.csl import parse_csl_csv, parse_csl_json
from workbench.screening.parsers.ofac import parse_ofac

__all__ = ["CancelCheck", "Cancelled", "ProgressCallback", "detect_format", "parse_list"]

_OFAC_ROW = re.compile(r'^\s*\d+\s*,\s*"')


def detect_format(path: Path, head: str | None = None) -> ListFormat:
    """Tell the CSL CSV, the CSL JSON and OFAC's sdn.csv apart by what the file starts with."""
    if path.is_dir():
        return ListFormat.OFAC_SDN
    if head is None:
        head = decode(read_bytes(path)[:4096])
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        return ListFormat.CSL_JSON
    first_line = text.split("\n", 1)[0]
    if "source" in first_line and "name" in first_line:
        return ListFormat.CSL_CSV
    if _OFAC_ROW.match(first_line):
        return ListFormat.OFAC_SDN
    raise InputFileError(
        f"{path.name}: is neither the Consolidated Screening List (CSV or JSON) nor OFAC's sdn.csv; "
        "choose one of those files as downloaded"
    )


def parse_list(
    path: Path | str,
    fmt: ListFormat | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ParsedList:
    """Parse a list file (``.gz`` accepted) or an OFAC folder; raises ``InputFileError`` if unreadable.

    Malformed rows are skipped and reported in ``ParsedList.malformed``; run the result through
    ``workbench.screening.guard.check_refresh`` before making it the active version.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: no such file or folder; check the path")
    if fmt is None:
        fmt = detect_format(path)
    if fmt is ListFormat.OFAC_SDN:
        return parse_ofac(path, progress, cancel)
    text = decode(read_bytes(path))
    if fmt is ListFormat.CSL_JSON:
        return parse_csl_json(text, path, progress, cancel)
    return parse_csl_csv(text, path, progress, cancel)
