"""JSON Schema files generated from the models (``zsextract schema --write schemas/``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .gold import GoldDoc
from .schema import PromotionReport

__all__ = ["json_schemas", "render_schema", "write_schemas"]


def json_schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema of what zsextract writes (reports) and reads (gold files)."""
    report = PromotionReport.model_json_schema(mode="serialization")
    report["$id"] = "https://zsextract.invalid/schemas/promotion_report.schema.json"
    gold = GoldDoc.model_json_schema(mode="validation", by_alias=True)
    gold["$id"] = "https://zsextract.invalid/schemas/gold.schema.json"
    return {"promotion_report.schema.json": report, "gold.schema.json": gold}


def render_schema(schema: dict[str, Any]) -> str:
    """The exact text written to a schema file."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path | str) -> list[Path]:
    """Write every schema into ``directory``; return the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = directory / name
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written
