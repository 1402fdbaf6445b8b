"""Write ``resources/screening/known_names.json``: personal and place names of the SCOWL English word list.

    python tools/build_known_names.py [--dict /usr/share/dict/american-english]

The list is Debian's ``wamerican`` package (SCOWL, Kevin Atkinson; permissive licence, quoted in
``resources/screening/NOTICE.md``). Only its proper nouns are kept (capitalised, letters only,
three letters or more), folded as the screening normaliser folds them. The matcher uses them to
tell a name from a misspelling: "Hanson" is a surname of its own, not "Hansen" mistyped.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.screening.normalise import fold  # noqa: E402

OUT = ROOT / "resources" / "screening" / "known_names.json"
_PROPER = re.compile(r"^[A-Z][a-z]{2,}$")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dict", type=Path, default=Path("/usr/share/dict/american-english"))
    args = parser.parse_args(argv)
    words = args.dict.read_text(encoding="utf-8").split()
    names = sorted(n for n in {fold(w) for w in words if _PROPER.match(w)} if n and " " not in n)
    data = {
        "source": "proper nouns (personal and place names) of the SCOWL word list american-english, "
        "Debian package wamerican 2020.12.07 (Kevin Atkinson; licence in NOTICE.md)",
        "names": names,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(names)} names)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
