"""Documents for a batch run: a folder, a glob, or a JSONL of {id, text, metadata}."""

from __future__ import annotations

import glob
import hashlib
import json
import re
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


_SURROGATES = re.compile("[\ud800-\udfff]")


def _row(where: str, line: bytes, first: bool) -> BatchDoc | dict[str, Any]:
    """The object on one JSONL line, or an error document naming the line."""
    try:
        decoded = line.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        return BatchDoc(
            id=where, error=f"{where}: not UTF-8 (byte {exc.start}); re-encode the file"
        )
    try:
        row = json.loads(decoded)
    except ValueError as exc:
        return BatchDoc(id=where, error=f"{where}: not JSON ({exc})")
    if not isinstance(row, dict):
        return BatchDoc(id=where, error=f"{where}: needs an object with a string 'text'")
    return row


def _jsonl(path: Path) -> Iterator[BatchDoc]:
    """One document per line. A line that is not UTF-8 or JSON, has no string ``text``,
    an id that is neither a string nor an integer, or an id seen before, is an error
    document naming its line; the run goes on."""
    seen: dict[str, int] = {}
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            row = _row(where, line, number == 1)
            if isinstance(row, BatchDoc):
                yield row
                continue
            raw_id = row.get("id", where)
            if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
                yield BatchDoc(id=where, error=f"{where}: 'id' must be a string or an integer")
                continue
            doc_id = str(raw_id)
            if not isinstance(row.get("text"), str):
                yield BatchDoc(id=doc_id, error=f"{where}: needs a string 'text'")
                continue
            if doc_id in seen:
                yield BatchDoc(
                    id=f"{doc_id}@{number}",
                    error=f"{where}: id {doc_id!r} repeats line {seen[doc_id]}; ids must be unique",
                )
                continue
            seen[doc_id] = number
            metadata = row.get("metadata") or {}
            yield BatchDoc(
                id=doc_id,
                # a lone surrogate (from a \ud800 escape) cannot be written back as UTF-8
                text=_SURROGATES.sub("\ufffd", row["text"]),
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
        # a fifo or device among the matches is an error line, never a blocked read
        yield from (_file(Path(m)) for m in matches if not Path(m).is_dir())


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
    return len([m for m in glob.glob(str(source), recursive=True) if not Path(m).is_dir()])
