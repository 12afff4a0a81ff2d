"""Facts and series as tables: pandas DataFrames, and files written as Parquet, CSV or
JSONL by their suffix.

In Parquet a fact's ``values`` are a list of decimals and its ``sources`` a list of
structs (document, article, address, value, quote, offsets …), which DuckDB and pandas
read as they are; in CSV both are JSON text. Numbers stay exact: ``decimal128(38, 10)``
in Parquet, plain digits in CSV and JSONL. A file is written beside its path first and
moved into place when complete, so a failed run leaves no half-written table.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError, OutputError
from ..report.tables import PARQUET_PRECISION, PARQUET_SCALE, parquet_decimal, plain_digits

if TYPE_CHECKING:
    from .facts import Consolidation
    from .series import SeriesPoint

__all__ = [
    "FACT_COLUMNS",
    "SERIES_COLUMNS",
    "facts_frame",
    "series_frame",
    "write_facts",
    "write_series",
]

FACT_COLUMNS = [
    "place",
    "region",
    "region_code",
    "subject",
    "target",
    "category",
    "measure",
    "scope",
    "unit",
    "period",
    "period_start",
    "period_end",
    "as_of",
    "agreement",
    "value",
    "display",
    "qualifier",
    "values",
    "articles",
    "documents",
    "sources",
]
SERIES_COLUMNS = [
    "place",
    "region",
    "subject",
    "category",
    "measure",
    "scope",
    "unit",
    "period_start",
    "period_end",
    "value",
    "qualifier",
    "kind",
    "derived",
    "documents",
    "addresses",
]
_SOURCE_FIELDS = (
    "doc_id",
    "article",
    "address",
    "publish_date",
    "value",
    "display",
    "qualifier",
    "name",
    "quote",
    "start",
    "end",
)


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise ConfigurationError('tables need pandas: pip install "zsextract[tables]"') from None
    return pd


def facts_frame(result: Consolidation) -> Any:
    """One row per fact; ``values`` and ``sources`` hold lists (exact decimals)."""
    return _pandas().DataFrame(list(result.rows()), columns=FACT_COLUMNS)


def series_frame(points: Iterable[SeriesPoint]) -> Any:
    """One row per series point."""
    return _pandas().DataFrame([p.as_row() for p in points], columns=SERIES_COLUMNS)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain_digits(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def text_row(row: dict[str, Any], lists: tuple[str, ...] = ("values", "sources")) -> dict[str, Any]:
    """``row`` as text: lists as JSON, numbers as plain digits (CSV, the Ray path)."""
    out = dict(row)
    for column in lists:
        out[column] = json.dumps(out[column], ensure_ascii=False, default=_json_default)
    return {k: plain_digits(v) for k, v in out.items()}


def _fact_schema(pa: Any) -> Any:
    number = pa.decimal128(PARQUET_PRECISION, PARQUET_SCALE)
    text = pa.string()
    source = pa.struct(
        [
            (name, number if name == "value" else pa.int64() if name in ("start", "end") else text)
            for name in _SOURCE_FIELDS
        ]
    )
    types = {
        "target": pa.bool_(),
        "value": number,
        "values": pa.list_(number),
        "articles": pa.int64(),
        "documents": pa.int64(),
        "sources": pa.list_(source),
    }
    return pa.schema([(c, types.get(c, text)) for c in FACT_COLUMNS])


def _parquet_fact(row: dict[str, Any], path: Path) -> dict[str, Any]:
    if row["value"] is not None:
        row["value"] = parquet_decimal(row["value"], "value", path)
    row["values"] = [parquet_decimal(v, "values", path) for v in row["values"]]
    for source in row["sources"]:
        source["value"] = parquet_decimal(source["value"], "sources.value", path)
    return row


def write_facts(result: Consolidation, path: str | os.PathLike[str]) -> int:
    """Write one row per fact to ``path`` (.parquet, .csv, or .jsonl); return the count."""
    return _write(
        list(result.rows()),
        FACT_COLUMNS,
        Path(path),
        _fact_schema,
        _parquet_fact,
        ("values", "sources"),
    )


def write_series(points: Iterable[SeriesPoint], path: str | os.PathLike[str]) -> int:
    """Write one row per series point to ``path`` (.parquet, .csv, or .jsonl)."""
    rows = [p.as_row() for p in points]
    return _write(
        rows, SERIES_COLUMNS, Path(path), _series_schema, _parquet_point, ("documents", "addresses")
    )


def _parquet_point(row: dict[str, Any], path: Path) -> dict[str, Any]:
    row["value"] = parquet_decimal(row["value"], "value", path)
    return row


def _series_schema(pa: Any) -> Any:
    types = {
        "value": pa.decimal128(PARQUET_PRECISION, PARQUET_SCALE),
        "derived": pa.bool_(),
        "documents": pa.list_(pa.string()),
        "addresses": pa.list_(pa.string()),
    }
    return pa.schema([(c, types.get(c, pa.string())) for c in SERIES_COLUMNS])


def _write(
    rows: list[dict[str, Any]],
    columns: list[str],
    path: Path,
    schema: Callable[[Any], Any],
    for_parquet: Callable[[dict[str, Any], Path], dict[str, Any]],
    lists: tuple[str, ...],
) -> int:
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".csv", ".jsonl"):
        raise OutputError(
            "cannot tell the format from the suffix: name it .parquet, .csv or .jsonl",
            path=path,
        )
    partial = path.with_name(path.name + ".partial")
    try:
        if suffix == ".parquet":
            try:
                import pyarrow as pa
                import pyarrow.parquet as pq
            except ImportError:
                raise ConfigurationError(
                    'Parquet needs pyarrow: pip install "zsextract[tables]"'
                ) from None
            table = pa.Table.from_pylist([for_parquet(r, path) for r in rows], schema(pa))
            pq.write_table(table, partial)
        elif suffix == ".csv":
            with partial.open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=columns)
                writer.writeheader()
                for row in rows:
                    as_text = text_row(row, lists)
                    writer.writerow({k: as_text[k] for k in columns})
        else:
            with partial.open("w", encoding="utf-8") as f:
                for row in rows:
                    f.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
        os.replace(partial, path)
    except OutputError:
        partial.unlink(missing_ok=True)
        raise
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OutputError(f"cannot write the table ({exc.strerror or exc})", path=path) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return len(rows)
