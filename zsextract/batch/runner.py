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
import fcntl
import json
import os
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..api import aextract, engine_for, merged_settings
from ..backends import Backend
from ..datafiles import load_data
from ..errors import ConfigurationError, DocumentError, OutputError
from ..options import BatchOptions, LLMSettings, split_options
from ..report.schema import PromotionReport
from .inputs import BatchDoc, count_inputs, read_inputs
from .processes import ProcessPool, available_cores, divided, shares
from .worker import report_counts

__all__ = ["BatchResult", "BatchSummary", "aextract_many", "done_hashes", "extract_many"]


@dataclass
class BatchResult:
    id: str
    content_hash: str
    report: PromotionReport | None = None
    error: dict[str, Any] | None = None
    cached: bool = False
    #: the report as JSON, as a worker process sent it (written without parsing)
    report_json: str | None = field(default=None, repr=False)
    #: (prompt tokens, completion tokens) the document cost
    usage: tuple[int, int] = (0, 0)

    def count(self, counts: dict[str, Any]) -> None:
        """Take whether the report came from the cache, and its tokens, from ``counts``
        (:func:`~zsextract.batch.worker.report_counts`)."""
        self.cached = bool(counts.get("cached"))
        self.usage = (counts.get("prompt_tokens", 0), counts.get("completion_tokens", 0))

    @property
    def ok(self) -> bool:
        return self.report is not None or self.report_json is not None

    def line(self) -> dict[str, Any]:
        """The output line as a dict."""
        row: dict[str, Any] = {"id": self.id, "content_hash": self.content_hash}
        if self.ok:
            row["status"] = "ok"
            row["cached"] = self.cached
            if self.report is not None:
                row["report"] = self.report.model_dump(mode="json", by_alias=True)
            else:
                row["report"] = json.loads(self.report_json or "null")
        else:
            row["status"] = "error"
            row["error"] = self.error
        return row

    def text_line(self) -> str:
        """The output line as JSON text, the report's JSON spliced in as pydantic wrote
        it (a worker's as it came, unparsed): the fast path for every document."""
        report_json = self.report_json
        if report_json is None and self.report is not None:
            try:
                report_json = self.report.model_dump_json(by_alias=True)
            except ValueError:  # text pydantic cannot write (a lone surrogate): by hand
                report_json = None
        if report_json is None:
            return json.dumps(self.line(), ensure_ascii=False)
        head: dict[str, Any] = {"id": self.id, "content_hash": self.content_hash}
        head.update(status="ok", cached=self.cached)
        return json.dumps(head, ensure_ascii=False)[:-1] + ', "report": ' + report_json + "}"


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


def _price(model: str | None, table: Mapping[str, Any]) -> dict[str, Any] | None:
    if not model:
        return None
    models = table["models"]
    if model in models:
        return dict(models[model])
    prefixes = [k for k in models if model.startswith(k)]
    return dict(models[max(prefixes, key=len)]) if prefixes else None


class _Writer:
    """Appends one JSON line per document. It holds an exclusive lock on the output
    (a second run on the same file stops with :class:`OutputError`), and first cuts a
    torn last line left by a crash or a full disk, so that the next line starts clean
    (that document has no ``ok`` line and is done again)."""

    def __init__(self, path: Path | None) -> None:
        self.fd = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot be written ({exc.strerror})", path=path) from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            raise OutputError(
                "another batch run is writing to it; wait for it to finish or choose "
                "another output",
                path=path,
            ) from None
        self._cut_torn_line()

    def _cut_torn_line(self) -> None:
        assert self.fd is not None
        size = os.lseek(self.fd, 0, os.SEEK_END)
        if size == 0 or os.pread(self.fd, 1, size - 1) == b"\n":
            return
        end = size
        while end > 0:  # back to the last line break, 1 MB at a time
            start = max(0, end - (1 << 20))
            at = os.pread(self.fd, end - start, start).rfind(b"\n")
            if at != -1:
                os.ftruncate(self.fd, start + at + 1)
                return
            end = start
        os.ftruncate(self.fd, 0)

    def write(self, line: str) -> None:
        if self.fd is not None:
            # backslashreplace writes a lone surrogate as its JSON escape (\\ud800)
            data = (line + "\n").encode("utf-8", "backslashreplace")
            os.write(self.fd, data)  # one write on an O_APPEND file: a whole line or none

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # and the lock with it


