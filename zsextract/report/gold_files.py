"""Gold files on disk: one file or a folder, in the gold format or as saved reports."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from ..errors import GoldFormatError
from .gold import GoldDoc
from .schema import PromotionReport

__all__ = ["load_gold", "load_gold_dir"]


def load_gold(path: Path | str) -> GoldDoc:
    """Read one gold-format file, or a saved ``PromotionReport`` JSON, as a :class:`GoldDoc`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise GoldFormatError(f"cannot read JSON ({exc})", path=path) from exc
    if isinstance(data, dict) and "source" in data and "doc" not in data:
        try:
            data = PromotionReport.model_validate(data).to_gold(doc=path.stem + ".txt")
        except ValidationError as exc:
            raise GoldFormatError(f"not a valid PromotionReport: {exc}", path=path) from exc
    if isinstance(data, dict) and not data.get("doc"):
        data["doc"] = path.stem + ".txt"
    try:
        return GoldDoc.model_validate(data)
    except ValidationError as exc:
        raise GoldFormatError(
            f"does not follow the gold format of GOLD.md: {exc.errors()[0]['loc']}: "
            f"{exc.errors()[0]['msg']}",
            path=path,
        ) from exc


def load_gold_dir(directory: Path | str) -> dict[str, GoldDoc]:
    """All ``*.json`` files of a folder, keyed by their stem (the article's name without .txt)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise GoldFormatError("is not a folder of gold JSON files", path=directory)
    docs = {p.stem: load_gold(p) for p in sorted(directory.glob("*.json"))}
    if not docs:
        raise GoldFormatError("holds no *.json files", path=directory)
    return docs
