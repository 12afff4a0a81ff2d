"""Documents for a batch run: a folder, a glob, or a JSONL of {id, text, metadata}."""

from __future__ import annotations

import glob
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, ZsExtractError
from ..text.reading import read_article

__all__ = ["BatchDoc", "content_hash", "count_inputs", "read_inputs"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass
class BatchDoc:
    """One document. ``error`` is set when it could not be read (it is then recorded as
    a failure, and the run goes on)."""

    id: str
    text: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    error: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.text, self.metadata)


def content_hash(text: str, metadata: dict[str, Any] | None = None) -> str:
    blob = text + "\x00" + json.dumps(metadata or {}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _file(path: Path) -> BatchDoc:
    try:
        return BatchDoc(id=path.name, text=read_article(path), path=str(path))
    except ZsExtractError as exc:
        return BatchDoc(id=path.name, path=str(path), error=str(exc))


def _jsonl(path: Path) -> Iterator[BatchDoc]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except ValueError as exc:
                yield BatchDoc(id=where, error=f"{where}: not JSON ({exc})")
                continue
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                yield BatchDoc(
                    id=str(row.get("id", where)) if isinstance(row, dict) else where,
                    error=f"{where}: needs a string 'text'",
                )
                continue
            metadata = row.get("metadata") or {}
            yield BatchDoc(
                id=str(row.get("id", where)),
                text=row["text"],
                metadata=metadata if isinstance(metadata, dict) else {},
            )


def read_inputs(source: str | Path) -> Iterator[BatchDoc]:
    """Documents of ``source``: a folder (its *.txt and *.html, sorted), a JSONL file
    (one ``{"id", "text", "metadata"}`` per line), a single article, or a glob."""
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
        yield from (_file(p) for p in files)
    elif path.is_file() and path.suffix.lower() in (".jsonl", ".ndjson"):
        yield from _jsonl(path)
    elif path.is_file():
        yield _file(path)
    else:
        matches = sorted(glob.glob(str(source), recursive=True))
        if not matches:
            raise InputError("is no folder, JSONL file, article or matching glob", path=source)
        yield from (_file(Path(m)) for m in matches if Path(m).is_file())


def count_inputs(source: str | Path) -> int | None:
    """How many documents ``source`` holds, without reading them (None if unknown)."""
    path = Path(source)
    if path.is_dir():
        return sum(1 for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
    if path.is_file() and path.suffix.lower() in (".jsonl", ".ndjson"):
        with path.open("rb") as f:
            return sum(1 for line in f if line.strip())
    if path.is_file():
        return 1
    return len([m for m in glob.glob(str(source), recursive=True) if Path(m).is_file()])
