"""What zsextract does, for a service to watch: typed events and log records.

Subscribe a function to receive an :class:`Event` for every HTTP request to a model,
every retry (with its reason and wait), every finished model call (requests, tokens,
seconds, outcome), every cache lookup and every grounding drop::

    def count(event: zsextract.Event) -> None:
        metrics[event.kind] += 1

    unsubscribe = zsextract.subscribe(count)

Handlers run in the thread or task that made the event, so keep them quick; an
exception in a handler is logged and never reaches the extraction. Events carry no
article text and no key.

Log records go to the ``logging.getLogger("zsextract")`` hierarchy
(``zsextract.llm``, ``zsextract.llm.cache``, ``zsextract.batch``): a retry is one INFO
record naming the endpoint, the request number and the reason; requests and calls are
DEBUG records. Nothing above DEBUG contains article text. zsextract adds no handler of
its own (configure logging as your service does). instructor's own ERROR lines for
failures inside zsextract's calls are not printed: zsextract reports them as the retry
events and records above.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

__all__ = ["Event", "EventKind", "listening", "subscribe"]

log = logging.getLogger("zsextract.events")

EventKind = Literal["request", "retry", "call", "cache", "grounding"]


@dataclass(frozen=True)
class Event:
    """One thing that happened. Fields that do not apply to a kind are None.

    - ``request``: an HTTP request to the model is about to be sent (``attempt`` is its
      number within the model call, from 1).
    - ``retry``: request ``attempt`` failed and will be sent again after ``wait``
      seconds; ``reason`` says why (``HTTP 500``, ``APITimeoutError`` …), ``status``
      the HTTP status if there was one.
    - ``call``: one model call ended (transport retries included): ``requests`` sent,
      tokens, ``seconds``; ``reason`` is ``ok``, ``invalid`` (the answer did not
      parse), ``truncated``, ``transport`` or ``deadline``.
    - ``cache``: ``reason`` is ``hit``, ``reparsed`` or ``miss``.
    - ``grounding``: ``dropped`` items were left out of a report (``on_ungrounded="drop"``
      or injected instructions).
    """

    kind: EventKind
    backend: str = "llm"
    model: str | None = None
    attempt: int | None = None
    reason: str | None = None
    status: int | None = None
    wait: float | None = None
    seconds: float | None = None
    requests: int | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    dropped: int | None = None


Handler = Callable[[Event], None]

_lock = threading.Lock()
_handlers: tuple[Handler, ...] = ()


def subscribe(handler: Handler) -> Callable[[], None]:
    """Call ``handler`` with every event from now on, in every thread; returns the
    function that unsubscribes it."""
    global _handlers
    if not callable(handler):
        raise TypeError(f"subscribe() takes a function of one Event, not {handler!r}")
    with _lock:
        _handlers = (*_handlers, handler)

    def unsubscribe() -> None:
        global _handlers
        with _lock:
            kept = list(_handlers)
            if handler in kept:
                kept.remove(handler)
            _handlers = tuple(kept)

    return unsubscribe


@contextmanager
def listening(handler: Handler) -> Iterator[None]:
    """``handler`` subscribed inside the ``with`` block only."""
    unsubscribe = subscribe(handler)
    try:
        yield
    finally:
        unsubscribe()


def emit(event: Event) -> None:
    """Hand ``event`` to every subscriber; a failing subscriber is logged, not raised."""
    for handler in _handlers:  # a tuple: safe while others subscribe
        try:
            handler(event)
        except Exception:
            log.exception("event handler %r failed on a %s event", handler, event.kind)
