"""Shows the restricted-party list entry behind a hit, and who decided the hit and when.

The officer judges a hit against the whole entry (every name, addresses, programmes, the
Federal Register notice, the licence requirement and review policy), so the panel shows all
that the stored list entry carries, with the name that matched marked.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from workbench.domain.screening import ListEntry
from workbench.domain.screening_records import StoredHit

DECISION_WORDS = {"true_match": "True match", "false_positive": "False positive"}


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "".join(
        f"<tr><td style='padding-right:10px;vertical-align:top'><b>{escape(label)}</b></td><td>{value}</td></tr>"
        for label, value in pairs
        if value
    )


def decision_text(hit: StoredHit) -> str:
    """``True match — reason (officer, 2026-12-03 09:12 UTC)``, or that it is still open."""
    decision = hit.disposition
    if decision is None:
        return "Not decided yet: mark it a true match or a false positive, with a reason."
    word = DECISION_WORDS.get(decision.decision.value, decision.decision.value)
    return f"{word}, decided by {decision.officer} on {decision.decided_at:%Y-%m-%d %H:%M} UTC: {decision.reason}"


def entry_html(hit: StoredHit, entry: ListEntry | None) -> str:
    """The entry's facts as a small table; the matched name is in bold."""
    decided = f"<p><b>Decision:</b> {escape(decision_text(hit))}</p>"
    if entry is None:
        return (
            f"<p><b>{escape(hit.entry_name)}</b> ({escape(hit.source_code)} entry {escape(hit.entry_id)})</p>"
            "<p>The list version this hit came from no longer holds the entry; rescreen the parties to see "
            "the entry as currently listed.</p>" + decided
        )
    names = "<br>".join(
        f"<b>{escape(name)}</b> (matched)" if name == hit.matched_name else escape(name) for name in entry.names
    )
    url = entry.source_list_url
    link = f"<a href='{escape(url, quote=True)}'>{escape(url)}</a>" if url.startswith(("https://", "http://")) else url
    pairs = [
        ("List", escape(f"{entry.source} ({entry.source_code}), entry {entry.entry_id}")),
        ("Type", escape(entry.entry_type.value if entry.entry_type else "")),
        ("Names", names),
        ("Addresses", "<br>".join(escape(a) for a in entry.addresses)),
        ("Countries", escape(", ".join(entry.countries))),
        ("Programmes", escape(", ".join(entry.programs))),
        ("Federal Register", escape(entry.federal_register_notice)),
        ("Licence requirement", escape(entry.license_requirement)),
        ("Review policy", escape(entry.license_policy)),
        ("Remarks", escape(entry.remarks)),
        ("List URL", link),
    ]
    return f"<table>{_rows(pairs)}</table>{decided}"


class ListEntryView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)

    def show_entry(self, hit: StoredHit, entry: ListEntry | None) -> None:
        self.setHtml(entry_html(hit, entry))

    def clear_entry(self, text: str) -> None:
        self.setPlainText(text)
