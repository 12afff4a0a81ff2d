"""Pace model calls to a requests-per-minute and a tokens-per-minute limit.

Each call reserves the next free slot: requests are spaced ``60 / rpm`` seconds apart
and a call of ``n`` tokens occupies ``n * 60 / tpm`` seconds of the token budget. Then,
right before its request is sent, it passes a gate that lets one request leave per
``60 / rpm`` seconds, measured from when the last one left. No burst is allowed, even
after a stall, so our own pacing cannot cause a 429 on providers that smooth their
limits. Token counts are estimated before a call and settled with the real usage after.

A call with a deadline (``time.monotonic()`` by which it must be done) does not wait
for a slot or the gate past it: it is a :class:`~zsextract.DeadlineError` at once. A
slot that would come too late is not taken from the calls after it; one refused at the
gate (after a slow connection, say) stays taken, which only spaces the calls after it
further.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from typing import Any

from .errors import DeadlineError

__all__ = ["Pacer", "estimate_tokens"]

_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def estimate_tokens(messages: list[dict[str, Any]], completion: int = 1500) -> int:
    """Tokens a call may cost: one per CJK character, one per four other characters of
    the request, plus an expected completion. Settled against the real usage after."""
    text = json.dumps(messages, ensure_ascii=False)
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk) // 4 + completion


class Pacer:
    """A shared pace for every model call of a run (threads and asyncio tasks alike)."""

    def __init__(
        self, requests_per_minute: float | None = None, tokens_per_minute: float | None = None
    ) -> None:
        for name, value in (
            ("requests_per_minute", requests_per_minute),
            ("tokens_per_minute", tokens_per_minute),
        ):
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive, not {value}")
        self.rpm = requests_per_minute
        self.tpm = tokens_per_minute
        self._lock = threading.Lock()
        self._request_free = float("-inf")
        self._token_free = float("-inf")
        self._left = float("-inf")  #: when the last request passed the gate to leave

    def _reserve(self, tokens: int, deadline_at: float | None = None) -> float:
        """Seconds until this call's slot, which it then holds; a slot that would begin
        at or after ``deadline_at`` is not taken (a :class:`DeadlineError`)."""
        with self._lock:
            now = time.monotonic()
            start = now
            if self.rpm:
                start = max(start, self._request_free)
            if self.tpm:
                start = max(start, self._token_free)
            if deadline_at is not None and start > now and start >= deadline_at:
                by_tokens = bool(self.tpm) and self._token_free >= start
                raise _too_late(start - now, deadline_at - now, self._limit(by_tokens))
            if self.rpm:
                self._request_free = max(now, self._request_free) + 60.0 / self.rpm
            if self.tpm:
                self._token_free = max(start, self._token_free) + tokens * 60.0 / self.tpm
            return start - now

    def _gate(self) -> tuple[float, float]:
        """``(0, now)`` when a request may leave now, a full interval after the last
        one that left (``now`` is then taken as its time of leaving); otherwise
        ``(seconds still to wait, now)``."""
        with self._lock:
            now = time.monotonic()
            if not self.rpm:
                return 0.0, now
            due = self._left + 60.0 / self.rpm
            if now < due:
                return due - now, now
            self._left = now
            return 0.0, now

    def settle(self, estimated: int, actual: int) -> None:
        """Correct the token budget once the real usage is known."""
        if self.tpm and actual:
            with self._lock:
                self._token_free += (actual - estimated) * 60.0 / self.tpm

    async def acquire(self, tokens: int = 0, deadline_at: float | None = None) -> None:
        """Wait for this call's slot (its request's and its tokens' share of the pace).
        The request must then pass :meth:`leave` right before it is sent. A slot that
        comes at or after ``deadline_at`` (monotonic) is a :class:`DeadlineError`."""
        delay = self._reserve(tokens, deadline_at)
        if delay > 0:
            await asyncio.sleep(delay)

    def acquire_sync(self, tokens: int = 0, deadline_at: float | None = None) -> None:
        """:meth:`acquire` for threads."""
        delay = self._reserve(tokens, deadline_at)
        if delay > 0:
            time.sleep(delay)

    def _limit(self, by_tokens: bool) -> str:
        return f"{self.tpm:g} tokens a minute" if by_tokens else f"{self.rpm:g} requests a minute"

    def _wait_to_leave(self, deadline_at: float | None) -> float:
        delay, now = self._gate()
        if delay > 0 and deadline_at is not None and now + delay >= deadline_at:
            raise _too_late(delay, deadline_at - now, self._limit(False))
        return delay

    async def leave(self, deadline_at: float | None = None) -> None:
        """Wait, right before a request is sent, until a full interval has passed since
        the last request left. Slots alone do not ensure it: requests whose slots passed
        while the process stalled (or whose connection took long) would leave together.
        A wait that would end at or after ``deadline_at`` is a :class:`DeadlineError`."""
        while (delay := self._wait_to_leave(deadline_at)) > 0:
            await asyncio.sleep(delay)

    def leave_sync(self, deadline_at: float | None = None) -> None:
        """:meth:`leave` for threads."""
        while (delay := self._wait_to_leave(deadline_at)) > 0:
            time.sleep(delay)


def _too_late(wait: float, left: float, limit: str) -> DeadlineError:
    return DeadlineError(
        f"the pace ({limit}) would send this request in {wait:.2f} s, "
        f"after its deadline ({max(left, 0.0):.2f} s left)"
    )
