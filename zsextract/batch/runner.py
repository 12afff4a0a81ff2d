"""Run extraction over many documents: bounded concurrency, pacing, progress, resume.

Every document becomes one JSON line, written in a single ``os.write`` on a file
opened for appending, as soon as it is done: a crash loses no finished work. With
``resume``, documents whose content hash already has an ``ok`` line are skipped and
failed ones are tried again (the last line of an id is the one that counts). A
document's failure is recorded with its cause and never stops the run.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import aextract
from ..backends import Backend, get_backend
from ..datafiles import load_data
from ..errors import LLMError, ZsExtractError
from ..pacing import Pacer
from ..report.schema import PromotionReport
from .inputs import BatchDoc, count_inputs, read_inputs

__all__ = ["BatchResult", "BatchSummary", "aextract_many", "done_hashes", "extract_many"]


@dataclass
class BatchResult:
    id: str
    content_hash: str
    report: PromotionReport | None = None
    error: dict[str, Any] | None = None
    cached: bool = False

    def line(self) -> dict[str, Any]:
        row: dict[str, Any] = {"id": self.id, "content_hash": self.content_hash}
        if self.report is not None:
            row["status"] = "ok"
            row["cached"] = self.cached
            row["report"] = self.report.model_dump(mode="json", by_alias=True)
        else:
            row["status"] = "error"
            row["error"] = self.error
        return row


@dataclass
class BatchSummary:
    total: int = 0
    done: int = 0
    cached: int = 0
    failed: int = 0
    skipped: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    elapsed_s: float = 0.0
    cost: float | None = None
    currency: str | None = None
    output: str | None = None
    results: list[BatchResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "results"}
        data["elapsed_s"] = round(self.elapsed_s, 3)
        return data


def done_hashes(output: Path) -> set[str]:
    """Content hashes with an ``ok`` line in an earlier run's output."""
    found: set[str] = set()
    if not output.exists():
        return found
    with output.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                row = json.loads(line)
            except ValueError:
                continue  # a torn last line of an interrupted run
            if row.get("status") == "ok":
                found.add(row["content_hash"])
            else:
                found.discard(row.get("content_hash"))
    return found


def _price(model: str | None, table: dict[str, Any]) -> dict[str, Any] | None:
    if not model:
        return None
    models = table["models"]
    if model in models:
        return dict(models[model])
    prefixes = [k for k in models if model.startswith(k)]
    return dict(models[max(prefixes, key=len)]) if prefixes else None


def _failure(exc: BaseException) -> dict[str, Any]:
    error: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, LLMError):
        error["attempts"] = exc.attempts
        error["usage"] = exc.usage
    return error


class _Writer:
    def __init__(self, path: Path | None) -> None:
        self.fd = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def write(self, row: dict[str, Any]) -> None:
        if self.fd is not None:
            data = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
            os.write(self.fd, data)  # one write on an O_APPEND file: a whole line or none

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)


def _as_docs(inputs: str | Path | Iterable[BatchDoc | str | dict[str, Any]]) -> Iterator[BatchDoc]:
    if isinstance(inputs, (str, Path)):
        yield from read_inputs(inputs)
        return
    for n, item in enumerate(inputs):
        if isinstance(item, BatchDoc):
            yield item
        elif isinstance(item, str):
            yield BatchDoc(id=str(n), text=item)
        else:
            yield BatchDoc(
                id=str(item.get("id", n)),
                text=item.get("text", ""),
                metadata=item.get("metadata") or {},
            )


def _engine(backend: str | Backend, pacer: Pacer | None, llm_options: dict[str, Any]) -> Backend:
    if not isinstance(backend, str):
        if pacer is not None and hasattr(backend, "pacer"):
            backend.pacer = pacer
        return backend
    if backend == "llm":
        from ..llm import LLMBackend

        return LLMBackend(pacer=pacer, **llm_options)
    if llm_options:
        raise ZsExtractError(f"{', '.join(sorted(llm_options))} only apply to backend='llm'")
    return get_backend(backend)


