"""Audit packs: the case, its determinations, workbooks, documents and audit entries, hash-listed."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.helpers.pdfs import text_pdf
from workbench.cli.main import main
from workbench.export.keys import generate_keypair
from workbench.services import open_workbench
from workbench.services.auditpack import build_pack, verify_pack
from workbench.services.cases import load_demo
from workbench.services.determinations import determine_and_sign
from workbench.services.documents import attach_document

PASS = b"correct horse battery staple"


def test_pack_contains_everything_and_detects_tampering(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = open_workbench(sqlite_url, officer="Alice Officer")
    load_demo(wb)
    pdf = tmp_path / "euc.pdf"
    pdf.write_bytes(text_pdf(["End-User Certificate", "Desert AI Labs FZ-LLC"]))
    attach_document(wb, "EC-2026-0046", pdf, "euc")
    keys = generate_keypair("Alice Officer", tmp_path, PASS, iterations=1000)
    determine_and_sign(
        wb,
        "EC-2026-0046",
        key_path=keys.private_key,
        passphrase=PASS,
        out=tmp_path / "det.xlsx",
        override_reason="Refusal documented for the file; nothing ships",
    )
    pack = tmp_path / "pack.zip"
    manifest = build_pack(wb, "EC-2026-0046", pack)
    names = set(manifest["files"])
    assert {"case.json", "determinations/r1.json", "audit.json", "data-versions.json"} <= names
    assert any(n.startswith("workbooks/r1-") for n in names)
    assert any(n.startswith("documents/01-") for n in names)
    assert manifest["missing"] == []
    assert verify_pack(pack)[0]
    audit = json.loads(zipfile.ZipFile(pack).read("audit.json"))
    assert {e["action"] for e in audit} >= {"create", "determine", "sign"}

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(
                item, data.replace(b"Alice Officer", b"Mallory Officer") if item.filename == "audit.json" else data
            )
    ok, message = verify_pack(tampered)
    assert not ok and "audit.json does not match" in message

    url = wb.database.url
    wb.close()
    assert main(["--db", url, "audit", "pack", "EC-2026-0046", "--out", str(tmp_path / "cli.zip")]) == 0
    assert main(["audit", "pack", "--verify", str(tmp_path / "cli.zip")]) == 0
    assert main(["audit", "pack", "--verify", str(tampered)]) == 3
    assert main(["audit", "pack", "--verify", str(pdf)]) == 2
    capsys.readouterr()
