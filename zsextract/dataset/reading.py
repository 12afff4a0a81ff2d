"""Reports read from the JSONL files batch runs write, with a note for every line that
is not used: a half-written or broken line, a line that is no object, a document that
failed, a report that does not validate. Within a file the last line of an id wins (a
resumed run appends); an id in two files is an error that names both.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..report.schema import PromotionReport

__all__ = ["ReportLines", "read_report_lines"]


@dataclass
class ReportLines:
    """The reports read, in order, and a note per line left out."""

    reports: list[tuple[str, PromotionReport]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: int = 0  #: documents whose batch line says they failed


def read_report_lines(paths: Sequence[str | Path]) -> ReportLines:
    """Read ``paths`` (JSONL of ``{id, status, report}``). Raises ValueError when an id
    is in two files, OSError when a file cannot be read."""
    read = ReportLines()
    where: dict[str, Path] = {}
    for path in map(Path, paths):
        latest: dict[str, tuple[int, dict[str, object]]] = {}
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError:
                    read.notes.append(f"{path}:{number}: not JSON (a half-written line?)")
                    continue
                if not isinstance(row, dict) or "id" not in row:
                    read.notes.append(f"{path}:{number}: not a batch line ({{id, report}})")
                    continue
                latest[str(row["id"])] = (number, row)
        for doc_id, (number, row) in latest.items():
            if doc_id in where:
                raise ValueError(
                    f"document id {doc_id!r} is in {where[doc_id]} and in {path}; "
                    "ids must be unique across the files"
                )
            where[doc_id] = path
            if row.get("status", "ok") != "ok":
                read.failed += 1
                continue
            if not isinstance(row.get("report"), dict):
                read.notes.append(f"{path}:{number}: {doc_id!r} has no report")
                continue
            try:
                read.reports.append((doc_id, PromotionReport.model_validate(row["report"])))
            except ValidationError as exc:
                first = exc.errors()[0]
                place = ".".join(map(str, first["loc"]))
                read.notes.append(
                    f"{path}:{number}: {doc_id!r} is no report ({place}: {first['msg']})"
                )
    return read