async def aextract_many(
    inputs: str | Path | Iterable[BatchDoc | str | dict[str, Any]],
    backend: str | Backend = "rules",
    *,
    output: str | Path | None = None,
    resume: bool = False,
    concurrency: int = 8,
    requests_per_minute: float | None = None,
    tokens_per_minute: float | None = None,
    progress: bool = False,
    prices: dict[str, Any] | None = None,
    keep_results: bool | None = None,
    **llm_options: Any,
) -> BatchSummary:
    """Extract every document of ``inputs`` (a folder, glob or JSONL path, or an
    iterable of texts, dicts or :class:`BatchDoc`); see :func:`extract_many`."""
    if concurrency < 1:
        raise ZsExtractError(f"concurrency must be at least 1, not {concurrency}")
    pacer = (
        Pacer(requests_per_minute, tokens_per_minute)
        if requests_per_minute or tokens_per_minute
        else None
    )
    engine = _engine(backend, pacer, llm_options)
    out_path = Path(output) if output is not None else None
    skip = done_hashes(out_path) if (resume and out_path is not None) else set()
    keep = (out_path is None) if keep_results is None else keep_results
    summary = BatchSummary(output=str(out_path) if out_path else None)
    total = count_inputs(inputs) if isinstance(inputs, (str, Path)) else None
    source = _as_docs(inputs)  # streamed: memory stays flat however long the run
    writer = _Writer(out_path)
    lock = asyncio.Lock()
    bar = _Progress(total) if progress else None
    started = time.perf_counter()

    async def one(doc: BatchDoc) -> None:
        digest = doc.content_hash
        if digest in skip:
            summary.skipped += 1
            return
        result = BatchResult(doc.id, digest)
        if doc.error:
            result.error = {"type": "InputError", "message": doc.error}
        else:
            try:
                report = await aextract(
                    doc.text, backend=engine, metadata=doc.metadata, path=doc.path
                )
                result.report = report
                result.cached = bool(
                    report.provenance and report.provenance.cache in ("hit", "reparsed")
                )
            except ZsExtractError as exc:
                result.error = _failure(exc)
            except Exception as exc:  # a bug costs this document, not the run
                result.error = {"type": type(exc).__name__, "message": str(exc), "internal": True}
        async with lock:
            writer.write(result.line())
            summary.total += 1
            if result.report is not None:
                summary.done += 1
                summary.cached += result.cached
                usage = result.report.provenance.usage if result.report.provenance else None
                if usage:
                    summary.prompt_tokens += usage.prompt_tokens
                    summary.completion_tokens += usage.completion_tokens
            else:
                summary.failed += 1
                usage_dict = (result.error or {}).get("usage") or {}
                summary.prompt_tokens += int(usage_dict.get("prompt_tokens", 0))
                summary.completion_tokens += int(usage_dict.get("completion_tokens", 0))
            if keep:
                summary.results.append(result)
            if bar:
                bar.update(summary)

    async def worker(queue: AsyncIterator[BatchDoc]) -> None:
        async for doc in queue:
            await one(doc)

    async def feed() -> AsyncIterator[BatchDoc]:
        for doc in source:
            yield doc

    shared = _Shared(feed())
    try:
        if bar:
            bar.start()
        await asyncio.gather(*(worker(shared) for _ in range(concurrency)))
    finally:
        writer.close()
        if bar:
            bar.stop()
        close = getattr(engine, "aclose", None)
        if close is not None:  # the async client belongs to this event loop
            await close()
    summary.elapsed_s = time.perf_counter() - started
    model = getattr(getattr(engine, "endpoint", None), "model", None)
    price = _price(model, prices or load_data("prices"))
    if price is not None:
        summary.cost = round(
            (summary.prompt_tokens * price["input"] + summary.completion_tokens * price["output"])
            / 1_000_000,
            6,
        )
        summary.currency = price["currency"]
    return summary


class _Shared:
    """One async iterator shared by the workers: each document goes to one worker."""

    def __init__(self, source: AsyncIterator[BatchDoc]) -> None:
        self.source = source
        self.lock = asyncio.Lock()

    def __aiter__(self) -> _Shared:
        return self

    async def __anext__(self) -> BatchDoc:
        async with self.lock:
            return await self.source.__anext__()


class _Progress:
    """A rich progress bar: rate, ETA, cached, failed and tokens so far."""

    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]extract"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]:.1f}/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn(
                "cached {task.fields[cached]} · failed {task.fields[failed]} · "
                "tokens {task.fields[tokens]:,}"
            ),
            console=Console(stderr=True),
            transient=False,
        )
        self.task = self.progress.add_task(
            "extract", total=total, rate=0.0, cached=0, failed=0, tokens=0
        )
        self.started = time.perf_counter()

    def start(self) -> None:
        self.progress.start()

    def stop(self) -> None:
        self.progress.stop()

    def update(self, summary: BatchSummary) -> None:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        self.progress.update(
            self.task,
            completed=summary.total,
            rate=summary.total / elapsed,
            cached=summary.cached,
            failed=summary.failed,
            tokens=summary.prompt_tokens + summary.completion_tokens,
        )


def extract_many(
    inputs: str | Path | Iterable[BatchDoc | str | dict[str, Any]],
    backend: str | Backend = "rules",
    **options: Any,
) -> BatchSummary:
    """Extract reports from many documents.

    ``inputs``: a folder, a glob, a JSONL file of ``{"id", "text", "metadata"}``, or an
    iterable of texts, dicts or :class:`BatchDoc`. Options: ``output`` (JSONL path,
    one line per document, appended as each finishes), ``resume``, ``concurrency``,
    ``requests_per_minute``, ``tokens_per_minute``, ``progress``, ``prices`` (a price
    table as in ``data/prices.json``), ``keep_results`` (default: only when there is
    no ``output``), and for ``backend="llm"`` any :class:`~zsextract.llm.LLMSettings`
    field. Returns a :class:`BatchSummary`: done, cached, failed, skipped, tokens and
    the estimated cost. Works in a notebook too, where an event loop is running (or use
    ``await aextract_many(...)`` there).
    """
    coroutine = aextract_many(inputs, backend, **options)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # called inside a running event loop (Jupyter): run on a thread with a loop of its own
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
