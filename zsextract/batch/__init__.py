"""Batch runs: many documents, bounded concurrency, pacing, progress, resume, tables."""

from __future__ import annotations

from ..pacing import Pacer, estimate_tokens
from .inputs import BatchDoc, content_hash, count_inputs, read_inputs
from .runner import BatchResult, BatchSummary, aextract_many, done_hashes, extract_many

__all__ = [
    "BatchDoc",
    "BatchResult",
    "BatchSummary",
    "Pacer",
    "aextract_many",
    "content_hash",
    "count_inputs",
    "done_hashes",
    "estimate_tokens",
    "extract_many",
    "read_inputs",
]
