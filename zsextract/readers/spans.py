"""Where in the article an item's words may be read from: its sentence, its paragraph,
the label before its number, a project's own stretch of text. Pure functions of the
text and a position, used by LLM grounding and the readers."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import accumulate, compress

from ..datafiles import load_data
from ..patterns import Scanner, class_chars
from .quantities import find_quantities

__all__ = [
    "SpanSet",
    "break_after",
    "break_before",
    "clause_start",
    "cover",
    "label_before",
    "negated",
    "paragraph",
    "previous_label",
    "project_claim",
    "sentence",
]

SENTENCE_ENDS = "。；;！？!?\n"
CLAUSE_ENDS = SENTENCE_ENDS + "，,：:"


#: a text at least this long is searched through an index of its breaks: a search back
#: with ``str.rfind`` runs to the text's start for each break character it lacks
_INDEXED = 400


@cache
def _chars_of(breaks: str) -> str:
    """``breaks`` as one string per set of characters (sorted, each once), so that equal
    sets written in another order share one index."""
    return "".join(sorted(set(breaks)))


@cache
def _mark_split() -> tuple[dict[str, int], re.Pattern[str]]:
    """The break characters of the readers' sets (clauses, sentences, items of a list,
    and ``clause_break`` of data/rules.json), each with a number, and a pattern that
    splits at them: one split of a text finds them all, and the positions of each set
    are picked from it."""
    marks = sorted(
        set(CLAUSE_ENDS + "、" + (class_chars(load_data("rules")["clause_break"]) or ""))
    )
    return {c: i for i, c in enumerate(marks)}, re.compile(f"([{re.escape(''.join(marks))}])")


@lru_cache(maxsize=8)
def _marks(text: str) -> tuple[list[int], bytes]:
    """The positions of the break characters in ``text``, and their numbers (one byte
    each). Found by splitting at them: the offsets are the running lengths of the
    pieces, summed in C."""
    number, split = _mark_split()
    parts = split.split(text)
    ends = list(accumulate(map(len, parts)))  # piece 2i ends where break i stands
    return ends[0:-1:2], bytes(map(number.__getitem__, parts[1::2]))


@cache
def _picker(chars: str) -> bytes | None:
    """A table for ``bytes.translate`` that keeps the numbers of ``chars`` (as 1) and
    drops the others (as 0), or None when one of ``chars`` is no break character."""
    number = _mark_split()[0]
    if not set(chars) <= number.keys():
        return None
    table = bytearray(256)
    for c in chars:
        table[number[c]] = 1
    return bytes(table)


@lru_cache(maxsize=32)
def _positions(text: str, chars: str) -> list[int]:
    """Where the characters ``chars`` (see _chars_of) stand in ``text``, in order (kept
    for the last texts: the readers of one article ask about the same text many times)."""
    picker = _picker(chars)
    if picker is not None:
        at, numbers = _marks(text)
        return list(compress(at, numbers.translate(picker)))
    return [m.start() for m in re.finditer(f"[{re.escape(chars)}]", text)]


@lru_cache(maxsize=8)
def _matches(text: str, pattern: re.Pattern[str] | Scanner) -> list[int]:
    """Where ``pattern`` (of single characters) matches in ``text``, in order."""
    return [m.start() for m in pattern.finditer(text)]


def break_before(
    text: str, at: int, lo: int = 0, breaks: str | re.Pattern[str] | Scanner = CLAUSE_ENDS
) -> int:
    """The position after the last break in ``text[lo:at]``, else ``lo``: ``breaks`` are
    characters, or a pattern that matches single characters (a class)."""
    if isinstance(breaks, str):
        if len(text) < _INDEXED:
            return max([lo, *(text.rfind(c, lo, at) + 1 for c in breaks)])
        found = _positions(text, _chars_of(breaks))
    elif len(text) < _INDEXED:
        ends = [m.end() for m in breaks.finditer(text, lo, at)]
        return ends[-1] if ends else lo
    else:
        found = _matches(text, breaks)
    i = bisect_left(found, at) - 1
    return found[i] + 1 if i >= 0 and found[i] >= lo else lo


def break_after(text: str, at: int, breaks: str = SENTENCE_ENDS) -> int:
    """The position of the first of ``breaks`` at or after ``at``, else ``len(text)``."""
    if len(text) < _INDEXED:
        return min([len(text), *(i for c in breaks if (i := text.find(c, at)) != -1)])
    found = _positions(text, _chars_of(breaks))
    i = bisect_left(found, max(at, 0))
    return found[i] if i < len(found) else len(text)


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between 。；！？ or line breaks) around ``text[start:end]``."""
    return break_before(text, start, 0, SENTENCE_ENDS), break_after(text, end, SENTENCE_ENDS)


def paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """The line around ``text[start:end]``."""
    after = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if after == -1 else after


def clause_start(text: str, at: int, lo: int = 0) -> int:
    """Where the clause holding ``text[at]`` starts (after ，：。； or a line break)."""
    return break_before(text, at, lo, CLAUSE_ENDS)


def cover(part: str, whole: str) -> float:
    """The share of ``part``'s two-character pieces that occur in ``whole`` (for a one-
    character part: 1.0 if it occurs)."""
    part = "".join(ch for ch in part if ch.isalnum())
    if len(part) < 2:
        return float(bool(part) and part in whole)
    grams = {part[i : i + 2] for i in range(len(part) - 1)}
    return sum(g in whole for g in grams) / len(grams)


def label_before(text: str, at: int, lo: int = 0) -> tuple[int, int]:
    """The words that name the number at ``at``: from the end of the quantity before it
    in its sentence (or the sentence's start) up to it (到位资金484.5亿元，同比增长18.9%
    gives 到位资金 and ，同比增长)."""
    start = max(lo, sentence(text, at, at)[0], at - 60)
    ends = [start + q.end for q in find_quantities(text[start:at]) if start + q.end <= at]
    return max([start, *ends]), at


def previous_label(text: str, at: int, lo: int = 0, *, past_percent: bool = False) -> int | None:
    """Where the label of the quantity before the number at ``at`` starts (the number
    before it in its sentence; with ``past_percent``, the one before it that is no
    percentage: 投资总额823.8亿元，完成目标84.1%，同比增长88.8% grows the amount), or
    None when there is none."""
    start = max(lo, sentence(text, at, at)[0], at - 120)
    mentions = [
        q
        for q in find_quantities(text[start:at])
        if start + q.end <= at and not (past_percent and q.quantity.unit == "percent")
    ]
    if not mentions:
        return None
    return label_before(text, start + mentions[-1].start, lo)[0]


def negated(text: str, at: int, words: list[str], reach: int = 6) -> bool:
    """True when one of ``words`` (尚未, 不再 …) stands in the ``reach`` characters before
    ``at``, in the same clause."""
    lo = max(at - reach, clause_start(text, at))
    before = text[lo:at]
    return any(word in before for word in words)


def project_claim(text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of text that speaks of the project named at ``text[start:end]``: its
    sentence, less the clauses that name another project before or after it
    (远东纺织项目正在洽谈，海川食品加工项目已建成投产: each project its own clause)."""
    lo, hi = sentence(text, start, end)
    heads = load_data("rules")["projects"]["heads"]
    before = [at + len(h) for h in heads if (at := text.rfind(h, lo, start)) != -1]
    if before:  # start after the clause of the last project named before this one
        ends = [e for c in CLAUSE_ENDS if (e := text.find(c, max(before), start)) != -1]
        lo = min(ends) + 1 if ends else clause_start(text, start, lo)
    for head in heads:
        at = text.find(head, end, hi)
        while at != -1:
            cut = clause_start(text, at, end)
            named = text[cut:at].strip().removeprefix("该").removeprefix("此")
            if cut > end and len(named) >= 2:  # another project's clause (项目已开工 is this)
                hi = min(hi, cut)
                break
            at = text.find(head, at + 1, hi)
    return lo, hi


class SpanSet:
    """``[start, end)`` spans (timeline rules, cadences) asked about by position in log
    time, not one by one: a scan of every span per question is quadratic on long text."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        # the furthest end among the spans starting at or before each one
        self.reach: list[int] = []
        for _, b in self.spans:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def holds(self, pos: int) -> bool:
        """True when a span holds ``pos``."""
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos

    def overlaps(self, start: int, end: int) -> bool:
        """True when a span shares a character with ``[start, end)``."""
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.reach[i] > start
