"""Batch extraction over several processes: cleaning, grounding and report building
spread over cores instead of sharing one event loop's thread.

With ``processes=N`` the run's own process is one of the N and starts on all the
documents in flight at once; the other N - 1 are worker processes (:mod:`.worker`),
started only when the run has more documents than one round in flight, so a short run
pays for no process start. A ready worker takes its share of the documents in flight
over, one slot at a time as the run's own documents finish (``batch/runner.py``). A
worker is a fresh interpreter running ``zsextract.batch.worker`` from the very
zsextract this process runs (it never imports the caller's main module, so scripts
need no ``__main__`` guard, nor a ``zsextract`` folder in the current one). Each
builds its own backend by name from the run's settings, with the request and token
limits divided by N so that together they keep the configured rate. The parent keeps
everything else: output, resume, progress and the summary.

A worker that dies fails only the documents it held, each with a ``WorkerError`` line
that ``--resume`` does again, and a new worker takes its place. A worker that dies
before it is ready (it cannot import or build its backend; its traceback is on
stderr) is not replaced: the run goes on with the processes it has.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from ..events import emit
from ..options import LLMSettings
from .frames import read_frame, write_frame
from .inputs import BatchDoc

__all__ = ["Answer", "ProcessPool", "available_cores", "divided", "shares"]

_log = logging.getLogger("zsextract.batch")

#: workers started in place of ones that died, at most, in one run
_MOST_REPLACEMENTS = 16

#: (the report as JSON, or None; the error as a dict, or None; counts for the summary)
Answer = tuple[str | None, dict[str, Any] | None, dict[str, Any]]


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system says)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def divided(settings: LLMSettings, processes: int) -> LLMSettings:
    """``settings`` with the request and token limits shared among ``processes``."""
    rpm, tpm = settings.requests_per_minute, settings.tokens_per_minute
    return replace(
        settings,
        requests_per_minute=rpm / processes if rpm else None,
        tokens_per_minute=tpm / processes if tpm else None,
    )


@dataclass(eq=False)
class _Worker:
    proc: subprocess.Popen[bytes]
    pending: dict[int, asyncio.Future[Answer]] = field(default_factory=dict)
    ready: bool = False
    alive: bool = True


class ProcessPool:
    """``processes - 1`` worker processes extracting with the backend ``name`` and
    ``settings`` (limits already divided, see :func:`divided`), each with ``share``
    documents in flight. ``on_ready(worker)`` is called on the event loop when a worker
    can take documents; the caller then sends it up to ``share`` at a time with
    :meth:`extract`."""

    def __init__(
        self,
        name: str,
        settings: LLMSettings,
        processes: int,
        share: int,
        on_ready: Callable[[Any], None],
    ) -> None:
        self.name = name
        self.settings = settings
        self.workers_wanted = processes - 1
        self.share = share
        self.on_ready = on_ready
        self.workers: list[_Worker] = []
        self._seq = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._started = False
        self._closing = False
        self._replaced = 0
        self._readers: list[threading.Thread] = []

    def start(self) -> None:
        """Start the workers (once; called from the event loop)."""
        if self._started:
            return
        self._started = True
        self._loop = asyncio.get_running_loop()
        for _ in range(self.workers_wanted):
            self._spawn()

    def _spawn(self) -> None:
        proc = subprocess.Popen(_worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        worker = _Worker(proc)
        assert proc.stdin is not None
        try:
            write_frame(proc.stdin, (self.name, self.settings, self.share))
        except OSError:  # it ended already: its reader reports it
            pass
        self.workers.append(worker)
        reader = threading.Thread(target=self._read, args=(worker,), daemon=True)
        self._readers.append(reader)
        reader.start()

    def _read(self, worker: _Worker) -> None:
        """A thread per worker: its answers, and its end."""
        assert self._loop is not None and worker.proc.stdout is not None
        loop = self._loop
        while True:
            try:
                item = read_frame(worker.proc.stdout)
            except (EOFError, OSError):
                break
            if item == ("ready",):
                loop.call_soon_threadsafe(self._ready, worker)
            elif item[0] == "event":  # the worker's event, to this process's subscribers
                loop.call_soon_threadsafe(emit, item[1])
            else:
                loop.call_soon_threadsafe(self._settle, worker, item)
        worker.proc.wait()
        try:
            loop.call_soon_threadsafe(self._ended, worker)
        except RuntimeError:  # pragma: no cover - the loop is closed: the run is over
            pass

    def _ready(self, worker: _Worker) -> None:
        if worker.alive and not self._closing:
            worker.ready = True
            self.on_ready(worker)

    def _settle(self, worker: _Worker, item: tuple[int, str | None, Any, Any]) -> None:
        seq, report, error, counts = item
        future = worker.pending.pop(seq, None)
        if future is not None and not future.done():
            future.set_result((report, error, counts))

    def _ended(self, worker: _Worker) -> None:
        """Fail what a worker held when it ended, and start another in its place."""
        worker.alive = False
        code = worker.proc.returncode
        for future in worker.pending.values():
            if not future.done():
                error = DocumentError(
                    "WorkerError",
                    f"the worker process {worker.proc.pid} ended (exit code {code}) while "
                    "extracting this document; run again with --resume",
                )
                future.set_result((None, error.as_dict(), {}))
        worker.pending.clear()
        if self._closing:
            return
        if not worker.ready:
            _log.warning(
                "a batch worker process could not start (exit code %s; its error is on "
                "stderr); the run goes on without it",
                code,
            )
        elif self._replaced < _MOST_REPLACEMENTS:
            self._replaced += 1
            self._spawn()

    async def extract(self, worker: _Worker, doc: BatchDoc) -> Answer:
        """``doc`` extracted by ``worker`` (a WorkerError if it ends first)."""
        if not worker.alive:
            error = DocumentError(
                "WorkerError", "the worker process ended; run again with --resume"
            )
            return (None, error.as_dict(), {})
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        seq = next(self._seq)
        worker.pending[seq] = future
        path = None if doc.path is None else str(doc.path)
        try:
            assert worker.proc.stdin is not None
            write_frame(worker.proc.stdin, (seq, doc.text, doc.metadata, path))
        except OSError:  # it ended while we wrote: its reader fails the document
            pass
        return await future

    async def close(self) -> None:
        """Stop the workers once they have finished what they hold."""
        self._closing = True
        loop = asyncio.get_running_loop()
        for worker in self.workers:
            if not worker.ready:  # it holds nothing yet: no need to wait for its start
                worker.proc.kill()
            elif worker.proc.stdin is not None:
                try:
                    worker.proc.stdin.close()  # end of input: finish and stop
                except OSError:
                    pass
        for worker in self.workers:
            try:
                await loop.run_in_executor(None, worker.proc.wait, 30)
            except subprocess.TimeoutExpired:
                worker.proc.kill()
        for reader in self._readers:
            await loop.run_in_executor(None, reader.join, 5)


#: a worker's start: this process's import path, the folder of the zsextract it runs
#: first, so that the worker imports the very same package (never one that happens to
#: lie in the current folder, as ``python -m`` would)
_START = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from zsextract.batch.worker import main; main()"
)


def _worker_command() -> list[str]:
    home = str(Path(__file__).resolve().parent.parent.parent)  # holds zsextract/
    path = [home, *(p for p in sys.path if p and p != home)]
    return [sys.executable, "-c", _START, json.dumps(path)]


def shares(concurrency: int, processes: int) -> tuple[int, int]:
    """(documents in flight in the run's own process, in each worker process): together
    exactly ``concurrency`` (``processes`` is at most ``concurrency``)."""
    each = concurrency // processes
    return concurrency - each * (processes - 1), each
