"""Build the screening engine's name data in ``resources/screening/`` from ``../shared/data``.

Run from the repository root:  ``python tools/build_name_data.py [--shared ../shared]``

Writes
- ``name_data.json``: legal forms (from OpenSanctions rigour ``org_types.yml``, MIT), name prefixes
  (from rigour ``stopwords.yml``) and the project's own trade-abbreviation table;
- ``token_stats.json``: how many entries of the shipped CSL snapshot contain each normalised token,
  the background rarity used when scoring a pair of names without a list at hand.

The runtime never reads ``../shared``; re-run this script when the vocabulary or snapshot changes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "screening"

# Trade-document abbreviations and word variants -> one canonical word. The project's own table,
# compiled from the abbreviations customers use on trade documents (see the screening reference,
# nomenklatura #274/#245) and common English inflections of generic company words.
ABBREVIATIONS: dict[str, list[str]] = {
    "technology": ["tech", "techn", "technol", "techs", "technologies", "technological", "tecnologia",
                   "technologie", "tekhnologii", "tekhnologiya", "tekhnologiy"],
    "international": ["intl", "intnl", "internatl", "internat", "interntl", "internacional",
                      "international", "internationale", "internationaal", "mezhdunarodnyy"],
    "group": ["grp", "grupo", "gruppe", "groupe", "gruppa", "groups"],
    "service": ["svc", "svcs", "srv", "srvc", "srvcs", "srvces", "serv", "servs", "services", "servicios",
                "servicos", "svces"],
    "manufacturing": ["mfg", "mfr", "mfrs", "manuf", "manufacture", "manufacturer", "manufacturers",
                      "manufactory"],
    "industry": ["ind", "inds", "indus", "industries", "industrial", "industria", "industrie",
                 "industriya"],
    "engineering": ["engg", "engr", "engrg", "engineers", "engineer"],
    "electronics": ["elec", "electr", "electronic", "elektronik", "elektronika", "electronica"],
    "equipment": ["equip", "eqpt", "equipments"],
    "communication": ["comm", "comms", "commun", "communications", "telecommunication",
                      "telecommunications", "telecom", "telecoms"],
    "trading": ["trdg", "trade", "trades", "trader", "traders"],
    "development": ["dev", "devel", "developments"],
    "management": ["mgmt", "mgt", "mngt"],
    "association": ["assn", "assoc", "associates", "associated"],
    "brothers": ["bros", "bro"],
    "import": ["imp", "imports", "importer", "importers"],
    "export": ["exp", "exports", "exporter", "exporters"],
    "holding": ["hldg", "hldgs", "holdings"],
    "investment": ["inv", "invest", "invt", "investments"],
    "national": ["natl", "nacional", "nationale"],
    "university": ["univ", "uni", "universitet", "universidad", "universite"],
    "institute": ["inst", "institut", "instituto", "institution"],
    "laboratory": ["lab", "labs", "laboratories", "laboratoriya"],
    "research": ["rsch", "researches"],
    "science": ["sci", "sciences", "scientific", "nauchnyy"],
    "system": ["sys", "syst", "systems"],
    "logistics": ["logistic", "logist"],
    "shipping": ["shpg", "shipping"],
    "petroleum": ["petrol"],
    "chemical": ["chem", "chemicals", "khimicheskiy"],
    "enterprise": ["entp", "enterprises"],
    "product": ["prod", "prods", "products"],
    "solution": ["soln", "solns", "solutions"],
    "machinery": ["mach", "mchy", "machine", "machines"],
    "material": ["matl", "matls", "materials"],
    "aviation": ["avn", "aviatsiya"],
    "aerospace": ["aero"],
    "construction": ["constr", "const", "constructions"],
    "distribution": ["distr", "distrib", "distributor", "distributors", "distributions"],
    "general": ["genl"],
    "limited": ["lim"],
    "american": ["amer"],
    "department": ["dept", "dep"],
    "center": ["ctr", "centre", "tsentr", "centro", "centers", "centres"],
    "factory": ["fcty", "factories", "zavod"],
    "plant": ["plants"],
    "bank": ["bk", "banco", "banque", "banks"],
    "energy": ["energie", "energia", "energies"],
    "saint": ["st", "ste", "sankt"],
    "first": ["1st"],
    "second": ["2nd"],
    "third": ["3rd"],
}

# Words that carry no identity in a name (articles, connectors, name particles).
STOPWORDS = sorted({
    "and", "of", "the", "for", "in", "on", "at", "to", "a", "an", "y", "e", "et", "und", "de", "del", "della",
    "des", "du", "da", "do", "dos", "das", "der", "die", "den", "la", "le", "les", "los", "van", "von", "al",
    "el", "bin", "ibn", "ben", "bint", "binti", "s", "po", "na", "im", "imeni",
})

# Short legal-form aliases that are also common name parts: never read them as legal forms.
LEGAL_FORM_EXCLUDE = {"yu", "is", "ll", "lc", "pr", "ps", "es", "en", "ee", "ei", "et", "ek", "ab", "de", "bt",
                      "ay", "ka", "eg", "an", "in", "ug", "ks", "kb",
                      # A German stille Gesellschaft trades under its partner's name, never its own
                      # (HGB 230): "StG" in a name is a word of it ("OOO 'STG-EKO'").
                      "stg"}


# Business vocabulary that says what a company does, not who it is: never enough for a hit.
GENERIC_WORDS = sorted({
    "trading", "technology", "international", "group", "industry", "service", "engineering", "research",
    "institute", "science", "center", "plant", "factory", "production", "investment", "development",
    "management", "holding", "aviation", "system", "equipment", "energy", "marine", "logistics", "global",
    "national", "state", "general", "commercial", "information", "solution", "new", "star", "design", "bureau",
    "enterprise", "association", "academy", "machinery", "electronics", "communication", "shipping", "import",
    "export", "bank", "oil", "gas", "petroleum", "petrochemical", "chemical", "construction", "federal",
    "central", "united", "scientific", "industrial", "organization", "organisation", "agency",
    "office", "branch", "network", "software", "hardware", "digital", "data", "computer", "computing",
    "cloud", "semiconductor", "microelectronics", "electric", "electrical", "electro", "power", "mining",
    "metal", "metals", "steel", "materials", "material", "product", "supply", "supplies", "trade", "commerce",
    "business", "partners", "consulting", "capital", "finance", "financial", "insurance", "securities",
    "fund", "trust", "resources", "transport", "airlines", "airline", "air", "sea", "port", "line", "lines",
    "navigation", "ship", "tanker", "tankers", "cargo", "freight", "express", "motor", "motors", "auto",
    "automotive", "tools", "tool", "parts", "components", "devices", "device", "instruments", "instrument",
    "precision", "optical", "optics", "laser", "photonics", "telecom", "media", "security", "defense",
    "defence", "military", "space", "aerospace", "rocket", "missile", "nuclear", "university", "college",
    "school", "laboratory", "hospital", "medical", "pharmaceutical", "pharma", "health", "foundation",
    "society", "council", "committee", "ministry", "department", "authority", "administration", "union",
    "cooperative", "brothers", "sons", "family", "world", "asia", "pacific", "euro", "europe", "middle", "east",
    "west", "north", "south", "far", "gulf", "overseas", "foreign", "universal", "first", "second", "third",
    "golden", "gold", "green", "red", "blue", "sun", "sky", "ocean", "river", "mountain", "great",
    "royal", "modern", "advanced", "smart", "high", "hi", "tech", "intelligent", "innovation", "innovative",
    "applied", "creative", "unique", "best", "top", "prime", "premier", "elite", "eagle", "dragon", "lion",
    "city", "province", "region", "republic", "people", "peoples", "democratic", "islamic", "russian",
    "chinese", "iranian", "syrian", "korean", "arab", "emirates", "nauchno", "proizvodstvennoe",
    "obedinenie", "predpriyatie", "tsentr", "zavod", "sanayi", "ticaret", "ve", "dis", "limited", "llc",
    "named", "after", "filial", "representative", "affiliate", "subsidiary", "division",
})


def _cities(subset: Path) -> set[str]:
    """Words of city and region names that recur in the CSL's own addresses (2023 subset)."""
    import csv
    import re

    counts: Counter[str] = Counter()
    with subset.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for address in (row.get("addresses") or "").split("; "):
                parts = [p.strip() for p in address.split(",") if p.strip()][:-1]
                while parts and re.search(r"\d", parts[-1]):
                    parts.pop()
                if parts and len(parts[-1].split()) <= 2:
                    counts[parts[-1]] += 1
    return {city for city, n in counts.items() if n >= 2}


