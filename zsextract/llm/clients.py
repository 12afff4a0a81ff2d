"""The model clients of one backend, safe in a long-running service.

A service forks workers after it has made calls, runs ``asyncio.run`` per job and
calls one backend from many threads. So:

- **one client per process**: a client built before a fork belongs to the parent; the
  child builds its own on first use (its connections are never shared, or the two
  processes would read each other's answers from one socket);
- **one async client per process and event loop**: an async client's connections
  belong to the loop that opened them. A backend used from a new loop builds a client
  for it, and the client is closed when ``asyncio.run`` shuts that loop down (an async
  generator registered with the loop closes it, so no socket is left open and no
  request is sent on a dead loop);
- **built once**: construction is under a lock, so 16 threads on a fresh backend build
  one client, not 16. The lock is made anew in a forked child, in case another thread
  held it at the fork.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ModelClients"]

_LIVE: weakref.WeakSet[ModelClients] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for clients in list(_LIVE):
        clients._forked()


if hasattr(os, "register_at_fork"):  # not on Windows, where there is no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)


async def _close_on_shutdown(
    client: Any, close: Callable[[Any], Any]
) -> AsyncGenerator[None, None]:
    """Started once on a loop; ``loop.shutdown_asyncgens()`` (which ``asyncio.run``
    calls before it closes the loop) ends it, and the client is closed on its own loop."""
    try:
        yield
    finally:
        await close(client)


@dataclass
class _LoopClient:
    client: Any
    closer: AsyncGenerator[None, None] | None = None


class ModelClients:
    """Clients made by ``make_sync`` and ``make_async`` (no arguments), one per process
    and, for async ones, per event loop. ``close_async`` closes an async client made
    here (None: they are someone else's to close, e.g. a client the user passed in)."""

    def __init__(
        self,
        make_sync: Callable[[], Any],
        make_async: Callable[[], Any],
        close_async: Callable[[Any], Any] | None,
    ) -> None:
        self._make_sync = make_sync
        self._make_async = make_async
        self._close_async = close_async
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._sync: Any = None
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClient] = (
            weakref.WeakKeyDictionary()
        )
        self.built = 0  #: clients built so far in this process (for tests and logs)
        _LIVE.add(self)

    def _forked(self) -> None:
        """In a forked child: forget the parent's clients (never close them: their
        sockets are the parent's too) and its lock."""
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._sync = None
        self._async = weakref.WeakKeyDictionary()
        self.built = 0

    def _check_process(self) -> None:
        if self._pid != os.getpid():  # forked without the hook (or the hook ran late)
            self._forked()

    def sync(self) -> Any:
        """The client for blocking calls in this process."""
        with self._lock:
            self._check_process()
            if self._sync is None:
                self._sync = self._make_sync()
                self.built += 1
            return self._sync

    async def for_running_loop(self) -> Any:
        """The async client of this process and the running event loop."""
        loop = asyncio.get_running_loop()
        with self._lock:
            self._check_process()
            held = self._async.get(loop)
            new = held is None
            if held is None:
                held = self._async[loop] = _LoopClient(self._make_async())
                self.built += 1
        if new and self._close_async is not None:
            held.closer = _close_on_shutdown(held.client, self._close_async)
            await held.closer.__anext__()  # registers it with this loop
        return held.client

    async def aclose(self) -> None:
        """Close the running loop's async client now (the next call builds another)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            held = self._async.pop(loop, None) if self._pid == os.getpid() else None
        if held is not None and held.closer is not None:
            await held.closer.aclose()  # runs its finally: the client is closed once
