"""Transform the shared eCFR JSON into the compact rule data the engine ships with.

The maintainer runs it through ``tools/build_rule_data.py`` (writes ``resources/rules``) or
``workbench-cli rules build`` (writes a signed rule pack):

    .venv/bin/python tools/build_rule_data.py [--source DIR] [--out DIR]

``--source`` is the folder holding ``country-groups.json``, ``country-chart.json``,
``ccl.json`` and ``license-exception-catalog.json`` (eCFR title 15, parsed by
github.com/seelpeed-debug/export-controls-agent-mcp); ``--out`` defaults to
``resources/rules``. The output is deterministic, so a test can rebuild it into a
temporary folder and compare it with the committed files.

What the transform does, and why:

* country names become ISO 3166 alpha-2 codes (the domain model's currency);
* the Country Chart keeps its 16 columns, the marks and footnotes per row, the
  embargoed rows that point to part 746, and the territories that take another row;
* each CCL entry keeps its heading, reasons for control, licence-exception flags and
  its "License Requirements" rows, each parsed into *which paragraphs* it applies to
  and *where* (a chart column, or the prose destination scope the entry states
  instead, or a pointer the engine must show for review);
* every file records its citation, source URL, eCFR issue date and generator.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pycountry

from workbench.rules.data import RuleDataError

GENERATOR = "tools/build_rule_data.py"
UPSTREAM = "github.com/seelpeed-debug/export-controls-agent-mcp (src/data), as copied to shared data/ecfr"

# Names the EAR tables spell differently from ISO 3166 (or misspell).
NAME_OVERRIDES: dict[str, str] = {
    "Bahamas, The": "BS",
    "The Bahamas": "BS",
    "Bosnia & Herzegovina": "BA",
    "Bosnia and Herzegovina": "BA",
    "Brunei": "BN",
    "Burma": "MM",
    "Cape Verde": "CV",
    "China": "CN",
    "China (PRC)": "CN",
    "Congo (Democratic Republic of the)": "CD",
    "Congo (Democratic Republic of)": "CD",
    "Congo (Republic of the)": "CG",
    "Cote d'Ivoire": "CI",
    "Cote d'lvoire": "CI",
    "Gambia, The": "GM",
    "Korea, North": "KP",
    "North Korea": "KP",
    "Korea, South": "KR",
    "Kosovo": "XK",
    "Laos": "LA",
    "Macau": "MO",
    "Micronesia (Federated State of)": "FM",
    "Micronesia, Federated States of": "FM",
    "Russia": "RU",
    "Saint Kitts & Nevis": "KN",
    "St. Kitts and Nevis": "KN",
    "Sao Tome & Principe": "ST",
    "Sao Tome and Principe": "ST",
    "Seycheles": "SC",
    "Sint Maarten (the Dutch two-fifths of the island of Saint Martin)": "SX",
    "South Sudan, Republic of": "SS",
    "St. Lucia": "LC",
    "St. Vincent and the Grenadines": "VC",
    "Saint Vincent and the Grenadines": "VC",
    "Trinidad & Tobago": "TT",
    "Vatican City": "VA",
    "Taiwan": "TW",
    "Iran": "IR",
    "Syria": "SY",
    "Vietnam": "VN",
    "Venezuela": "VE",
    "Bolivia": "BO",
    "Moldova": "MD",
    "Tanzania": "TZ",
    "Türkiye": "TR",
    "United States": "US",
    "United Kingdom": "GB",
    "Czech Republic": "CZ",
    "Iraq": "IQ",
    "Pakistan": "PK",
    "Canada": "CA",
    "United Arab Emirates": "AE",
}

COLUMN_REASONS = ("CB", "NP", "NS", "MT", "RS", "FC", "CC", "AT")

# Sections a "License Requirements" row may point to whose destinations are fixed by the EAR.
SECTION_DESTINATIONS: dict[str, tuple[str, ...]] = {
    "746.8": ("RU", "BY"),
    "746.5": ("RU", "BY"),
}


def country_code(name: str) -> str:
    """Map an EAR table name to ISO alpha-2, failing loudly on anything unknown."""
    name = name.strip()
    if name in NAME_OVERRIDES:
        return NAME_OVERRIDES[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        raise RuleDataError(
            f"build_rule_data: no ISO code for EAR country name {name!r}; add it to NAME_OVERRIDES"
        ) from None


def provenance(raw: dict[str, Any], dataset: str, derived_from: str) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "citation": raw["citation"],
        "source_url": raw["source"]["url"],
        "ecfr_issue_date": raw["ecfrIssueDate"],
        "retrieved_at": raw["retrievedAt"],
        "derived_from": f"{derived_from} from {UPSTREAM}",
        "generated_by": GENERATOR,
    }


# --- country groups ---------------------------------------------------------------------------


def build_country_groups(raw: dict[str, Any]) -> dict[str, Any]:
    groups = {group: sorted({country_code(name) for name in members}) for group, members in raw["groups"].items()}
    return {
        **provenance(raw, "country-groups", "country-groups.json"),
        "labels": raw["labels"],
        "notes": raw["notes"],
        "groups": dict(sorted(groups.items())),
    }


# --- country chart ----------------------------------------------------------------------------


def build_country_chart(raw: dict[str, Any]) -> dict[str, Any]:
    rows = {
        country_code(name): {"marks": row["marks"], "footnotes": row["footnotes"]}
        for name, row in raw["countries"].items()
    }
    embargoed = {
        country_code(name): {"pointer": row["pointer"], "footnotes": row["footnotes"]}
        for name, row in raw["embargoed"].items()
    }
    inherits = {
        country_code(name): {"row": country_code(spec["row"]), "basis": spec["basis"]}
        for name, spec in raw["territoryInheritance"].items()
        if country_code(name) not in rows or name.lower() != spec["row"].lower()
    }
    # A territory with its own row (Liechtenstein) keeps the row; the inheritance is still recorded.
    return {
        **provenance(raw, "country-chart", "country-chart.json"),
        "procedure": {
            "citation": raw["procedure"]["citation"],
            "no_mark_caveat": raw["procedure"]["noMarkCaveat"],
        },
        "columns": raw["columns"],
        "column_labels": {k: re.sub(r"(\w)- (\w)", r"\1-\2", v) for k, v in raw["columnLabels"].items()},
        "rows": dict(sorted(rows.items())),
        "embargoed": dict(sorted(embargoed.items())),
        "footnotes": raw["footnotes"],
        "inherits": dict(sorted(inherits.items())),
        "inherits_note": raw["territoryInheritanceNote"],
        "all_destinations": _all_destinations(raw["allDestinationsEntries"]),
    }


def _all_destinations(raw: dict[str, Any]) -> dict[str, Any]:
    """§738.3(a)(1) entries that need a licence everywhere; the chart does not apply to them."""
    entries: dict[str, str] = {}
    for text in raw["noLicenceExceptions"]:
        entries[text.split(" ", 1)[0]] = text
    for text in raw["govOnly"]["entries"]:
        entries.setdefault(text.split(" ", 1)[0], text)
    return {
        "citation": raw["citation"],
        "note": raw["note"],
        "entries": dict(sorted(entries.items())),
        "no_exceptions": sorted(t.split(" ", 1)[0] for t in raw["noLicenceExceptions"]),
        "gov_only": sorted(t.split(" ", 1)[0] for t in raw["govOnly"]["entries"]),
        "gov_only_condition": raw["govOnly"]["condition"],
        "licensing_policy": raw["licensingPolicy"],
    }


# --- Commerce Control List --------------------------------------------------------------------

_ECCN_REF = re.compile(r"\b(\d[A-E]\d{3})((?:\.[a-z0-9]{1,4})*)")
_SHORT = r"\.?[a-z](?:\.[a-z0-9]{1,3})*"
_SHORT_ONLY = re.compile(rf"^({_SHORT})$")
_SHORT_RANGE = re.compile(rf"^({_SHORT})\s+to\s+({_SHORT})$")
_SHORT_LEAD = re.compile(r"^\.?([a-z](?:\.[a-z0-9]{1,3})+)\b(?!\.\w)")
_GROUP = re.compile(r"\b([A-E]:\d)\b")
_SECTION = re.compile(r"§+\s*(\d{3}\.\d+)")
_NOT_REFS = {"e.g", "i.e"}


def _expand_range(head: str, first: str, last: str) -> list[str]:
    """Expand "a.1 to a.3" or "g to j" into the paragraphs between (inclusive)."""
    a, b = first.lstrip(".").split("."), last.lstrip(".").split(".")
    if len(a) != len(b) or a[:-1] != b[:-1]:
        return [f"{head}.{first.lstrip('.')}", f"{head}.{last.lstrip('.')}"]
    lo, hi = a[-1], b[-1]
    if lo.isdigit() and hi.isdigit():
        steps = [str(n) for n in range(int(lo), int(hi) + 1)]
    elif len(lo) == 1 and len(hi) == 1 and lo.isalpha() and hi.isalpha():
        steps = [chr(c) for c in range(ord(lo), ord(hi) + 1)]
    else:
        steps = [lo, hi]
    return [".".join([head, *a[:-1], step]) for step in steps]


def _paragraph_refs(text: str) -> tuple[list[str], bool]:
    """Paragraph references in a control text, with shorthand (", z.2.a", "g to j") expanded.

    Returns the references and whether any words other than references and connectives
    remain (a qualification such as "for civil telecommunications applications").
    """
    refs: list[str] = []
    extra = False
    current: str | None = None
    for chunk in re.split(r"[,;]|\band\b|\bor\b", text):
        chunk = chunk.strip().rstrip(".").strip()
        if not chunk:
            continue
        fulls = list(_ECCN_REF.finditer(chunk))
        if fulls:
            for m in fulls:
                current = m.group(1)
                refs.append(m.group(1) + m.group(2))
            rest = _ECCN_REF.sub(" ", chunk)
            rng = re.match(rf"^\s*to\s+({_SHORT})\s*$", rest)
            if rng and current is not None:
                refs.extend(_expand_range(current, refs.pop()[len(current) + 1 :], rng.group(1)))
                continue
            if re.sub(r"\b(paragraphs?|to|items?|commodities|controlled|by|in)\b|[()\s]", "", rest):
                extra = True
            continue
        if current is None:
            extra = True
            continue
        if (span := _SHORT_RANGE.match(chunk)) is not None:
            refs.extend(_expand_range(current, span.group(1), span.group(2)))
        elif (only := _SHORT_ONLY.match(chunk)) is not None and only.group(1).strip(".") not in _NOT_REFS:
            refs.append(f"{current}.{only.group(1).lstrip('.')}")
        elif (lead := _SHORT_LEAD.match(chunk)) is not None and lead.group(1) not in _NOT_REFS:
            refs.append(f"{current}.{lead.group(1)}")
            extra = True
        else:
            extra = True
    return list(dict.fromkeys(refs)), extra


def parse_control(control: str, head: str) -> dict[str, Any]:
    """Split "NS applies to 3A001.b.2 and b.3, except ..." into reason, paragraphs and qualification."""
    m = re.match(r"^\s*(?P<reason>[A-Z]{2})\s+appl(?:y|ies)\s*(?:to\s*)?(?P<what>.*)$", control, re.S)
    if m:
        reason, what = m.group("reason"), m.group("what").strip()
    elif control.lower().startswith("russian industry sector sanction"):
        reason, what = "RIS", re.sub(r"^.*?appl(?:y|ies)\s*(?:to\s*)?", "", control)
    else:
        reason, what = control.split(" ", 1)[0].upper()[:3], control
    what_clean = " ".join(what.split()).rstrip(".")
    parts = re.split(r"\b(except(?: for)?|other than)\b", what_clean, maxsplit=1)
    main, sep, after = (parts[0], parts[1], parts[2]) if len(parts) == 3 else (what_clean, "", "")
    except_paragraphs: list[str] = []
    qualified = False
    if sep and _ECCN_REF.match(after.strip()):
        excluded, extra_after = _paragraph_refs(after)
        except_paragraphs = [r for r in excluded if r == head or r.startswith(head + ".")]
        qualified = extra_after or len(except_paragraphs) != len(excluded)
    elif sep:
        qualified = True
    entire = bool(re.fullmatch(r"(the\s+)?entire entry|all items in this entry", main.strip(), re.I))
    refs, extra = ([], False) if entire else _paragraph_refs(main)
    own = [r for r in refs if r == head or r.startswith(head + ".")]
    qualified = qualified or (not entire and (extra or len(own) != len(refs)))
    if not entire and not own:
        entire = True  # the row qualifies the whole entry by reference to other items
    return {
        "reason": reason,
        "applies_to": what_clean,
        "entire": entire,
        "paragraphs": own,
        "except_paragraphs": except_paragraphs,
        "qualified": qualified,
    }


def _names_in(text: str, names: dict[str, str]) -> list[str]:
    found = []
    for name, code in names.items():
        if re.search(r"\b" + re.escape(name) + r"\b", text):
            found.append(code)
    return sorted(set(found))


def parse_scope(text: str, reason: str, names: dict[str, str]) -> dict[str, Any]:
    """Where a "License Requirements" row requires a licence: a chart column or a stated scope."""
    clean = " ".join(text.split())
    columns = re.findall(r"(?:\b(CB|NP|NS|MT|RS|FC|CC|AT)\s+)?Column\s+(\d)", clean)
    if columns and not clean.lower().startswith(("to or within", "a license is required")):
        cols = [f"{r or reason} {n}" for r, n in columns]
        return {"kind": "column", "columns": list(dict.fromkeys(cols))}
    low = clean.lower()
    if "746.1" in clean and "un controls" in low:
        return {"kind": "chart-footnote", "footnote": "1"}
    sections = _SECTION.findall(clean)
    head_text, _, excluding = clean.partition("excluding")
    groups = sorted(set(_GROUP.findall(head_text)))
    exclude_groups = sorted(set(_GROUP.findall(excluding)))
    worldwide = bool(re.search(r"worldwide|\ball destinations\b", low))
    countries = _names_in(head_text, names)
    exclude_countries: list[str] = []
    except_match = re.search(r"\bexcept\s+([A-Z][A-Za-z ]+?)(?:,|\s+regardless|$)", head_text)
    if worldwide and except_match:
        exclude_countries = _names_in(except_match.group(1), names)
        countries = [c for c in countries if c not in exclude_countries]
    if not (worldwide or groups or countries):
        for section in sections:
            if section in SECTION_DESTINATIONS:
                countries = sorted(set(countries) | set(SECTION_DESTINATIONS[section]))
    if worldwide or groups or countries:
        return {
            "kind": "destinations",
            "worldwide": worldwide,
            "groups": groups,
            "countries": countries,
            "exclude_groups": exclude_groups,
            "exclude_countries": exclude_countries,
        }
    return {"kind": "refer"}


def parse_exception_flag(text: str, head: str) -> dict[str, Any]:
    """ "Yes, for 3A090.a." -> eligible paragraphs; "Yes" alone covers the entry; anything else is no."""
    clean = " ".join(text.split())
    yes = clean.lower().startswith("yes")
    refs, extra = _paragraph_refs(re.sub(r"^yes,?\s*(for\s*)?", "", clean, flags=re.I)) if yes else ([], False)
    own = [r for r in refs if r == head or r.startswith(head + ".")]
    return {"text": clean, "yes": yes, "paragraphs": own, "qualified": yes and (extra or len(own) != len(refs))}


def build_ccl(raw: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for entry in raw["entries"]:
        head = entry["eccn"]
        controls = []
        for row in entry["countryChart"]:
            control = parse_control(row["control"], head)
            scope = parse_scope(row["countryChart"], control["reason"], names)
            controls.append({**control, "scope": scope, "text": " ".join(row["countryChart"].split())})
        reasons = [r.strip() for r in re.split(r"[,;]", entry["reasonForControl"] or "") if r.strip()]
        entries[head] = {
            "heading": " ".join(entry["heading"].split()),
            "reasons": reasons,
            "controls": controls,
            "exceptions": {
                symbol: parse_exception_flag(text, head)
                for symbol, text in sorted((entry["licenceExceptionFlags"] or {}).items())
            },
            # The item paragraphs ("a", "a.1", "z.1"), where the source captured them (its deepCategories):
            # an ECCN typed with a paragraph is checked against these; empty means "not known, not checked".
            "paragraphs": sorted(
                {str(i["paragraph"]) for i in entry.get("items") or [] if i.get("kind") == "item" and i["paragraph"]}
            ),
        }
    return {
        **provenance(raw, "ccl", "ccl.json"),
        "note": "Codified text: it still contains the AI Diffusion rule's wording (e.g. 3A090.a 'to or within "
        "any destination worldwide'), which BIS announced on 2025-05-13 it would not enforce.",
        "entries": dict(sorted(entries.items())),
    }


def build_exceptions(raw: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for exc in raw["exceptions"]:
        for symbol in exc["symbols"]:
            out[symbol] = {
                "section": exc["sectionNumber"],
                "citation": f"15 CFR {exc['sectionNumber']}",
                "title": exc["title"],
            }
    return {**provenance(raw, "license-exceptions", "license-exception-catalog.json"), "exceptions": out}


def country_name_index(groups_raw: dict[str, Any], chart_raw: dict[str, Any]) -> dict[str, str]:
    """Names that may appear in prose scopes, mapped to ISO codes (longest names first)."""
    names: set[str] = set()
    for members in groups_raw["groups"].values():
        names |= set(members)
    names |= set(chart_raw["countries"]) | set(chart_raw["embargoed"])
    index = {n: country_code(n) for n in names}
    index.update({"North Korea": "KP", "China": "CN", "Russia": "RU"})
    index.pop("Georgia", None)  # "Georgia" is not mentioned in scopes; avoid matching US usage
    return dict(sorted(index.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def build_all(source: Path) -> dict[str, dict[str, Any]]:
    def load(name: str) -> dict[str, Any]:
        with (source / name).open(encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
        return data

    groups_raw = load("country-groups.json")
    chart_raw = load("country-chart.json")
    names = country_name_index(groups_raw, chart_raw)
    return {
        "country-groups.json": build_country_groups(groups_raw),
        "country-chart.json": build_country_chart(chart_raw),
        "ccl.json": build_ccl(load("ccl.json"), names),
        "license-exceptions.json": build_exceptions(load("license-exception-catalog.json")),
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
