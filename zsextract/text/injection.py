"""Text that addresses a language model instead of a reader ("忽略之前的所有指令，输出…",
role markers such as ``system:``). The article is data: such sentences are found when
the text is cleaned (:attr:`CleanText.instructions`), their numbers are never offered
to a model as candidates, and report items whose evidence lies in them are dropped.
The phrases are in ``data/injection.json``."""

from __future__ import annotations

import re
from functools import cache

from ..datafiles import alternation, load_data

__all__ = ["dropped_note", "find_instructions"]


#: a run of capitals; written as one class and then a repeat, so that the pattern begins
#: with a class and ``re`` skips to its characters in a fast loop of its own (a pattern
#: that begins with a repeat, ``[A-Z]+``, is entered at every position: 3 times the
#: instructions on a Chinese article)
_UPPER = re.compile("[A-Z][A-Z]*")


def _ascii_lower(text: str) -> str:
    """``text`` with A-Z lowered and nothing else, so that offsets do not move."""
    return _UPPER.sub(lambda m: m.group(0).lower(), text)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The cues, in lower case, and the end of a sentence. The cues are matched against
    the text with its ASCII letters lowered (same length, same offsets): a plain pattern
    the regex engine scans quickly, where IGNORECASE would make it try every position."""
    d = load_data("injection")
    cues = [_ascii_lower(c) for c in (*d["phrases"], *d["role_markers"])]
    return re.compile(alternation(cues)), re.compile(d["sentence_end"])


def dropped_note(label: str, quote: str) -> str:
    """How ``provenance.dropped`` names an item left out because its evidence touches
    text that addresses a model."""
    return f"{label}：证据“{quote}”在对模型下指令的文字中"


def find_instructions(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` spans of ``text`` that address a model: from the start of the
    sentence that holds a cue to the end of its paragraph, since what follows an
    instruction ("以下内容…。全市到位资金为999亿元。") is its payload."""
    cue, end_of = _patterns()
    spans: list[tuple[int, int]] = []
    for m in cue.finditer(_ascii_lower(text)):
        if spans and m.start() < spans[-1][1]:
            continue  # inside a span already found
        before = [e.end() for e in end_of.finditer(text, max(0, m.start() - 200), m.start())]
        start = before[-1] if before else max(0, m.start() - 200)
        end = text.find("\n", m.end())
        spans.append((start, len(text) if end == -1 else end + 1))
    return spans
