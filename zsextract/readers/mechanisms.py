"""Promotion mechanisms named or described in a text, as taxonomy codes: the taxonomy's
names and examples (``data/taxonomy.json``) and the patterns of ``data/rules.json``."""

from __future__ import annotations

import re
from functools import cache

from ..datafiles import alternation, load_data
from ..report.schema import Mechanism
from ..text.clean import CleanText
from .evidence import evidence_for
from .spans import negated

__all__ = ["describes", "find_mechanisms", "mention_of"]


@cache
def _mechanism_terms() -> list[tuple[str, re.Pattern[str]]]:
    """Per taxonomy code: its names, its examples and the patterns in rules.json."""
    rules = load_data("rules")["mechanisms"]
    terms = []
    for mech in load_data("taxonomy")["mechanisms"]:
        own = rules.get(mech["code"], {"words": [], "patterns": []})
        words = [w for w in mech["zh"].split("/") if w] + list(mech["examples"]) + own["words"]
        alternatives = [alternation(words), *own["patterns"]]
        terms.append((mech["code"], re.compile("|".join(alternatives))))
    return terms


def _affirmed(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
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
            out.append(Mechanism(code=code, evidence=evidence_for(doc, m.start(), m.end())))
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
