"""The rule-pack repository on SQLite and PostgreSQL: versions, activation, amendments, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from workbench.domain.errors import DuplicateError, NotFoundError
from workbench.domain.rulepacks import Amendment
from workbench.export.keys import public_key_pem
from workbench.export.rulepack import build_pack
from workbench.rules.data import builtin_parts, rule_data
from workbench.services import open_workbench
from workbench.services import rules as service
from workbench.services.audit import verify_audit_chain


def test_packs_amendments_and_publishers_persist_with_an_intact_audit_chain(db_url: str, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "p.pub.pem"
    pem.write_bytes(public_key_pem(key.public_key(), "Publisher"))
    pack = tmp_path / "p2.wbrules"
    pack.write_bytes(
        build_pack(
            builtin_parts(),
            pack_version=2,
            publisher="Publisher",
            ecfr_issue_date="2026-07-23",
            rulebook_version="t",
            rulebook_research_date="2026-12",
            sources={},
            private_key=key,
            created_at=datetime(2026, 12, 1, tzinfo=UTC),
        )
    )
    wb = open_workbench(db_url, officer="A. Officer")
    try:
        service.trust_publisher(wb, pem)
        with pytest.raises(DuplicateError):
            service.trust_publisher(wb, pem)
        update = service.import_rule_pack(wb, pack, recheck=False)
        assert update.pack is not None and update.pack.version == 2
        assert [(v.version, v.active) for v in service.rule_versions(wb)] == [(1, False), (2, True)]
        assert rule_data().pack == "2"
        amendment = Amendment(
            id="uae-a5",
            kind="lifecycle",
            target="uae-a5-2026",
            effective=date(2026, 1, 15),
            source="hypothetical",
            reason="test",
            body={"periods": [{"status": "enforced", "from": "2026-01-15"}]},
        )
        service.record_amendment(wb, amendment, recheck=False)
        assert [a.id for a in service.amendments(wb)] == ["uae-a5"]
        assert rule_data().amendments[0].id == "uae-a5"
        service.withdraw_amendment(wb, "uae-a5", "superseded", recheck=False)
        assert service.amendments(wb) == []
        with pytest.raises(NotFoundError):
            service.withdraw_amendment(wb, "uae-a5", "again", recheck=False)
        service.activate_rule_pack(wb, 1, reason="roll back", recheck=False)
        assert rule_data().pack == "1"
        assert verify_audit_chain(wb).ok
    finally:
        wb.close()
    # Another process opening the same database gets the same rule state.
    wb = open_workbench(db_url)
    try:
        assert service.active_version(wb).version == 1
    finally:
        wb.close()
