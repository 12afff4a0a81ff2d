"""Pace model calls to a requests-per-minute and a tokens-per-minute limit.

Each call reserves the next free slot: requests are spaced ``60 / rpm`` seconds apart
and a call of ``n`` tokens occupies ``n * 60 / tpm`` seconds of the token budget. No
burst is allowed, so our own pacing cannot cause a 429 on providers that smooth their
limits. Token counts are estimated before a call and settled with the real usage after.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from typing import Any

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
        self._departed = float("-inf")  #: when the last request actually left

    def _reserve(self, tokens: int) -> float:
        with self._lock:
            now = time.monotonic()
            start = now
            if self.rpm:
                start = max(start, self._request_free)
                self._request_free = start + 60.0 / self.rpm
            if self.tpm:
                start = max(start, self._token_free)
                self._token_free = start + tokens * 60.0 / self.tpm
            return start - now

    def departed(self, at: float) -> None:
        """A request left at ``at`` (``time.monotonic()``): the next one leaves no sooner
        than a full interval after it, even if this one left later than its slot (the
        first request of a client spends time on its connection)."""
        with self._lock:
            self._departed = max(self._departed, at)

    def _after_last(self) -> float:
        """Seconds still to wait so as to leave a full interval after the last request
        that left (0 when that time has passed); the slots after it move back as well."""
        if not self.rpm:
            return 0.0
        with self._lock:
            interval = 60.0 / self.rpm
            due = self._departed + interval
            now = time.monotonic()
            if due <= now:
                return 0.0
            self._request_free = max(self._request_free, due + interval)
            return due - now

    def settle(self, estimated: int, actual: int) -> None:
        """Correct the token budget once the real usage is known."""
        if self.tpm and actual:
            with self._lock:
                self._token_free += (actual - estimated) * 60.0 / self.tpm

    async def acquire(self, tokens: int = 0) -> None:
        delay = self._reserve(tokens)
        while delay > 0:
            await asyncio.sleep(delay)
            delay = self._after_last()

    def acquire_sync(self, tokens: int = 0) -> None:
        delay = self._reserve(tokens)
        while delay > 0:
            time.sleep(delay)
            delay = self._after_last()