def _countries() -> set[str]:
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value)
    return names


def _legal_forms(org_types: Path) -> list[dict[str, Any]]:
    types = yaml.safe_load(org_types.read_text(encoding="utf-8"))["types"]
    forms: list[dict[str, Any]] = []
    for item in types:
        display = item.get("display")
        compare = item.get("compare")
        generic = item.get("generic")
        canonical = generic or compare or display
        if not canonical:
            continue
        aliases = {str(a) for a in item.get("aliases", [])}
        aliases.update(str(x) for x in (display, compare) if x)
        forms.append(
            {
                "canonical": str(canonical).upper(),
                "display": str(display or compare or canonical),
                "aliases": sorted(a for a in aliases if a.strip()),
            }
        )
    # The CSL's own spellings the vocabulary lacks.
    forms.append({"canonical": "LLC", "display": "Co Ltd",
                  "aliases": ["company limited", "co limited", "company ltd", "co ltd", "co. ltd", "pvt ltd",
                              "private limited", "private limited company", "pte ltd", "sdn bhd", "ltda"]})
    forms.append({"canonical": "JSC", "display": "JSC",
                  "aliases": ["joint stock company", "open joint stock company", "closed joint stock company",
                              "ojsc", "cjsc", "pjsc", "pao", "oao", "zao", "jsc", "joint-stock company",
                              "public joint stock company", "sa", "s.a.", "ao", "nao"]})
    # Spanish register abbreviations (Ley de Sociedades de Capital, Ley de Cooperativas) rigour lacks.
    forms.append({"canonical": "LP", "display": "S.Com.",
                  "aliases": ["s.com.", "s. com.", "s.com", "s. en com.", "s.c.p."]})
    forms.append({"canonical": "COOP", "display": "S.Coop.",
                  "aliases": ["s.coop.", "s. coop.", "s.coop", "s.coop.and.", "s.coop.mad."]})
    # Vietnamese designations (Luật Doanh nghiệp 2020 and the usual trade names) rigour lacks: a group
    # or general corporation, and a cooperative (Luật Hợp tác xã).
    forms.append({"canonical": "CORPORATION", "display": "Tập đoàn",
                  "aliases": ["tập đoàn", "tap doan", "tổng công ty", "tong cong ty"]})
    forms.append({"canonical": "COOP", "display": "HTX",
                  "aliases": ["hợp tác xã", "hop tac xa", "htx"]})
    forms.append({"canonical": "CORPORATION", "display": "Corp.",
                  "aliases": ["corporation", "corp", "corpn", "corporacion", "korporatsiya", "corporations"]})
    forms.append({"canonical": "COMPANY", "display": "Co.",
                  "aliases": ["company", "co", "comp", "cmpy", "cpy", "compagnie", "cie", "compania", "companhia",
                              "companies", "kompaniya"]})
    return forms


