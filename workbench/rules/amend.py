"""Local amendments: an officer's own reading of a development, applied over a rule pack.

An amendment is written in the rulebook's own shape, so it is checked by the same models as
the pack it amends (``workbench-amendment/1``, schema in ``resources/schemas``):

* ``lifecycle``: from the earliest ``from`` among ``periods``, the rule's enforcement periods are
  the ones given (a suspension extended, a rule withdrawn, enforcement resumed);
* ``rule``: a new or replacing rule record (e.g. a replacement rule effective on a date);
* ``group_change``: a country joins or leaves a Country Group from a date;
* ``parameter``: an advanced-computing parameter (by JSON pointer) takes a value from a date.

Lifecycle, rule and group changes carry their own dates, so they are always applied; a
parameter amendment applies only to checks on or after its effective date.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic import ValidationError as PydanticValidationError

from workbench.domain.errors import WorkbenchError
from workbench.domain.rulepacks import Amendment
from workbench.rules.data import (
    AdvancedComputingFile,
    AmendmentNote,
    DatedParameter,
    EnforcementPeriod,
    GroupChange,
    RuleData,
    RuleRecord,
)

AMENDMENT_FORMAT = "workbench-amendment/1"
MAX_AMENDMENT_BYTES = 256 * 1024
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


class AmendmentError(WorkbenchError):
    """An amendment file or an amendment's content is not acceptable."""


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class AmendmentFile(BaseModel):
    """The ``workbench-amendment/1`` file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    format: Literal["workbench-amendment/1"]
    id: Annotated[str, StringConstraints(max_length=100)]
    kind: Literal["lifecycle", "rule", "group_change", "parameter"]
    source: Text = Field(description="The Federal Register citation or URL the amendment rests on.")
    reason: Text = Field(description="The officer's reason, shown in every finding that uses it.")
    rule: str | None = Field(default=None, description="lifecycle: the rulebook id of the rule.")
    periods: tuple[EnforcementPeriod, ...] | None = Field(default=None, description="lifecycle: the periods.")
    rule_record: RuleRecord | None = Field(default=None, description="rule: the whole rule record.")
    group_change: GroupChange | None = Field(default=None, description="group_change: the change.")
    pointer: str | None = Field(default=None, description="parameter: JSON pointer into advanced-computing.json.")
    value: Any = Field(default=None, description="parameter: the new value.")
    effective: date | None = Field(default=None, description="parameter: the first day it applies.")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower-case letters, digits and . _ - (e.g. affiliates-suspension-2027)")
        return value

    def to_amendment(self) -> Amendment:
        need = {
            "lifecycle": ("rule", "periods"),
            "rule": ("rule_record",),
            "group_change": ("group_change",),
            "parameter": ("pointer", "effective"),
        }[self.kind]
        for name in need:
            if getattr(self, name) in (None, ()):
                raise AmendmentError(f"{self.id}: a {self.kind} amendment needs '{name}'.")
        if self.kind == "lifecycle":
            assert self.periods is not None and self.rule is not None
            body: dict[str, Any] = {
                "periods": [p.model_dump(mode="json", by_alias=True, exclude_none=True) for p in self.periods]
            }
            return Amendment(
                self.id, self.kind, self.rule, min(p.since for p in self.periods), self.source, self.reason, body
            )
        if self.kind == "rule":
            assert self.rule_record is not None
            body = {"rule": self.rule_record.model_dump(mode="json", by_alias=True)}
            return Amendment(
                self.id, self.kind, self.rule_record.id, self.rule_record.effective, self.source, self.reason, body
            )
        if self.kind == "group_change":
            assert self.group_change is not None
            body = {"change": self.group_change.model_dump(mode="json", by_alias=True)}
            return Amendment(
                self.id,
                self.kind,
                self.group_change.country,
                self.group_change.effective,
                self.source,
                self.reason,
                body,
            )
        assert self.pointer is not None and self.effective is not None
        return Amendment(
            self.id, self.kind, self.pointer, self.effective, self.source, self.reason, {"value": self.value}
        )


def _json_path(loc: Sequence[int | str]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


def read_amendment(data: bytes, source: str) -> Amendment:
    if len(data) > MAX_AMENDMENT_BYTES:
        raise AmendmentError(f"{source}: an amendment file is at most {MAX_AMENDMENT_BYTES // 1024} KiB.")
    try:
        model = AmendmentFile.model_validate_json(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        raise AmendmentError(f"{source}: {_json_path(first['loc'])}: {first['msg']}.") from None
    return model.to_amendment()


def read_amendment_file(path: Path) -> Amendment:
    try:
        if path.stat().st_size > MAX_AMENDMENT_BYTES:
            raise AmendmentError(f"{path.name}: an amendment file is at most {MAX_AMENDMENT_BYTES // 1024} KiB.")
        return read_amendment(path.read_bytes(), path.name)
    except OSError as exc:
        raise AmendmentError(f"{path}: cannot read the amendment ({exc.strerror or exc}).") from None


def amendment_schema() -> dict[str, Any]:
    return AmendmentFile.model_json_schema()


# --- applying ---------------------------------------------------------------------------------------


def _pointer_parts(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        raise AmendmentError(f"The parameter pointer '{pointer}' must start with '/', e.g. /classification/rules/0/...")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _set_pointer(document: Any, pointer: str, value: Any) -> None:
    parts = _pointer_parts(pointer)
    node = document
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise AmendmentError(f"The parameter pointer {pointer} names no value in advanced-computing.json.")
            if last:
                node[int(part)] = value
                return
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                raise AmendmentError(f"The parameter pointer {pointer} names no value in advanced-computing.json.")
            if last:
                node[part] = value
                return
            node = node[part]
        else:
            raise AmendmentError(f"The parameter pointer {pointer} names no value in advanced-computing.json.")


def _dump(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def apply_amendments(parts: Mapping[str, bytes], amendments: Iterable[Amendment]) -> dict[str, bytes]:
    """The parts with every lifecycle, rule and group-change amendment in force applied (they carry
    their own dates); parameter amendments are applied per check date by ``data_on``."""
    chosen = [a for a in amendments if a.in_force and a.kind != "parameter"]
    out = dict(parts)
    if not chosen:
        return out
    rulebook = json.loads(out["rulebook.json"])
    changes = json.loads(out["group-changes.json"])
    touched: set[str] = set()
    for amendment in chosen:
        if amendment.kind == "lifecycle":
            record = next((r for r in rulebook["rules"] if r["id"] == amendment.target), None)
            if record is None:
                raise AmendmentError(
                    f"Amendment {amendment.id} changes rule {amendment.target}, which the rule data does not have;"
                    " rulebook.json lists the rule ids."
                )
            start = min(date.fromisoformat(p["from"]) for p in amendment.body["periods"])
            kept = [p for p in record["enforcement"] if date.fromisoformat(p["from"]) < start]
            record["enforcement"] = kept + list(amendment.body["periods"])
            touched.add("rulebook.json")
        elif amendment.kind == "rule":
            new = amendment.body["rule"]
            rulebook["rules"] = [r for r in rulebook["rules"] if r["id"] != new["id"]] + [new]
            touched.add("rulebook.json")
        else:
            change = amendment.body["change"]
            changes["changes"] = [c for c in changes["changes"] if c["id"] != change["id"]] + [change]
            touched.add("group-changes.json")
    for name, document in (("rulebook.json", rulebook), ("group-changes.json", changes)):
        if name in touched:
            out[name] = _dump(document)
    return out


def amendment_notes(amendments: Iterable[Amendment]) -> tuple[AmendmentNote, ...]:
    return tuple(
        AmendmentNote(id=a.id, kind=a.kind, target=a.target, text=a.attribution()) for a in amendments if a.in_force
    )


def dated_parameters(amendments: Iterable[Amendment]) -> tuple[DatedParameter, ...]:
    return tuple(
        DatedParameter(id=a.id, pointer=a.target, value=a.body.get("value"), effective=a.effective)
        for a in amendments
        if a.in_force and a.kind == "parameter"
    )


_variants: dict[tuple[int, tuple[str, ...]], tuple[RuleData, RuleData]] = {}
_variants_lock = threading.Lock()


def data_on(data: RuleData, day: date) -> RuleData:
    """``data`` with the parameter amendments effective on ``day`` applied (cached per set)."""
    due = tuple(p for p in data.parameters if p.effective <= day)
    if not due:
        return data
    key = (id(data), tuple(p.id for p in due))
    with _variants_lock:
        hit = _variants.get(key)
        if hit is not None and hit[0] is data:
            return hit[1]
    advanced = data.advanced.model_dump(mode="json", by_alias=True)
    for parameter in due:
        _set_pointer(advanced, parameter.pointer, parameter.value)
    try:
        patched = AdvancedComputingFile.model_validate(advanced)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        raise AmendmentError(
            "A parameter amendment makes advanced-computing.json invalid at"
            f" {_json_path(first['loc'])}: {first['msg']}."
        ) from None
    variant = data.model_copy(update={"advanced": patched, "digest": f"{data.digest}+{len(due)}p"})
    with _variants_lock:
        if len(_variants) > 32:
            _variants.clear()
        _variants[key] = (data, variant)
    return variant


def uses_amendment(amendment: Amendment, rules_consulted: set[str], countries_consulted: set[str]) -> bool:
    """Whether a finding built from these rules and countries relied on ``amendment``."""
    if amendment.kind in {"lifecycle", "rule"}:
        return amendment.target in rules_consulted
    if amendment.kind == "group_change":
        return amendment.target in countries_consulted
    return "advanced" in rules_consulted
