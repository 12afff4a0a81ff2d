"""Evidence: a span of the cleaned text, quoted from the raw text it came from."""

from __future__ import annotations

from ..report.schema import Evidence
from ..text.clean import CleanText

__all__ = ["evidence_for"]


def evidence_for(doc: CleanText, start: int, end: int) -> Evidence:
    """Evidence for the cleaned span ``doc.text[start:end]``, quoted from the raw text."""
    raw_start, raw_end = doc.to_raw(start, end)
    return Evidence(quote=doc.raw[raw_start:raw_end], start=raw_start, end=raw_end)