def _prefixes(stopwords: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(stopwords.read_text(encoding="utf-8"))
    return {
        "person_prefixes": sorted({str(x) for x in data.get("PERSON_NAME_PREFIXES", [])}),
        "org_prefixes": sorted({str(x) for x in data.get("ORG_NAME_PREFIXES", [])}),
        "object_prefixes": sorted({str(x) for x in data.get("OBJ_NAME_PREFIXES", [])}),
    }


def _token_stats(snapshot: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from workbench.screening import normalise as names_module
    from workbench.screening.parsers import parse_list

    names_module.reload_name_data()
    parsed = parse_list(snapshot)
    df: Counter[str] = Counter()
    for entry in parsed.entries:
        tokens: set[str] = set()
        for name in entry.names:
            tokens.update(t.key for t in names_module.prepare(name).tokens)
        df.update(tokens)
    return {"entries": len(parsed.entries), "source": snapshot.name,
            "df": dict(sorted((t, n) for t, n in df.items() if n >= 2))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    names_dir = args.shared / "data" / "names"
    OUT.mkdir(parents=True, exist_ok=True)
    data = {
        "legal_forms": _legal_forms(names_dir / "org_types.yml"),
        "legal_form_exclude": sorted(LEGAL_FORM_EXCLUDE),
        "abbreviations": ABBREVIATIONS,
        "stopwords": STOPWORDS,
        "generic_words": GENERIC_WORDS,
        "place_names": sorted(_cities(args.shared / "data" / "csl" / "consolidated-2023-11-subset.csv")
                              | _countries()),
        **_prefixes(names_dir / "stopwords.yml"),
    }
    (OUT / "name_data.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    snapshot = ROOT / "resources" / "lists" / "consolidated-2026-07-31.csv.gz"
    if not snapshot.exists():
        source = args.shared / "data" / "csl" / "consolidated-2026-07-31.csv"
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        with gzip.GzipFile(snapshot, "wb", compresslevel=9, mtime=0) as out:
            out.write(source.read_bytes())
    stats = _token_stats(snapshot)
    (OUT / "token_stats.json").write_text(json.dumps(stats, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT / 'name_data.json'} and token_stats.json ({len(stats['df'])} tokens)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
