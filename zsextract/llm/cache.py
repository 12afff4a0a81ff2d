"""A disk cache of LLM results (diskcache).

Two entries per article:
- the raw answers (one per chunk), under a key of everything that shapes the request:
  model, endpoint, prompt version and digest, response-schema digest, cleaned text and
  metadata, generation settings;
- the validated report, under that key plus the validation policy and version.

A report entry is a hit. A raw entry alone is re-grounded offline (a changed validator
costs no new call) and becomes a hit only if it validates. Only validated results are
stored. The API key is never part of a key or a value.

The cache saves calls; it is never a condition of a report. Only a directory that
cannot be used at all is an error, raised once when the cache is built
(ConfigurationError). After that no fault of the store raises: an entry that cannot be
read is a miss (logged, and removed), a value that cannot be stored is logged and the
report is still returned, and a damaged database turns the cache off for the rest of
the run with one warning. Warnings go to the logger ``zsextract.llm.cache``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from typing import Any

import diskcache

from ..errors import ConfigurationError

__all__ = ["ResultCache", "cache_key"]

log = logging.getLogger(__name__)

# What a diskcache store raises when it fails (diskcache/core.py, 5.6): sqlite3.Error
# from the database (DatabaseError "file is not a database" / "database disk image is
# malformed" for a damaged file; OperationalError "unable to open database file",
# "attempt to write a readonly database", "database or disk is full"), OSError when the
# directory or a large value's file cannot be made, and diskcache.Timeout when a write
# cannot begin (BEGIN IMMEDIATE failed: another process holds the lock past the timeout,
# or the database has become read-only).
_STORE_FAULTS = (sqlite3.Error, OSError, diskcache.Timeout)

_ELSEWHERE = (
    "pass another cache_dir (CLI --cache-dir) or turn the cache off "
    "(use_cache=False, CLI --no-cache)"
)


def cache_key(kind: str, parts: dict[str, Any]) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return f"{kind}:{hashlib.sha256(blob.encode('utf-8')).hexdigest()}"


def _damaged(exc: BaseException) -> bool:
    """True if the database file is not, or no longer, an SQLite database: sqlite3 maps
    SQLITE_CORRUPT and SQLITE_NOTADB to DatabaseError itself (busy, read-only, full and
    I/O faults are OperationalError). Such a fault does not go away by retrying."""
    return type(exc) is sqlite3.DatabaseError


def _reason(exc: BaseException) -> str:
    """The fault in a few words (diskcache's own OSError message repeats the path, and
    its Timeout, raised for any failed BEGIN IMMEDIATE, has no message)."""
    if isinstance(exc, diskcache.Timeout):
        return "Timeout: the database could not be locked for writing"
    if isinstance(exc, OSError) and exc.errno is not None:
        return os.strerror(exc.errno)
    return f"{type(exc).__name__}: {exc}"


class ResultCache:
    """Raw answers and validated reports on disk, shared by threads and processes.

    Building it checks the directory (ConfigurationError if it cannot be used); ``get``
    and ``put`` never raise for a fault of the store (see the module docstring).
    """

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self._off = False  # set by a damaged database: every later call is a no-op
        path = os.path.expandvars(os.path.expanduser(directory))  # as diskcache reads it
        if os.path.exists(path) and not os.path.isdir(path):
            raise ConfigurationError(
                f"LLM result cache directory {directory!r} is a file, not a directory: {_ELSEWHERE}"
            )
        try:
            self._cache = diskcache.Cache(directory)
        except _STORE_FAULTS as exc:
            if _damaged(exc):  # left alone: it is the user's file, not ours to delete
                why = (
                    f"its cache.db is damaged or not a cache database ({exc}); "
                    "move or delete that file, or"
                )
            else:
                why = f"it cannot be created or written ({_reason(exc)}); fix that, or"
            raise ConfigurationError(
                f"LLM result cache directory {directory!r} cannot be used: {why} {_ELSEWHERE}"
            ) from exc

    def get(self, key: str) -> Any:
        """The stored value, or None for a miss; a value or a database that cannot be
        read is a miss too (logged), and the bad entry is removed if the store lets us."""
        if self._off:
            return None
        try:
            return self._cache.get(key)
        except _STORE_FAULTS as exc:
            self._fault(f"cannot read entry {key}; treated as a miss", exc)
            return None
        except Exception as exc:
            # The store faults are handled above, so this came from pickle.load, which
            # raises nearly anything for bad bytes (UnpicklingError, EOFError,
            # ImportError, AttributeError, ...; see the pickle docs).
            removed = self._remove(key)
            log.warning(
                "LLM result cache %s: entry %s cannot be unpickled (%s); treated as a miss and %s",
                self.directory,
                key,
                _reason(exc),
                "removed" if removed else "left in place (it could not be removed)",
            )
            return None

    def put(self, key: str, value: Any) -> None:
        """Store a value; a fault of the store (disk full, read-only, damaged database,
        lock timeout) is logged, never raised, so the caller still gets its report."""
        if self._off:
            return
        try:
            self._cache.set(key, value)
        except _STORE_FAULTS as exc:
            self._fault(f"cannot store entry {key}; the result is returned uncached", exc)

    def close(self) -> None:
        self._cache.close()

    def _remove(self, key: str) -> bool:
        """Delete one entry; False if the store would not let us."""
        try:
            return bool(self._cache.delete(key))
        except _STORE_FAULTS:
            return False

    def _fault(self, what: str, exc: Exception) -> None:
        """Log a fault of the store; a damaged database also turns the cache off, so a
        run warns once instead of at every article."""
        if _damaged(exc):
            self._off = True
            log.warning(
                "LLM result cache %s: %s: its cache.db is damaged (%s); the cache is off "
                "for the rest of this run. Move or delete that file, or pass another "
                "cache_dir (CLI --cache-dir)",
                self.directory,
                what,
                exc,
            )
        else:
            log.warning(
                "LLM result cache %s: %s (%s). If this repeats, check the free space and "
                "permissions there, or %s",
                self.directory,
                what,
                _reason(exc),
                _ELSEWHERE,
            )
