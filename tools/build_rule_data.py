"""Regenerate the eCFR-derived rule data in ``resources/rules`` from the shared eCFR parse.

    .venv/bin/python tools/build_rule_data.py [--source DIR] [--out DIR]

The transform itself is ``workbench.rules.ecfr_build`` (also behind ``workbench-cli rules build``,
which turns the same output and a rulebook into a signed rule pack).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.rules.ecfr_build import build_all, render

DEFAULT_SOURCE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecfr"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "resources" / "rules"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        print(f"build_rule_data: source folder {args.source} not found", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in build_all(args.source).items():
        (args.out / name).write_text(render(data), encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
