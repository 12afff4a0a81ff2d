"""Promotion mechanisms named or described in a text, as taxonomy codes: the taxonomy's
names and examples (``data/taxonomy.json``) and the patterns of ``data/rules.json``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..datafiles import alternation, escaped_words, load_data
from ..patterns import Scanner, grouped_by_first_character, leading_words, scanner
from ..report.schema import Mechanism
from ..text.clean import CleanText
from ..wordsearch import Matches, WordSearch
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


@dataclass(frozen=True)
class _Term:
    """A taxonomy code's pattern, and the words one of which each of its matches opens
    with (None when some alternative's opening cannot be told)."""

    code: str
    pattern: Scanner
    openings: list[str] | None


@cache
def _mechanism_terms() -> list[_Term]:
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
        openings: list[str] | None = []
        for alternative in alternatives:
            leading = leading_words(alternative)
            openings = None if leading is None or openings is None else openings + leading
        pattern = scanner(grouped_by_first_character(alternatives))
        terms.append(_Term(mech["code"], pattern, openings))
    return terms


#: the opening-word search and the terms it was built from (see _openings)
_built: tuple[list[_Term], WordSearch, list[list[int]]] | None = None


def _openings() -> tuple[WordSearch, list[list[int]]]:
    """The words the codes' matches open with, searched for at once, and per word the
    codes (their places in :func:`_mechanism_terms`) whose matches can open with it.
    Built once for the terms :func:`_mechanism_terms` gives (again if they are built
    again), so that the codes a word names are always those of the current terms."""
    global _built
    terms = _mechanism_terms()
    if _built is None or _built[0] is not terms:
        search = WordSearch(w for term in terms for w in term.openings or ())
        owners: list[list[int]] = [[] for _ in search.words]
        index = {word: n for n, word in enumerate(search.words)}
        for k, term in enumerate(terms):
            for word in dict.fromkeys(term.openings or ()):
                owners[index[word]].append(k)
        _built = (terms, search, owners)
    return _built[1], _built[2]


def opening_search() -> WordSearch:
    """The search for the words the codes' matches open with."""
    return _openings()[0]


#: the longest text searched through the opening words (the search lists every match);
#: a longer one is scanned code by code, each scan stopping at its first mention
WORD_SEARCH_CHARS = 20_000

#: how far the clause of a mention is looked for on each side
_CLAUSE_REACH = 60


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]`` (between ，：。； or line breaks), at most
    _CLAUSE_REACH characters on each side: a mechanism's evidence says what is done."""
    lo = clause_start(text, start, max(0, start - _CLAUSE_REACH))
    return lo, min(break_after(text, end, CLAUSE_ENDS), end + _CLAUSE_REACH)


@cache
def _denials() -> list[str]:
    """Words that deny a practice named after them: negations and exclusions."""
    rules = load_data("rules")
    return [*rules["negations"], *rules["exclusions"]]


def _affirmed(pattern: Scanner, text: str) -> re.Match[str] | None:
    """The first mention of ``pattern`` in ``text`` that no negation stands before
    (尚未开展以商招商, 已停止…: ``negations`` in data/rules.json), nor an exclusion
    (不含增资扩产项目: ``exclusions``)."""
    words = _denials()
    return next((m for m in pattern.finditer(text) if not negated(text, m.start(), words)), None)


def _affirmed_at(pattern: Scanner, text: str, starts: list[int]) -> re.Match[str] | None:
    """:func:`_affirmed`, with the places a match can start given (sorted): the same
    match, tried at those places only. After a denied mention the next is looked for
    from its end, as ``finditer`` does."""
    words = _denials()
    after = 0
    for at in starts:
        if at >= after and (m := pattern.match(text, at)) is not None:
            if not negated(text, at, words):
                return m
            after = m.end()
    return None


def _first_mentions(text: str, found: Matches | None = None) -> list[tuple[str, re.Match[str]]]:
    """Per taxonomy code the text speaks of, its first mention that is not denied.

    The words the codes' matches open with are found in one pass (:class:`WordSearch`;
    ``found``, their matches in ``text``, when known already), and each code is tried
    only where one of its words stands: a code none of whose words the text holds
    (most of them, in most articles) costs nothing more."""
    terms = _mechanism_terms()
    if found is None and len(text) > WORD_SEARCH_CHARS:  # a list of every match is long
        return [
            (term.code, m) for term in terms if (m := _affirmed(term.pattern, text)) is not None
        ]
    search, owners = _openings()
    starts: list[list[int]] = [[] for _ in terms]
    for word, start, _ in search.find(text) if found is None else found:
        for k in owners[word]:
            starts[k].append(start)
    out = []
    for term, at in zip(terms, starts, strict=True):
        if term.openings is None:
            m = _affirmed(term.pattern, text)
        else:
            m = _affirmed_at(term.pattern, text, sorted(set(at))) if at else None
        if m:
            out.append((term.code, m))
    return out


def find_mechanisms(doc: CleanText, openings: Matches | None = None) -> list[Mechanism]:
    """Each taxonomy code the text speaks of, with its first evidence. ``openings`` are
    the matches of :func:`opening_search` in ``doc.text``, when known."""
    out = []
    for code, m in _first_mentions(doc.text, openings):
        start, end = _clause(doc.text, m.start(), m.end())
        out.append(Mechanism(code=code, evidence=evidence_for(doc, start, end)))
    return out


def mention_of(code: str, text: str) -> tuple[int, int] | None:
    """The span of the first mention of the practice ``code`` in ``text`` that is not
    denied, or None."""
    for term in _mechanism_terms():
        if term.code == code and (m := _affirmed(term.pattern, text)):
            return m.span()
    return None


def describes(code: str, text: str) -> bool:
    """True when ``text`` names or describes the practice ``code`` (its taxonomy names,
    examples, or the patterns of data/rules.json), and does not deny it."""
    return mention_of(code, text) is not None
