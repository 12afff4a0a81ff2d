"""A worker process of a batch run.

It is started by :class:`~zsextract.batch.processes.ProcessPool` as a fresh Python
process that imports zsextract only, from the folder the parent's zsextract is in
(never the caller's main module, so a script needs no ``if __name__ == "__main__":``
guard; nor a ``zsextract`` folder that lies in the current one). Parent and worker
speak in frames over the worker's stdin and stdout (see :mod:`.frames`):

- parent to worker: ``(backend name, LLMSettings, documents in flight)``, then one
  ``(seq, text, metadata, path)`` per document, then ``None`` (or end of input: the
  parent went away) for "finish what you hold and stop";
- worker to parent: ``("ready",)`` once the backend is built, then one
  ``(seq, report JSON or None, error dict or None, counts)`` per document, and
  ``("event", Event)`` for every :class:`~zsextract.events.Event` the worker makes (the
  parent hands it to its own subscribers, so a batch run's events are the same with
  one process or several).

Anything the worker prints goes to stderr, so the frames keep stdout to themselves.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from typing import Any, BinaryIO

from .frames import read_frame, write_frame

__all__ = ["main", "report_counts"]


def report_counts(report: Any) -> dict[str, Any]:
    """What a run's summary needs from a report (whether it came from the cache, and
    the tokens it cost), so that a worker's report JSON needs no parsing."""
    provenance = report.provenance
    usage = provenance.usage if provenance else None
    return {
        "cached": bool(provenance and provenance.cache in ("hit", "reparsed")),
        "prompt_tokens": usage.prompt_tokens if usage else 0,
        "completion_tokens": usage.completion_tokens if usage else 0,
    }


async def _serve(
    name: str, settings: Any, in_flight: int, inbox: BinaryIO, outbox: BinaryIO
) -> None:
    from ..api import aextract
    from ..backends import build_backend
    from ..errors import DocumentError
    from ..events import subscribe

    engine = build_backend(name, settings)
    loop = asyncio.get_running_loop()
    work: asyncio.Queue[Any] = asyncio.Queue()
    sending = threading.Lock()

    def send(value: Any) -> None:
        with sending:
            write_frame(outbox, value)

    subscribe(lambda event: send(("event", event)))

    def take() -> None:  # a thread: reading the pipe blocks
        while True:
            try:
                item = read_frame(inbox)
            except EOFError:
                item = None
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
            answer: tuple[int, str | None, dict[str, Any] | None, dict[str, Any]]
            try:
                report = await aextract(text, backend=engine, metadata=metadata, path=path)
                answer = (seq, report.model_dump_json(by_alias=True), None, report_counts(report))
            except Exception as exc:
                answer = (seq, None, DocumentError.from_exception(exc).as_dict(), {})
            send(answer)

    send(("ready",))
    threading.Thread(target=take, daemon=True).start()
    try:
        await asyncio.gather(*(worker() for _ in range(in_flight)))
    finally:
        await engine.aclose()


def main() -> None:  # pragma: no cover - runs in a worker process
    outbox = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # a print in any library goes to stderr, not into the frames
    sys.stdout = sys.stderr
    inbox = sys.stdin.buffer
    try:
        name, settings, in_flight = read_frame(inbox)
    except EOFError:
        return
    try:
        asyncio.run(_serve(name, settings, in_flight, inbox, outbox))
    except BrokenPipeError:  # the parent went away: nobody to answer
        pass


if __name__ == "__main__":  # pragma: no cover
    main()
