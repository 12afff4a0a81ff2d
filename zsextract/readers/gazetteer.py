"""China's administrative divisions (``data/divisions.csv``: provinces, prefectures and
counties with their codes, from the 民政部 code table) and the place an article reports
on, found by them even where the text leaves out the suffix (汶上 for 汶上县, 海西州 for
海西蒙古族藏族自治州).

A place is named by its full name, by its short name with a plain suffix (海西州,
张家川县) or by its short name alone (汶上, 团风). A short name alone is weaker, and a
county's counts only when the text also names its prefecture or province: 光明, 和平 and
朝阳 are words too. A name that several divisions share goes to the one whose
prefecture or province the text names; failing that, to the highest one (吉林 is the
province), or to none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

from ..datafiles import load_data, load_table
from ..wordsearch import Matches, WordSearch
from .places import main_place

__all__ = [
    "Division",
    "division_named",
    "division_names",
    "divisions",
    "find_region",
    "report_region",
]

#: how much of an article is read for its place (its opening names it)
REGION_READ_CHARS = 20_000
#: the weight of a short name written alone, against a full or suffixed name's 1
_BARE = 0.5
#: a child place is the article's when it has at least this share of its parent's mentions
_DESCEND = 0.5


@dataclass(frozen=True)
class Division:
    """One administrative division: 6-digit code, official name, level (1 province,
    2 prefecture, 3 county), its parent's code and its short name."""

    code: str
    name: str
    level: int
    parent: str
    short: str

    @property
    def province(self) -> Division:
        return divisions()[self.code[:2] + "0000"]

    def ancestors(self) -> list[Division]:
        out, at = [], self
        while at.parent:
            at = divisions()[at.parent]
            out.append(at)
        return out


@cache
def divisions() -> dict[str, Division]:
    """Every division by code."""
    return {
        row["code"]: Division(
            row["code"], row["name"], int(row["level"]), row["parent_code"], row["short_name"]
        )
        for row in load_table("divisions")
    }


@cache
def _names() -> dict[str, list[tuple[Division, float]]]:
    """Each way a division is written -> (division, weight)."""
    names: dict[str, list[tuple[Division, float]]] = defaultdict(list)
    for d in divisions().values():
        written = {d.name: 1.0}
        if len(d.short) >= 2 and d.short != d.name:
            written.setdefault(d.short + d.name[-1], 1.0)  # 海西州, 张家川县
            written.setdefault(d.short, _BARE)
        for name, weight in written.items():
            names[name].append((d, weight))
    return dict(names)


@cache
def _search() -> tuple[WordSearch, list[tuple[float, int, list[tuple[Division, float]]]]]:
    """The ways of writing a division, searched for at once, and per word (in the
    search's order): the surest weight of its candidates, their highest level, and the
    candidates (worked out once, not at each mention)."""
    names = _names()
    search = WordSearch(names)
    return search, [
        (max(w for _, w in hit), min(d.level for d, _ in hit), hit)
        for hit in map(names.__getitem__, search.words)
    ]


@cache
def _lineage(code: str) -> frozenset[str]:
    """The codes of the divisions above ``code``."""
    return frozenset(a.code for a in divisions()[code].ancestors())


def _highest(found: list[tuple[Division, float]]) -> list[tuple[Division, float]]:
    """The candidates of the highest level among ``found`` (吉林: the province)."""
    top = min(d.level for d, _ in found)
    return [(d, w) for d, w in found if d.level == top]


def _title_end(text: str) -> int:
    """Where the title line ends (or the first 60 characters, in a text of one line)."""
    return text.find("\n") if "\n" in text else min(len(text), 60)


def division_named(name: str) -> Division | None:
    """The division ``name`` (full, short or short with a suffix) names, when one does;
    of several, the highest (吉林 is the province)."""
    found = _names().get(name.strip())
    best = _highest(found) if found else []
    return best[0][0] if len(best) == 1 else None


def division_names() -> Mapping[str, object]:
    """Every way of writing a division (full, short, short with a suffix), as keys."""
    return _names()


