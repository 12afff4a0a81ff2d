"""Place names in cleaned text by their suffix (the gazetteer, gazetteer.py, knows the
divisions; these also find zones and places it does not): a 2-3 character name followed by a
place suffix (市 县 区 州, 经开区, 高新区 …), whose characters are not function words
(我市, 全县, 来自市 are not places). Lists are in ``data/rules.json`` under ``report``."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ..datafiles import alternation, load_data

__all__ = ["find_places", "main_place", "place_base"]

#: how many of the most often named places main_place() weighs
_CANDIDATES = 20


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A place name, and the character before one (a gate: see find_places)."""
    d = load_data("rules")["report"]
    bad = re.escape(d["place_base_exclude_chars"])
    verbs = alternation(d["place_base_verbs"])
    name = (
        rf"(?=[\u4e00-\u9fff])(?!{verbs})(?P<base>[^{bad}\W\d\sA-Za-z]{{2,3}}?)"
        rf"(?P<suffix>{alternation(d['place_suffixes'])})"
    )
    return re.compile(rf"(?<![\u4e00-\u9fff]){name}"), re.compile(rf"[^\u4e00-\u9fff](?={name})")


def place_base(name: str) -> str | None:
    """``name`` without its place suffix (梧州市 -> 梧州, 青山经开区 -> 青山), or None when
    it has none or less than two characters would be left."""
    for suffix in sorted(load_data("rules")["report"]["place_suffixes"], key=len, reverse=True):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def find_places(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """Place-name matches in ``text[start:end]`` (as ``finditer`` of the place pattern).

    A name starts a run of Han characters, so it is looked for after each character
    that is not one (the gate): ``re`` skips to those in a fast loop of its own, where
    the place pattern, which begins with a lookbehind, would be entered at every
    position."""
    end = len(text) if end is None else end
    name, gate = _patterns()
    found: list[re.Match[str]] = []
    at = start  # where the last name ended
    if start <= 0 and (first := name.match(text, 0, end)):  # re reads pos < 0 as 0
        found.append(first)
        at = first.end()
    for hit in gate.finditer(text, max(start - 1, 0), end):
        if hit.end() >= at and (m := name.match(text, hit.end(), end)):
            found.append(m)
            at = m.end()
    return found


def main_place(text: str) -> str | None:
    """The place an article reports on: the named place whose name recurs most
    (the title line counts extra); ties go to the earliest."""
    places = find_places(text)
    if not places:
        return None
    bonus = int(load_data("rules")["report"]["title_bonus"])
    title_end = text.find("\n") if "\n" in text else len(text)
    named = Counter(m.group(0) for m in places)
    # only the places named most often, and those of the title, are counted in full:
    # counting every one of thousands of names would take time in their number
    candidates = {n for n, _ in named.most_common(_CANDIDATES)}
    in_title = dict.fromkeys(m.group(0) for m in places if m.start() < title_end)
    candidates.update(list(in_title)[:_CANDIDATES])
    score: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in places:
        name = m.group(0)
        if name in candidates and name not in score:
            score[name] = text.count(m.group("base")) + (bonus if m.start() < title_end else 0)
            first[name] = m.start()
    return max(score, key=lambda n: (score[n], -first[n]))
