"""Write the JSON Schemas of the case, licence and party file formats into resources/schemas/."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.export.casefile import json_schema
from workbench.export.partyfile import json_schema as party_schema
from workbench.export.productfile import json_schema as product_schema
from workbench.rules.amend import amendment_schema
from workbench.services.licences import json_schema as licence_schema

SCHEMAS = Path(__file__).resolve().parent.parent / "resources" / "schemas"
TARGET = SCHEMAS / "case-file-1.schema.json"
LICENCE_TARGET = SCHEMAS / "licence-1.schema.json"
AMENDMENT_TARGET = SCHEMAS / "amendment-1.schema.json"
PRODUCT_TARGET = SCHEMAS / "product-1.schema.json"
PARTY_TARGET = SCHEMAS / "party-1.schema.json"


def render() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def render_licence() -> str:
    return json.dumps(licence_schema(), indent=2, ensure_ascii=False) + "\n"


def render_amendment() -> str:
    return json.dumps(amendment_schema(), indent=2, ensure_ascii=False) + "\n"


def render_product() -> str:
    return json.dumps(product_schema(), indent=2, ensure_ascii=False) + "\n"


def render_party() -> str:
    return json.dumps(party_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    SCHEMAS.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    LICENCE_TARGET.write_text(render_licence(), encoding="utf-8")
    AMENDMENT_TARGET.write_text(render_amendment(), encoding="utf-8")
    PRODUCT_TARGET.write_text(render_product(), encoding="utf-8")
    PARTY_TARGET.write_text(render_party(), encoding="utf-8")
    print(f"wrote {TARGET}, {LICENCE_TARGET}, {AMENDMENT_TARGET}, {PRODUCT_TARGET} and {PARTY_TARGET}")


if __name__ == "__main__":
    main()