def name_search() -> WordSearch:
    """The search for every way of writing a division (its words are the names)."""
    return _search()[0]


def _mentions(
    text: str, found: Matches | None = None
) -> list[tuple[int, list[tuple[Division, float]]]]:
    """(position, candidates) of the division names in ``text``: where names overlap,
    the surer one (a full or suffixed name over a short one alone), then the longer,
    then the higher division, so that 其中江苏 is 江苏 (a province), not 中江 (a county).
    ``found`` are the names' matches in ``text`` when they are known already."""
    search, words = _search()
    longest: dict[int, int] = {}  # start -> end of the longest name there
    word_at: dict[int, int] = {}
    for word, start, end in search.find(text) if found is None else found:
        if end > longest.get(start, 0):
            longest[start], word_at[start] = end, word
    if not longest:
        return []
    ranked = sorted(
        longest,
        key=lambda i: (-words[word_at[i]][0], i - longest[i], words[word_at[i]][1], i),
    )
    taken = bytearray(len(text))
    out = []
    for i in ranked:
        end = longest[i]
        if taken.find(1, i, end) == -1:
            taken[i:end] = b"\x01" * (end - i)
            out.append((i, words[word_at[i]][2]))
    out.sort(key=_FIRST)
    return out


#: the first item of a pair (a sort key)
_FIRST = itemgetter(0)


def find_region(text: str) -> Division | None:
    """The most specific division the article reports on, or None (see _weighed)."""
    found = _weighed(text)
    return found[0] if found else None


def report_region(text: str, names: Matches | None = None) -> str | None:
    """The place an article reports on, as its report gives it: the division
    find_region() finds, unless a place with a suffix that is no division (a zone, an
    old name) is named at least as much (梧州市, 沙湾经济开发区). ``names`` are the
    matches of :func:`name_search` in ``text[:REGION_READ_CHARS]``, when known."""
    found = _weighed(text, names)
    other = main_place(text[:REGION_READ_CHARS])
    if other and division_named(other) is None:
        bonus = float(load_data("rules")["report"]["title_bonus"])
        weight = text.count(other, 0, REGION_READ_CHARS) + (
            bonus if other in text[: _title_end(text)] else 0
        )
        if found is None or weight >= found[1]:
            return other
    return found[0].name if found else other


def _weighed(text: str, names: Matches | None = None) -> tuple[Division, float] | None:
    """The most specific division the article reports on, and its weight.

    Mentions are weighed (the title line counts extra), each counting for its division
    and that division's ancestors; from the province named most, the reading goes down
    to the child with at least half of its parent's weight, as far as one has it."""
    text = text[:REGION_READ_CHARS]
    mentions = _mentions(text, names)
    if not mentions:
        return None
    # places named without doubt: the context that settles the names several share
    named = {found[0][0].code for _, found in mentions if len(found) == 1}
    bonus = float(load_data("rules")["report"]["title_bonus"])
    title_end = _title_end(text)
    own: dict[str, float] = defaultdict(float)
    for at, found in mentions:
        fits = found
        if len(found) > 1:
            fits = [(d, w) for d, w in found if _lineage(d.code) & named]
            if len(fits) != 1:  # none or several in context: the highest, if only one
                fits = _highest(found)
        if len(fits) != 1:
            continue
        d, w = fits[0]
        if w < 1.0 and d.level == 3 and not _lineage(d.code) & named:
            continue  # a county's short name alone, with nothing around it named
        own[d.code] += w * (1 + bonus if at < title_end else 1)
    if not own:
        return None
    total: dict[str, float] = defaultdict(float)
    for code, w in own.items():
        for d in (divisions()[code], *divisions()[code].ancestors()):
            total[d.code] += w
    children: dict[str, list[str]] = defaultdict(list)
    for code in total:
        parent = divisions()[code].parent
        if parent:
            children[parent].append(code)
    place = max((c for c in total if not divisions()[c].parent), key=lambda c: total[c])
    while children[place]:
        best = max(children[place], key=lambda c: total[c])
        if total[best] < _DESCEND * total[place]:
            break
        place = best
    return divisions()[place], total[place]
