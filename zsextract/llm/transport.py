"""Transport retries with tenacity: 429, 5xx, timeouts and connection errors only.

The openai client is built with ``max_retries=0`` and instructor is given one attempt,
so that these are the only retries: each attempt is one HTTP request, paced, counted,
reported as an event and bounded by the call's deadline.
Waits honour ``Retry-After`` (seconds or an HTTP date, and ``retry-after-ms``), else
back off exponentially with jitter; a ``Retry-After`` that cannot be read falls back to
the backoff. 400, 401, 403 and 404 are never retried, nor is an error whose code says
that waiting will not help (``insufficient_quota``: ``permanent_error_codes`` in
``data/providers.json``).
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from ..datafiles import load_data
from ..errors import DeadlineError
from ..pacing import Pacer
from .settings import LLMSettings, nothing_listens

__all__ = [
    "RETRYABLE",
    "aretrying",
    "is_retryable",
    "nothing_listens",
    "paced_client",
    "pacing",
    "past_deadline",
    "reason",
    "refused",
    "retry_after",
    "retrying",
    "transport_cause",
]

RETRYABLE = (
    openai.RateLimitError,
    openai.InternalServerError,
    openai.APITimeoutError,
    openai.APIConnectionError,
)


def _error_code(exc: BaseException) -> str | None:
    """The ``error.code`` (or ``type``) of an API error's body, if it has one."""
    body = getattr(exc, "body", None)
    error = body.get("error", body) if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return getattr(exc, "code", None)
    code = error.get("code") or error.get("type")
    return str(code) if code else None


