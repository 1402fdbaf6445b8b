"""Write the JSON Schema of the case file format into resources/schemas/."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.export.casefile import json_schema

TARGET = Path(__file__).resolve().parent.parent / "resources" / "schemas" / "case-file-1.schema.json"


def render() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
