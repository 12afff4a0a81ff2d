"""Batch extraction in worker processes: cleaning, grounding and report building spread
over cores instead of sharing one event loop's thread.

With ``processes=N`` the run starts N child processes (spawned: they share no state
with the parent). Each builds its own backend by name from the run's settings, with the
request and token limits divided by N so that together they keep the configured rate,
runs its own event loop with its share of the documents in flight, and takes documents
from one shared queue. The parent keeps everything else: output, resume, progress and
the summary. A child that dies fails only the documents it held, each with an error
line that ``--resume`` does again, and a new child takes its place.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import replace
from typing import Any

from ..errors import ConfigurationError, DocumentError
from ..options import LLMSettings
from .inputs import BatchDoc

__all__ = ["ProcessPool"]

#: how often the parent looks for children that died (seconds)
_WATCH = 0.5


def _child(
    name: str, settings: LLMSettings, in_flight: int, tasks: Any, results: Any
) -> None:  # pragma: no cover - runs in a child process
    """A child: take documents, extract ``in_flight`` at a time, send results back."""
    from ..api import aextract
    from ..backends import build_backend

    pid = os.getpid()
    room = threading.Semaphore(in_flight)  # take no more than can be worked on

    async def main() -> None:
        engine = build_backend(name, settings)
        loop = asyncio.get_running_loop()
        work: asyncio.Queue[Any] = asyncio.Queue()

        def take() -> None:  # a thread: the shared queue blocks
            while True:
                room.acquire()
                item = tasks.get()
                if item is not None:
                    results.put(("took", item[0], pid))  # before any result of it
                loop.call_soon_threadsafe(work.put_nowait, item)
                if item is None:
                    return

        async def worker() -> None:
            while True:
                item = await work.get()
                if item is None:
                    work.put_nowait(None)  # for the other workers
                    return
                seq, text, metadata, path = item
                try:
                    report = await aextract(text, backend=engine, metadata=metadata, path=path)
                    results.put((seq, report.model_dump_json(by_alias=True), None))
                except Exception as exc:
                    results.put((seq, None, DocumentError.from_exception(exc).as_dict()))
                finally:
                    room.release()

        threading.Thread(target=take, daemon=True).start()
        try:
            await asyncio.gather(*(worker() for _ in range(in_flight)))
        finally:
            await engine.aclose()

    asyncio.run(main())


class ProcessPool:
    """``processes`` children extracting with the backend ``name`` and ``settings``,
    ``concurrency`` documents in flight over all of them."""

    def __init__(
        self, name: Any, settings: LLMSettings | None, processes: int, concurrency: int
    ) -> None:
        if not isinstance(name, str):
            raise ConfigurationError(
                "processes > 1 needs the backend by name (with its settings), not an "
                "instance: each process builds its own"
            )
        settings = settings or LLMSettings()
        rpm, tpm = settings.requests_per_minute, settings.tokens_per_minute
        self.settings = replace(
            settings,
            requests_per_minute=rpm / processes if rpm else None,
            tokens_per_minute=tpm / processes if tpm else None,
        )
        self.name = name
        self.processes = processes
        self.in_flight = max(1, math.ceil(concurrency / processes))
        self._ctx = mp.get_context("spawn")
        self._tasks: Any = self._ctx.Queue()
        self._results: Any = self._ctx.Queue()
        self._children: list[Any] = []
        self._pending: dict[int, asyncio.Future[tuple[str | None, dict[str, Any] | None]]] = {}
        self._holder: dict[int, int] = {}  # document -> pid of the child working on it
        self._seq = itertools.count()
        self._stopping = threading.Event()
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reader: threading.Thread | None = None

    def _spawn(self) -> None:
        child = self._ctx.Process(
            target=_child,
            args=(self.name, self.settings, self.in_flight, self._tasks, self._results),
            daemon=True,
        )
        child.start()
        self._children.append(child)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        for _ in range(self.processes):
            self._spawn()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _settle(self, seq: int, report: str | None, error: dict[str, Any] | None) -> None:
        future = self._pending.pop(seq, None)
        self._holder.pop(seq, None)
        if future is not None and not future.done():
            future.set_result((report, error))

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("ProcessPool.start() was not awaited")
        return self._loop

    def _read(self) -> None:
        """A thread: results from the children, and a watch for children that died."""
        loop = self._running_loop()
        watched = time.monotonic()
        while not self._stopping.is_set():
            if time.monotonic() - watched >= _WATCH:
                watched = time.monotonic()
                loop.call_soon_threadsafe(self._reap)
            try:
                item = self._results.get(timeout=_WATCH)
            except queue.Empty:
                continue
            if item[0] == "took":
                loop.call_soon_threadsafe(self._holder.__setitem__, item[1], item[2])
            else:
                loop.call_soon_threadsafe(self._settle, *item)

    def _reap(self) -> None:
        """Fail the documents of children that died, and start others in their place."""
        for child in list(self._children):
            if child.is_alive() or self._closing:
                continue
            self._children.remove(child)
            lost = [seq for seq, pid in self._holder.items() if pid == child.pid]
            for seq in lost:
                error = DocumentError(
                    "WorkerError",
                    f"the worker process {child.pid} ended (exit code {child.exitcode}) "
                    "while extracting this document; run again with --resume",
                )
                self._settle(seq, None, error.as_dict())
            self._spawn()

    async def extract(self, doc: BatchDoc) -> tuple[str | None, dict[str, Any] | None]:
        """(the report as JSON, or the error as a dict) for one document."""
        seq = next(self._seq)
        future: asyncio.Future[tuple[str | None, dict[str, Any] | None]]
        future = self._running_loop().create_future()
        self._pending[seq] = future
        self._tasks.put((seq, doc.text, doc.metadata, None if doc.path is None else str(doc.path)))
        return await future

    async def close(self) -> None:
        """Stop the children once they have finished what they hold."""
        self._closing = True  # children that end now are done, not lost: none replaced
        for _ in range(len(self._children) * self.in_flight + 1):
            self._tasks.put(None)
        loop = asyncio.get_running_loop()
        for child in self._children:
            await loop.run_in_executor(None, child.join, 30)
            if child.is_alive():
                child.kill()
        self._stopping.set()
        if self._reader is not None:
            await loop.run_in_executor(None, self._reader.join, 5)
        self._tasks.close()
        self._results.close()
