"""Promotion mechanisms named or described in a text, as taxonomy codes: the taxonomy's
names and examples (``data/taxonomy.json``) and the patterns of ``data/rules.json``."""

from __future__ import annotations

import re
from functools import cache

from ..datafiles import alternation, escaped_words, load_data
from ..patterns import Scanner, grouped_by_first_character, scanner
from ..report.schema import Mechanism
from ..text.clean import CleanText
from .evidence import evidence_for
from .spans import CLAUSE_ENDS, break_after, clause_start, negated

__all__ = ["describes", "find_mechanisms", "mention_of"]


def _frame(parts: list[list[str] | str], lists: dict[str, list[str]], gap: int) -> list[str]:
    """A description frame as patterns, one per first word: its word lists in order,
    within one clause (at most ``gap`` characters between two, none of them a clause
    break). A part written "@name" is the shared list ``name`` of ``mechanism_lists``."""
    words = [lists[p[1:]] if isinstance(p, str) else p for p in parts]
    between = f"[^{re.escape(CLAUSE_ENDS)}]{{0,{gap}}}?"
    rest = "".join(between + f"(?:{alternation(w)})" for w in words[1:])
    return [first + rest for first in escaped_words(words[0])]


#: a pattern that opens with a group of plain words: (?:书记|市长)…
_LEADING_WORDS = re.compile(r"\(\?:((?:[^()\[\]\\|?*+{}.^$]+\|)*[^()\[\]\\|?*+{}.^$]+)\)")


def _literal_first(pattern: str) -> list[str]:
    """``pattern`` as alternatives that each open with a plain word, when it opens with
    a group of plain words, else as it is. The same matches at each position, but a
    pattern whose alternatives all open with a character lets the regex engine skip
    every position that starts none (several times faster over a whole article)."""
    m = _LEADING_WORDS.match(pattern)
    if m is None:
        return [pattern]
    rest = pattern[m.end() :]
    return [word + rest for word in m.group(1).split("|")]


@cache
def _mechanism_terms() -> list[tuple[str, Scanner]]:
    """Per taxonomy code: its names, its examples, and the words, patterns and
    description frames of rules.json."""
    rules = load_data("rules")
    lists, gap = rules["mechanism_lists"], int(rules["mechanism_frame_gap"])
    terms = []
    for mech in load_data("taxonomy")["mechanisms"]:
        own = rules["mechanisms"].get(mech["code"], {})
        words = [w for w in mech["zh"].split("/") if w] + list(mech["examples"])
        words += own.get("words", [])
        patterns = [alt for p in own.get("patterns", []) for alt in _literal_first(p)]
        frames = [alt for f in own.get("frames", []) for alt in _frame(f, lists, gap)]
        alternatives = [*escaped_words(words), *patterns, *frames]
        terms.append((mech["code"], scanner(grouped_by_first_character(alternatives))))
    return terms


#: how far the clause of a mention is looked for on each side
_CLAUSE_REACH = 60


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]`` (between ，：。； or line breaks), at most
    _CLAUSE_REACH characters on each side: a mechanism's evidence says what is done."""
    lo = clause_start(text, start, max(0, start - _CLAUSE_REACH))
    return lo, min(break_after(text, end, CLAUSE_ENDS), end + _CLAUSE_REACH)


def _affirmed(pattern: Scanner, text: str) -> re.Match[str] | None:
    """The first mention of ``pattern`` in ``text`` that no negation stands before
    (尚未开展以商招商, 已停止…: ``negations`` in data/rules.json)."""
    words = load_data("rules")["negations"]
    return next((m for m in pattern.finditer(text) if not negated(text, m.start(), words)), None)


def find_mechanisms(doc: CleanText) -> list[Mechanism]:
    """Each taxonomy code the text speaks of, with its first evidence."""
    out = []
    for code, pattern in _mechanism_terms():
        m = _affirmed(pattern, doc.text)
        if m:
            start, end = _clause(doc.text, m.start(), m.end())
            out.append(Mechanism(code=code, evidence=evidence_for(doc, start, end)))
    return out


def mention_of(code: str, text: str) -> tuple[int, int] | None:
    """The span of the first mention of the practice ``code`` in ``text`` that is not
    denied, or None."""
    for c, pattern in _mechanism_terms():
        if c == code and (m := _affirmed(pattern, text)):
            return m.span()
    return None


def describes(code: str, text: str) -> bool:
    """True when ``text`` names or describes the practice ``code`` (its taxonomy names,
    examples, or the patterns of data/rules.json), and does not deny it."""
    return mention_of(code, text) is not None
