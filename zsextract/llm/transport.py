"""Transport retries with tenacity: 429, 5xx, timeouts and connection errors only.

The openai client is built with ``max_retries=0`` so that these are the only retries.
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

from ..datafiles import load_data
from .settings import LLMSettings

__all__ = ["RETRYABLE", "aretrying", "is_retryable", "retry_after", "retrying"]

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


def is_retryable(exc: BaseException) -> bool:
    """A transient failure: worth waiting for and sending again."""
    if not isinstance(exc, RETRYABLE):
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
        asked = retry_after(exc)
        return min(asked, self.cap) if asked is not None else float(self.backoff(state))


def _policy(settings: LLMSettings) -> dict[str, Any]:
    return {
        "stop": stop_after_attempt(1 + settings.transport_retries),
        "retry": retry_if_exception(is_retryable),
        "wait": _Wait(settings),
        "reraise": True,
    }


def retrying(settings: LLMSettings) -> Retrying:
    """The retry policy handed to instructor as ``max_retries``."""
    return Retrying(**_policy(settings))


def aretrying(settings: LLMSettings) -> AsyncRetrying:
    """The same policy for the async client."""
    return AsyncRetrying(**_policy(settings))