def refused(exc: BaseException | None) -> bool:
    """Whether the connection was refused: nothing listens at the address (a server
    that is not running), which waiting and sending again do not cure."""
    seen = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError) or "Connection refused" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def is_retryable(exc: BaseException) -> bool:
    """A transient failure: worth waiting for and sending again. A refused connection
    is not: nothing listens, and waiting would only delay the error."""
    if not isinstance(exc, RETRYABLE) or refused(exc):
        return False
    return _error_code(exc) not in load_data("providers")["permanent_error_codes"]


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait, if it said."""
    response = getattr(exc, "response", None)
    headers: Any = getattr(response, "headers", None)
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if not math.isnan(seconds) else None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None  # unreadable: the backoff decides
    return max(0.0, parsed.timestamp() - time.time()) if parsed else None


class _Wait:
    """Retry-After when given (capped at ``backoff_max``), else exponential with jitter."""

    def __init__(self, settings: LLMSettings) -> None:
        self.cap = settings.backoff_max
        self.backoff = wait_exponential_jitter(
            multiplier=settings.backoff_initial, max=settings.backoff_max
        )

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after(transport_cause(exc) if exc is not None else None)
        return min(asked, self.cap) if asked is not None else float(self.backoff(state))


def transport_cause(exc: BaseException) -> openai.APIError | None:
    """The openai error behind an exception (instructor wraps them), if there is one."""
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            return None
        if isinstance(seen, openai.APIError):
            return seen
        failed = getattr(seen, "failed_attempts", None)
        if failed:
            last = failed[-1].exception
            if isinstance(last, openai.APIError):
                return last
        seen = seen.__cause__ or seen.__context__
    return None


def past_deadline(exc: BaseException) -> DeadlineError | None:
    """The :class:`DeadlineError` of the pacer behind an exception: a request that was
    not sent because its pace would have sent it after the call's deadline (the HTTP
    client reports it as a connection error)."""
    cause = transport_cause(exc)
    seen: BaseException | None = cause.__cause__ if cause is not None else exc
    return seen if isinstance(seen, DeadlineError) else None


def _retryable(exc: BaseException) -> bool:
    cause = transport_cause(exc)
    return cause is not None and is_retryable(cause) and past_deadline(exc) is None


def reason(exc: BaseException | None) -> tuple[str, int | None]:
    """A short reason for a failed request (``HTTP 503``, ``APITimeoutError``) and its
    HTTP status if it had one: no message text, which may quote the request."""
    cause = transport_cause(exc) if exc is not None else None
    if cause is None:
        return (type(exc).__name__ if exc is not None else "unknown"), None
    status = getattr(cause, "status_code", None)
    return (f"HTTP {status}" if status else type(cause).__name__), status


class _PastDeadline(stop_base):
    """Stop when the next request could not start before ``deadline_at`` (monotonic)."""

    def __init__(self, deadline_at: float | None) -> None:
        self.deadline_at = deadline_at

    def __call__(self, state: RetryCallState) -> bool:
        if self.deadline_at is None:
            return False
        return time.monotonic() + (state.upcoming_sleep or 0.0) >= self.deadline_at


def _policy(
    settings: LLMSettings,
    deadline_at: float | None,
    before_sleep: Callable[[RetryCallState], None] | None,
) -> dict[str, Any]:
    return {
        "stop": stop_after_attempt(1 + settings.transport_retries) | _PastDeadline(deadline_at),
        "retry": retry_if_exception(_retryable),
        "wait": _Wait(settings),
        "before_sleep": before_sleep,
        "reraise": True,
    }


def retrying(
    settings: LLMSettings,
    deadline_at: float | None = None,
    before_sleep: Callable[[RetryCallState], None] | None = None,
) -> Retrying:
    """The transport retries of one model call: ``for attempt in retrying(...)``, each
    attempt one HTTP request; no attempt starts after ``deadline_at``
    (``time.monotonic()``); ``before_sleep`` hears of every retry."""
    return Retrying(**_policy(settings, deadline_at, before_sleep))


def aretrying(
    settings: LLMSettings,
    deadline_at: float | None = None,
    before_sleep: Callable[[RetryCallState], None] | None = None,
) -> AsyncRetrying:
    """The same policy for async calls."""
    return AsyncRetrying(**_policy(settings, deadline_at, before_sleep))


# -- pacing at the moment a request leaves ----------------------------------------------
#: the pacer, token estimate and deadline of the model call running in this thread or task
_PACING: ContextVar[tuple[Pacer, int, float | None] | None] = ContextVar(
    "zsextract_pacing", default=None
)


@contextmanager
def pacing(pacer: Pacer, tokens: int, deadline_at: float | None = None) -> Iterator[None]:
    """Inside: every HTTP request a client of :func:`paced_client` sends waits for its
    slot of ``pacer`` (``tokens`` estimated each) right before it leaves; a wait that
    would end past ``deadline_at`` (monotonic) fails the request before it is sent,
    and a request sent after a wait (for its slot, its connection, the gate) has its
    timeouts cut to the time left."""
    token = _PACING.set((pacer, tokens, deadline_at))
    try:
        yield
    finally:
        _PACING.reset(token)


#: the trace event of httpcore when a request's first bytes go out
_LEAVING = "send_request_headers.started"


def _within(request: Any, deadline_at: float | None) -> None:
    """Cut the request's timeouts to the time left before ``deadline_at``."""
    timeouts = request.extensions.get("timeout")
    if deadline_at is None or not isinstance(timeouts, dict):
        return
    left = max(deadline_at - time.monotonic(), 0.001)
    request.extensions["timeout"] = {
        phase: left if seconds is None else min(seconds, left)
        for phase, seconds in timeouts.items()
    }


def _wait_sync(request: Any) -> None:
    paced = _PACING.get()
    if paced is not None:
        pacer, tokens, deadline_at = paced
        pacer.acquire_sync(tokens, deadline_at)
        _within(request, deadline_at)

        def leaving(name: str, info: dict[str, Any]) -> None:
            if name.endswith(_LEAVING):
                pacer.leave_sync(deadline_at)
                _within(request, deadline_at)  # read by httpcore after this event

        request.extensions["trace"] = leaving


async def _wait_async(request: Any) -> None:
    paced = _PACING.get()
    if paced is not None:
        pacer, tokens, deadline_at = paced
        await pacer.acquire(tokens, deadline_at)
        _within(request, deadline_at)

        async def leaving(name: str, info: dict[str, Any]) -> None:
            if name.endswith(_LEAVING):
                await pacer.leave(deadline_at)
                _within(request, deadline_at)

        request.extensions["trace"] = leaving


def paced_client(kind: type[openai.OpenAI] | type[openai.AsyncOpenAI], **options: Any) -> Any:
    """A new openai client of ``kind`` whose HTTP client waits for the pacer right
    before each request is sent: pacing by when requests leave, not by when a call
    began (the first call's schema building would otherwise bunch requests)."""
    if issubclass(kind, openai.AsyncOpenAI):
        http: Any = openai.DefaultAsyncHttpxClient(event_hooks={"request": [_wait_async]})
    else:
        http = openai.DefaultHttpxClient(event_hooks={"request": [_wait_sync]})
    return kind(http_client=http, **options)
