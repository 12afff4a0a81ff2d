"""A disk cache of LLM results (diskcache).

Two entries per article:
- the raw answers (one per chunk), under a key of everything that shapes the request:
  model, endpoint, prompt version and digest, response-schema digest, cleaned text and
  metadata, generation settings;
- the validated report, under that key plus the validation policy and version.

A report entry is a hit. A raw entry alone is re-grounded offline (a changed validator
costs no new call) and becomes a hit only if it validates. Only validated results are
stored. The API key is never part of a key or a value.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import diskcache

__all__ = ["ResultCache", "cache_key"]


def cache_key(kind: str, parts: dict[str, Any]) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return f"{kind}:{hashlib.sha256(blob.encode('utf-8')).hexdigest()}"


class ResultCache:
    """Raw answers and validated reports on disk, shared by threads and processes."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self._cache = diskcache.Cache(directory)

    def get(self, key: str) -> Any:
        return self._cache.get(key)

    def put(self, key: str, value: Any) -> None:
        self._cache.set(key, value)

    def close(self) -> None:
        self._cache.close()
