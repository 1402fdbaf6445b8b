"""Draws a screening hit's explanation: the party's and the listed name's tokens side by side.

Matched pairs share a column and a colour that says how they matched (exact, phonetic,
fuzzy…); tokens without a partner are greyed. Under each pair is what it added to the
score, so the officer can see at a glance why a name scored as it did.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QWidget

from workbench.ui.models.rows import MUTED
from workbench.ui.palette import css

HOW_COLOURS: dict[str, tuple[str, str]] = {
    "exact": ("#dcfce7", "#166534"),
    "legal-form": ("#e0f2fe", "#075985"),
    "abbreviation": ("#dbeafe", "#1e40af"),
    "initial": ("#dbeafe", "#1e40af"),
    "concatenation": ("#dbeafe", "#1e40af"),
    "phonetic": ("#ede9fe", "#5b21b6"),
    "transliteration": ("#ede9fe", "#5b21b6"),
    "name-variant": ("#ede9fe", "#5b21b6"),
    "fuzzy": ("#fef3c7", "#92400e"),
}
"""How a pair matched -> (background, text colour)."""
UNMATCHED = ("#f3f4f6", "#6b7280")
_HOW_WORDS = {
    "exact": "same word",
    "legal-form": "same legal form",
    "abbreviation": "abbreviation",
    "initial": "initial",
    "concatenation": "joined words",
    "phonetic": "sounds alike",
    "transliteration": "transliteration",
    "name-variant": "name variant",
    "fuzzy": "similar spelling",
}


def _token(text: str, colours: tuple[str, str], *, strike: bool = False) -> str:
    background, colour = colours
    body = escape(text) if text else "&nbsp;"
    style = f"background-color:{background}; color:{colour}; font-weight:600;"
    if strike:
        style += " font-style:italic; font-weight:400;"
    return f'<td align="center" style="{style} padding:4px 8px;">{body}</td>'


def explanation_html(explanation: dict[str, Any], party_name: str = "", listed_name: str = "") -> str:
    """The explanation dict (``explanation_to_dict``) as HTML for a ``QTextBrowser``."""
    tokens = list(explanation.get("tokens", []))
    if not tokens:
        return "<p>No explanation was stored for this hit; rescreen the case to compute one.</p>"
    matched = [t for t in tokens if t.get("how")]
    matched.sort(key=lambda t: -float(t.get("contribution", 0.0)))
    unmatched = [t for t in tokens if not t.get("how")]
    query_cells, listed_cells, score_cells = [], [], []
    for t in [*matched, *unmatched]:
        how = t.get("how")
        colours = HOW_COLOURS.get(how, UNMATCHED) if how else UNMATCHED
        query_cells.append(_token(t.get("query_token", ""), colours, strike=not how))
        listed_cells.append(_token(t.get("listed_token", ""), colours, strike=not how))
        if how:
            note = f"{_HOW_WORDS.get(how, how)}<br><b>+{float(t['contribution']):.2f}</b>"
            if how != "exact":
                note += f" <span style='color:{css(MUTED)}'>({float(t['similarity']):.0%} alike)</span>"
        else:
            note = f"<span style='color:{css(MUTED)}'>no partner</span>"
        score_cells.append(f'<td align="center" style="font-size:small; padding:2px 6px;">{note}</td>')
    label = f'style="color:{css(MUTED)}; padding-right:10px; white-space:nowrap;"'
    rows = (
        f"<tr><td {label}>Party name</td>{''.join(query_cells)}</tr>"
        f"<tr><td {label}>Listed name</td>{''.join(listed_cells)}</tr>"
        f"<tr><td></td>{''.join(score_cells)}</tr>"
    )
    parts = []
    if party_name or listed_name:
        parts.append(f"<p><b>{escape(party_name)}</b> &nbsp;compared with&nbsp; <b>{escape(listed_name)}</b></p>")
    parts.append(f'<table cellspacing="3" cellpadding="0">{rows}</table>')
    parts.append(_score_lines(explanation))
    parts.append(f"<p style='color:{css(MUTED)}'>{escape(str(explanation.get('text', '')))}</p>")
    return "".join(parts)


def _score_lines(explanation: dict[str, Any]) -> str:
    name_score = float(explanation.get("name_score", 0.0))
    adjustment = float(explanation.get("country_adjustment", 0.0))
    lines = [f"Name score <b>{name_score:.2f}</b>"]
    for penalty in explanation.get("penalties", []):
        amount = -float(penalty.get("amount", 0.0))
        sign = "+" if amount >= 0 else "−"
        lines.append(f"{escape(str(penalty.get('reason', '')))} <b>{sign}{abs(amount):.2f}</b>")
    total = max(0.0, min(1.0, name_score + adjustment))
    lines.append(f"Score <b>{total:.2f}</b>")
    return "<p>" + " &nbsp;·&nbsp; ".join(lines) + "</p>"


def legend_html() -> str:
    seen: dict[tuple[str, str], list[str]] = {}
    for how, colours in HOW_COLOURS.items():
        seen.setdefault(colours, []).append(_HOW_WORDS[how])
    seen.setdefault(UNMATCHED, []).append("not matched")
    chips = [
        f'<span style="background-color:{bg}; color:{fg};">&nbsp;{escape(" / ".join(words))}&nbsp;</span>'
        for (bg, fg), words in seen.items()
    ]
    return "<p style='font-size:small'>" + " &nbsp; ".join(chips) + "</p>"


class ExplanationView(QTextBrowser):
    """A read-only pane showing one hit's explanation (or a hint when no hit is selected)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.clear_explanation()

    def show_explanation(self, explanation: dict[str, Any], party_name: str = "", listed_name: str = "") -> None:
        self.setHtml(explanation_html(explanation, party_name, listed_name) + legend_html())

    def clear_explanation(self, hint: str = "Select a hit to see why the names matched.") -> None:
        self.setHtml(f"<p style='color:{css(MUTED)}'>{escape(hint)}</p>")
