"""Turn a pair score into an explanation: per-token alignment, contributions, penalties, text."""

from __future__ import annotations

from typing import Any

from workbench.domain.screening import Explanation, MatchKind, MatchToken, Penalty
from workbench.screening import scoring
from workbench.screening.pairing import WeightedName
from workbench.screening.scoring import PairScore


def build_explanation(
    q: WeightedName, c: WeightedName, result: PairScore, country_adjustment: float = 0.0, country_note: str = ""
) -> Explanation:
    """Every query and listed token, aligned or not, with what it added to the name score."""
    a_q = scoring.ALPHA if result.coverage_query >= result.coverage_listed else 1 - scoring.ALPHA
    a_c = 1 - a_q
    tokens: list[MatchToken] = []
    used_q: set[int] = set()
    used_c: set[int] = set()
    for pair in result.pairs:
        wq = sum(q.weights[i] for i in pair.query)
        wc = sum(c.weights[j] for j in pair.listed)
        credit = scoring.credit_of(pair.similarity)
        contribution = credit * (a_q * wq / q.total + a_c * wc / c.total)
        tokens.append(
            MatchToken(
                query_token=" ".join(q.tokens[i].text for i in pair.query),
                listed_token=" ".join(c.tokens[j].text for j in pair.listed),
                how=pair.how,
                similarity=round(pair.similarity, 4),
                weight=round((wq + wc) / 2, 4),
                contribution=round(contribution, 4),
            )
        )
        used_q.update(pair.query)
        used_c.update(pair.listed)
    tokens.extend(
        MatchToken(t.text, "", None, 0.0, round(q.weights[i], 4), 0.0)
        for i, t in enumerate(q.tokens)
        if i not in used_q
    )
    tokens.extend(
        MatchToken("", t.text, None, 0.0, round(c.weights[j], 4), 0.0)
        for j, t in enumerate(c.tokens)
        if j not in used_c
    )
    penalties = list(result.penalties)
    if country_note:
        penalties.append(Penalty(country_note, round(-country_adjustment, 4)))
    return Explanation(
        notes=_notes(q, c, result),
        query_normalised=q.prepared.normalised,
        listed_normalised=c.prepared.normalised,
        tokens=tuple(tokens),
        penalties=tuple(penalties),
        name_score=round(result.score, 4),
        country_adjustment=round(country_adjustment, 4),
    )


def _notes(q: WeightedName, c: WeightedName, result: PairScore) -> tuple[str, ...]:
    """Which normalisation, romanisation or variant table produced the matches, and containment."""
    notes: dict[str, None] = {}
    for side, prepared in (("party name", q.prepared), ("listed name", c.prepared)):
        for note in prepared.notes:
            notes[f"{side}: {note}"] = None
    for pair in result.pairs:
        if pair.how is not MatchKind.VARIANT:
            continue
        origins = {q.tokens[i].origin for i in pair.query} | {c.tokens[j].origin for j in pair.listed}
        a = " ".join(q.tokens[i].text for i in pair.query)
        b = " ".join(c.tokens[j].text for j in pair.listed)
        notes[f"'{a}' ~ '{b}': {', '.join(sorted(o for o in origins if o))}"] = None
    notes.update(dict.fromkeys(result.notes))
    return tuple(notes)


def describe(explanation: Explanation) -> str:
    """One short paragraph for the officer: what matched, how, what did not, what was deducted."""
    parts: list[str] = []
    matched = sorted(explanation.matched, key=lambda t: -t.contribution)
    if matched:
        pieces = []
        for t in matched:
            how = t.how.value if t.how else ""
            same = t.query_token == t.listed_token
            pair = f"'{t.query_token}'" if same else f"'{t.query_token}' ~ '{t.listed_token}'"
            pieces.append(f"{pair} ({how}, +{t.contribution:.2f})")
        parts.append("Matched " + ", ".join(pieces) + ".")
    else:
        parts.append("No word of the name matched.")
    missing_q = [t.query_token for t in explanation.tokens if t.how is None and t.query_token]
    missing_c = [t.listed_token for t in explanation.tokens if t.how is None and t.listed_token]
    if missing_q:
        parts.append(f"Not on the list entry: {', '.join(repr(x) for x in missing_q)}.")
    if missing_c:
        parts.append(f"Not in the query: {', '.join(repr(x) for x in missing_c)}.")
    for penalty in explanation.penalties:
        sign = "-" if penalty.amount >= 0 else "+"
        parts.append(f"{penalty.reason[0].upper()}{penalty.reason[1:]} ({sign}{abs(penalty.amount):.2f}).")
    for note in explanation.notes:
        parts.append(f"{note[0].upper()}{note[1:]}.")
    total = max(0.0, min(1.0, explanation.name_score + explanation.country_adjustment))
    parts.append(f"Score {total:.2f}.")
    return " ".join(parts)


def explanation_to_dict(explanation: Explanation) -> dict[str, Any]:
    """JSON-ready form (CLI ``--json``, UI highlighting of the matched tokens)."""
    return {
        "text": describe(explanation),
        "query_normalised": explanation.query_normalised,
        "listed_normalised": explanation.listed_normalised,
        "name_score": explanation.name_score,
        "country_adjustment": explanation.country_adjustment,
        "tokens": [
            {
                "query_token": t.query_token,
                "listed_token": t.listed_token,
                "how": t.how.value if t.how else None,
                "similarity": t.similarity,
                "weight": t.weight,
                "contribution": t.contribution,
            }
            for t in explanation.tokens
        ],
        "penalties": [{"reason": p.reason, "amount": p.amount} for p in explanation.penalties],
        "notes": list(explanation.notes),
    }
