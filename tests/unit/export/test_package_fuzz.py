"""Fuzzing the package reader and the verifier: any bytes give a result or one refusal, never a crash or a pass."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import zipfile
import zlib
from collections.abc import Callable
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.export.sample import SIGNED_AT, demo_record, officer_key
from workbench.export import canonical, sealsheet
from workbench.export.keys import public_key_pem, raw_public_key
from workbench.export.package import Package, PackageRefused, read_package, write_package
from workbench.export.signing import (
    SIGNATURE_FORMAT,
    VerificationResult,
    signed_workbook_bytes,
    verify_workbook_bytes,
)

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def _genuine() -> bytes:
    return signed_workbook_bytes(demo_record(), officer_key(), "Jane Officer", SIGNED_AT)[0]


def _contents(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _refusal(call: Callable[[], object]) -> tuple[object, str | None]:
    """What ``call`` returned, or the one sentence it refused with."""
    try:
        return call(), None
    except PackageRefused as exc:
        return None, str(exc)


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_are_read_or_refused(data: bytes) -> None:
    _, refused = _refusal(lambda: read_package(data, "fuzz.xlsx"))
    assert refused is None or (refused.startswith("fuzz.xlsx: ") and "\n" not in refused)


@FUZZ
@given(st.lists(st.tuples(st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8}){0,2}\.xml", fullmatch=True), st.binary())))
def test_what_the_writer_writes_reads_back_exactly_and_cleanly(parts: list[tuple[str, bytes]]) -> None:
    unique = list(dict(parts[:6]).items())
    if not unique:
        return
    package, refused = _refusal(lambda: read_package(write_package(unique)))
    if refused is not None:
        assert "DTD" in refused or "expands" in refused
        return
    assert isinstance(package, Package)
    assert list(package.parts.items()) == unique and package.problems == []


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(min_value=0), st.sampled_from(["flip", "cut", "insert", "zero"]), st.binary(min_size=1)),
        min_size=1,
        max_size=3,
    )
)
def test_a_mutated_signed_workbook_never_passes_unless_every_part_is_unchanged(
    mutations: list[tuple[int, str, bytes]],
) -> None:
    original = _genuine()
    data = bytearray(original)
    for position, kind, payload in mutations:
        at = position % len(data)
        if kind == "flip":
            data[at] ^= payload[0] or 1
        elif kind == "cut":
            del data[at : at + len(payload)]
        elif kind == "insert":
            data[at:at] = payload
        else:
            data[at : at + len(payload)] = bytes(len(payload[: len(data) - at]))
    pem = public_key_pem(officer_key().public_key())
    result, refused = _refusal(lambda: verify_workbook_bytes(bytes(data), pem, "fuzz.xlsx"))
    if refused is not None:
        assert refused.startswith("fuzz.xlsx: ") and "\n" not in refused
        return
    assert isinstance(result, VerificationResult)
    if result.status == "intact":
        assert _contents(bytes(data)) == _contents(original)
    assert result.message.startswith("fuzz.xlsx: ")


@FUZZ
@given(st.text(max_size=2000))
def test_the_seal_parser_reads_or_rejects_any_text(text: str) -> None:
    try:
        seal = sealsheet.parse(text.encode("utf-8", "surrogatepass"))
    except sealsheet.SealError:
        return
    assert seal.chunks


def test_headers_cut_short_are_refused() -> None:
    data = _genuine()
    end = data.rindex(b"PK\x05\x06")
    for cut in (b"PK\x05\x06\x00", data[: data.index(b"PK\x01\x02") + 10] + data[end:]):
        _, refused = _refusal(lambda: read_package(cut, "cut.xlsx"))  # noqa: B023
        assert refused is not None and refused.startswith("cut.xlsx: ")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=9),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["v", "fmt", "name", "rows"]), inner),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets=_JSON, package=_JSON, determination=_JSON)
def test_a_payload_crafted_and_signed_by_anyone_gives_a_verdict_not_a_crash(
    sheets: object, package: object, determination: object
) -> None:
    """A forger signs whatever claims they like with their own key; verify must still answer in one sentence."""
    genuine = _genuine()
    parts = dict(read_package(genuine).parts)
    seal_name = "xl/worksheets/sheet8.xml"
    seal = sealsheet.parse(parts[seal_name])
    claims = json.loads(zlib.decompress(base64.b64decode("".join(seal.chunks))))
    claims.update(sheets=sheets, determination=determination)
    if isinstance(package, dict):
        claims["package"] = package
    key = officer_key(5)
    claims["signer"]["public_key"] = base64.b64encode(raw_public_key(key.public_key())).decode("ascii")
    payload = canonical.dumps(claims)
    forged_seal = dataclasses.replace(
        seal,
        signature_b64=base64.b64encode(key.sign(SIGNATURE_FORMAT.encode() + b"\n" + payload)).decode("ascii"),
        chunks=sealsheet.pack(base64.b64encode(zlib.compress(payload)).decode("ascii")),
    )
    parts[seal_name] = sealsheet.render(forged_seal)
    result, refused = _refusal(lambda: verify_workbook_bytes(write_package(list(parts.items())), None, "forged.xlsx"))
    assert refused is None or refused.startswith("forged.xlsx: ")
    if result is not None:
        assert isinstance(result, VerificationResult) and result.status in {"tampered", "unconfirmed"}
        assert result.message.startswith("forged.xlsx: ") and "\n" not in result.message