def _as_docs(inputs: str | Path | Iterable[BatchDoc | str | dict[str, Any]]) -> Iterator[BatchDoc]:
    if isinstance(inputs, (str, Path)):
        yield from read_inputs(inputs)
        return
    for n, item in enumerate(inputs):
        if isinstance(item, BatchDoc):
            yield item
        elif isinstance(item, str):
            yield BatchDoc(id=str(n), text=item)
        elif isinstance(item, dict) and isinstance(item.get("text", ""), str):
            metadata = item.get("metadata") or {}
            yield BatchDoc(
                id=str(item.get("id", n)),
                text=item.get("text", ""),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
        else:  # one wrong item is that item's error line, not the end of the run
            yield BatchDoc(
                id=str(n),
                error=f"input {n} is a {type(item).__name__}: pass a str, a dict with a "
                "string 'text', or a BatchDoc",
            )


async def aextract_many(
    inputs: str | Path | Iterable[BatchDoc | str | dict[str, Any]],
    backend: str | Backend = "rules",
    *,
    options: BatchOptions | None = None,
    settings: LLMSettings | None = None,
    client: Any = None,
    **named: Any,
) -> BatchSummary:
    """Extract every document of ``inputs`` (a folder, glob or JSONL path, or an
    iterable of texts, dicts or :class:`BatchDoc`); see :func:`extract_many`."""
    llm, runs = split_options("extract_many()", named, batch=True)
    opts = replace(options or BatchOptions(), **{k: v for k, v in runs.items() if v is not None})
    merged = merged_settings(settings, llm, "extract_many()") or LLMSettings()
    processes = min(_processes(opts.processes, backend, client, merged), opts.concurrency)
    if processes > 1:
        merged = divided(merged, processes)
    engine = engine_for(backend, merged, client, {}, "extract_many()")
    worker_share = shares(opts.concurrency, processes)[1]
    output = opts.output_path
    resume, progress, keep = opts.resume, opts.progress, opts.keep
    prices = opts.prices
    out_path = output
    skip = done_hashes(out_path) if (resume and out_path is not None) else set()
    summary = BatchSummary(output=str(out_path) if out_path else None)
    total = count_inputs(inputs) if isinstance(inputs, (str, Path)) else None
    source = _as_docs(inputs)  # streamed: memory stays flat however long the run
    writer = _Writer(out_path)
    lock = asyncio.Lock()
    bar = _Progress(total) if progress else None
    started = time.perf_counter()
    feeders: set[asyncio.Task[None]] = set()
    pool: ProcessPool | None = None

    async def one(doc: BatchDoc, worker: Any = None) -> None:
        digest = doc.content_hash
        if digest in skip:
            summary.skipped += 1
            return
        result = BatchResult(doc.id, digest)
        if doc.error:
            result.error = DocumentError("InputError", doc.error).as_dict()
        elif worker is not None:  # extracted in a worker process: its JSON is written as is
            assert pool is not None
            made, failed, counts = await pool.extract(worker, doc)
            if failed is not None:
                result.error = failed
            else:
                result.report_json = made
                if keep:
                    result.report = PromotionReport.model_validate_json(made or "")
                result.count(counts)
        else:
            try:
                report = await aextract(
                    doc.text, backend=engine, metadata=doc.metadata, path=doc.path
                )
                result.report = report
                result.count(report_counts(report))
            except Exception as exc:  # a bug, too, costs this document, not the run
                result.error = DocumentError.from_exception(exc).as_dict()
        async with lock:
            writer.write(result.text_line())
            summary.total += 1
            if result.ok:
                summary.done += 1
                summary.cached += result.cached
                summary.prompt_tokens += result.usage[0]
                summary.completion_tokens += result.usage[1]
            else:
                summary.failed += 1
                usage_dict = (result.error or {}).get("usage") or {}
                summary.prompt_tokens += int(usage_dict.get("prompt_tokens", 0))
                summary.completion_tokens += int(usage_dict.get("completion_tokens", 0))
            if keep:
                summary.results.append(result)
            if bar:
                bar.update(summary)

    async def feed() -> AsyncIterator[BatchDoc]:
        for n, doc in enumerate(source):
            if n == opts.concurrency and pool is not None:
                pool.start()  # more documents than one round in flight: workers help
            yield doc

    shared = _Shared(feed())
    # every document in flight holds a slot: this process takes them all until a worker
    # is ready, then each of the worker's feeders holds one for as long as it feeds
    slots = asyncio.Semaphore(opts.concurrency)

    async def local() -> None:
        while True:
            async with slots:
                try:
                    doc = await shared.__anext__()
                except StopAsyncIteration:
                    return
                await one(doc)

    async def remote(worker: Any) -> None:
        async with slots:
            while worker.alive:
                try:
                    doc = await shared.__anext__()
                except StopAsyncIteration:
                    return
                await one(doc, worker)

    def worker_ready(worker: Any) -> None:
        for _ in range(worker_share):
            task = asyncio.create_task(remote(worker))
            feeders.add(task)
            task.add_done_callback(feeders.discard)

    if processes > 1:
        assert isinstance(backend, str)
        pool = ProcessPool(backend, merged, processes, worker_share, worker_ready)
    try:
        if bar:
            bar.start()
        await asyncio.gather(*(local() for _ in range(opts.concurrency)))
        while feeders:  # the workers' last documents
            await asyncio.gather(*list(feeders))
    finally:
        if pool is not None:
            await pool.close()
        for task in feeders:
            task.cancel()
        writer.close()
        if bar:
            bar.stop()
        await engine.aclose()  # the async client belongs to this event loop
    summary.elapsed_s = time.perf_counter() - started
    price = _price(engine.model, prices or load_data("prices"))
    if price is not None:
        summary.cost = round(
            (summary.prompt_tokens * price["input"] + summary.completion_tokens * price["output"])
            / 1_000_000,
            6,
        )
        summary.currency = price["currency"]
    return summary


def _processes(
    wanted: int | None, backend: str | Backend, client: Any, settings: LLMSettings
) -> int:
    """How many processes the run uses: ``wanted``, or by default one per available core
    when the backend is named and the run is not rate-limited (a rate, not the CPU,
    bounds such a run)."""
    if wanted is None:
        limited = settings.requests_per_minute or settings.tokens_per_minute
        if client is not None or not isinstance(backend, str) or limited:
            return 1
        return available_cores()
    if wanted > 1 and client is not None:
        raise ConfigurationError(
            "processes > 1 cannot share a client you pass in: give the endpoint's "
            "settings instead (base_url, model, api_key …)"
        )
    if wanted > 1 and not isinstance(backend, str):
        raise ConfigurationError(
            "processes > 1 needs the backend by name (with its settings), not an "
            "instance: each process builds its own"
        )
    return wanted


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
    *,
    options: BatchOptions | None = None,
    settings: LLMSettings | None = None,
    client: Any = None,
    **named: Any,
) -> BatchSummary:
    """Extract reports from many documents.

    ``inputs``: a folder, a glob, a JSONL file of ``{"id", "text", "metadata"}``, or an
    iterable of texts, dicts or :class:`BatchDoc`. ``options`` is a
    :class:`~zsextract.BatchOptions` (``output``: JSONL path, one line per document,
    appended as each finishes; ``resume``, ``concurrency``, ``progress``, ``prices``,
    ``keep_results``) and ``settings`` an :class:`~zsextract.LLMSettings` (for
    ``backend="llm"``, with ``requests_per_minute`` / ``tokens_per_minute`` pacing every
    model call). The fields of both may also be given by name; any other name is a
    ``TypeError``. Returns a :class:`BatchSummary`: done, cached, failed, skipped,
    tokens and the estimated cost. Works in a notebook too, where an event loop is
    running (or use ``await aextract_many(...)`` there).
    """
    coroutine = aextract_many(
        inputs, backend, options=options, settings=settings, client=client, **named
    )
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # called inside a running event loop (Jupyter): run on a thread with a loop of its own
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
