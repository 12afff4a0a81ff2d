"""Long tables of reports: one row per metric, mechanism, timeline stage and project,
and one per check the report raised (``part == "check"``: ``name`` is its kind,
``items`` the items involved as ``metrics[3] metrics[5]``, ``message`` what disagrees).

``to_rows`` needs nothing; ``to_frame`` needs pandas and Parquet needs pyarrow
(``pip install "zsextract[tables]"``). Inputs: reports, batch results, the JSONL a
batch run wrote (its path, or its parsed lines); in a JSONL the last line of an id wins.

Numbers stay exact: ``value``, ``low``, ``high``, ``months`` and ``every_months`` are
:class:`~decimal.Decimal` in rows and DataFrames (``.astype(float)`` for plotting),
their plain digits in CSV, and ``decimal128(38, 10)`` in Parquet (DuckDB reads it as
DECIMAL(38,10)); ``display`` holds the quantity as people write it (484.5亿元).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError, OutputError
from .display import display_number
from .parts import PARTS, ROW_COLUMNS
from .schema import PromotionReport

__all__ = ["CHECK_COLUMNS", "COLUMNS", "NUMBER_COLUMNS", "to_frame", "to_rows", "write_table"]

#: the columns of a check's row (besides ``name``, its kind)
CHECK_COLUMNS = ("items", "message")

#: the long table's columns: the document's, the part, every row column of the parts,
#: then the check's
COLUMNS = ["doc_id", "region", "report_period", "part", *ROW_COLUMNS, *CHECK_COLUMNS]

ReportsLike = Iterable[Any] | str | Path


def iter_reports(items: ReportsLike) -> Iterator[tuple[str, PromotionReport]]:
    """``(document id, report)`` of reports, ``(id, report)`` pairs, batch results,
    parsed JSONL lines or the path of a batch run's JSONL (its last line of an id wins;
    failed documents are skipped)."""
    if isinstance(items, (str, Path)):
        latest: dict[str, dict[str, Any]] = {}
        with Path(items).open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                latest[str(row.get("id"))] = row
        items = latest.values()
    for n, item in enumerate(items):
        if isinstance(item, PromotionReport):
            yield (item.source.path or str(n)), item
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], PromotionReport):
            yield str(item[0]), item[1]  # (document id, report)
        elif hasattr(item, "report") and hasattr(item, "id"):  # a BatchResult
            if item.report is not None:
                yield item.id, item.report
        elif isinstance(item, dict):
            if item.get("status", "ok") == "ok" and item.get("report"):
                yield str(item.get("id", n)), PromotionReport.model_validate(item["report"])
        else:
            raise TypeError(f"cannot make table rows from {type(item).__name__}")


#: the columns of numbers (exact decimals)
NUMBER_COLUMNS = frozenset({"value", "low", "high", "months", "every_months"})

#: Parquet's type for them: 28 digits before the point and 10 after
PARQUET_PRECISION, PARQUET_SCALE = 38, 10


def to_rows(items: ReportsLike) -> Iterator[dict[str, Any]]:
    """The long-table rows of ``items``, each with every column of :data:`COLUMNS`."""
    for doc_id, r in iter_reports(items):
        base = {c: None for c in COLUMNS} | {
            "doc_id": doc_id,
            "region": r.region,
            "report_period": r.period,
        }
        for part in PARTS:
            for _, _, row in part.rows(r):
                yield base | {"part": part.name} | row
        for check in r.checks:
            yield base | {
                "part": "check",
                "name": check.kind,
                "items": " ".join(check.items),
                "message": check.message,
            }


def to_frame(items: ReportsLike) -> Any:
    """A pandas DataFrame of :func:`to_rows` (columns :data:`COLUMNS`)."""
    try:
        import pandas as pd
    except ImportError:
        raise ConfigurationError('to_frame needs pandas: pip install "zsextract[tables]"') from None
    return pd.DataFrame(list(to_rows(items)), columns=COLUMNS)


def write_table(items: ReportsLike, path: str | Path) -> int:
    """Write the long table as CSV or Parquet (by the suffix); return the row count."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ConfigurationError(
                'Parquet needs pyarrow: pip install "zsextract[tables]"'
            ) from None
        rows = [_for_parquet(row, path) for row in to_rows(items)]
        pq.write_table(pa.Table.from_pylist(rows, schema=_arrow_schema(pa)), path)
        return len(rows)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for row in to_rows(items):
            writer.writerow({k: plain_digits(v) for k, v in row.items()})
            count += 1
    return count


def plain_digits(value: Any) -> Any:
    """A decimal in plain digits (no exponent) for CSV; anything else as it is."""
    return display_number(value) if isinstance(value, Decimal) else value


_QUANTUM = Decimal(1).scaleb(-PARQUET_SCALE)


def parquet_decimal(value: Decimal, column: str, path: Path) -> Decimal:
    """``value`` at Parquet's scale; one that does not fit is an error, never rounded."""
    try:
        fitted = value.quantize(_QUANTUM)
    except InvalidOperation:  # more digits than the decimal context holds
        fitted = None
    if fitted is None or fitted != value or len(fitted.as_tuple().digits) > PARQUET_PRECISION:
        raise OutputError(
            f"{column} {value} does not fit Parquet's decimal128({PARQUET_PRECISION}, "
            f"{PARQUET_SCALE}) exactly; write CSV, which keeps every digit",
            path=path,
        )
    return fitted


def _for_parquet(row: dict[str, Any], path: Path) -> dict[str, Any]:
    for column in NUMBER_COLUMNS:
        value = row.get(column)
        if value is not None:
            row[column] = parquet_decimal(value, column, path)
    return row


def _arrow_schema(pa: Any) -> Any:
    ints = {"start", "end"}
    number = pa.decimal128(PARQUET_PRECISION, PARQUET_SCALE)
    return pa.schema(
        [
            (c, number if c in NUMBER_COLUMNS else pa.int64() if c in ints else pa.string())
            for c in COLUMNS
        ]
    )
