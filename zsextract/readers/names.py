"""Project names compared as the gold format does: without 项目, 有限公司, 公司
(``project_name_noise`` in ``data/rules.json``)."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from ..datafiles import alternation, load_data

__all__ = ["NestedKeys", "project_key"]


@cache
def _noise() -> re.Pattern[str]:
    return re.compile(alternation(load_data("rules")["project_name_noise"]))


def project_key(name: str) -> str:
    """``name`` without the words that do not tell projects apart."""
    return _noise().sub("", name)


class NestedKeys:
    """Keys kept in order, each found again by a key that holds it or that it holds.

    ``find(key)`` gives the index of the first kept key ``k`` with ``key in k or k in
    key``, as a scan of every kept key would, in time that does not grow with their
    number: the keys inside ``key`` are looked up by each of ``key``'s windows of a kept
    length, and ``key`` is searched for in one string of all kept keys.
    """

    #: keys kept before the joined string is rebuilt (checked one by one meanwhile)
    _TAIL = 64

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._first: dict[str, int] = {}
        self._lengths: set[int] = set()
        self._joined = "\0"  # the first _built keys, each followed by NUL
        self._starts: list[int] = []
        self._built = 0

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str) -> int:
        """Keep ``key``; its index."""
        i = len(self._keys)
        self._keys.append(key)
        self._first.setdefault(key, i)
        self._lengths.add(len(key))
        if i + 1 - self._built > self._TAIL:
            tail = self._keys[self._built :]
            pos = len(self._joined)
            for k in tail:
                self._starts.append(pos)
                pos += len(k) + 1
            self._joined += "".join(k + "\0" for k in tail)
            self._built = len(self._keys)
        return i

    def find(self, key: str) -> int | None:
        """Index of the first kept key that holds ``key`` or is held by it, or None."""
        if not self._keys:
            return None
        if not key:
            return 0
        best: int | None = None
        for n in self._lengths:  # kept keys inside key
            for a in range(len(key) - n + 1):
                i = self._first.get(key[a : a + n])
                if i is not None and (best is None or i < best):
                    best = i
        at = self._joined.find(key)  # kept keys holding key: the first built one
        if at >= 0:
            i = bisect_right(self._starts, at) - 1
            return i if best is None else min(best, i)
        for i in range(self._built, len(self._keys)):  # else the first of the rest
            if best is not None and i >= best:
                break
            if key in self._keys[i]:
                return i
        return best
