"""Many words found in a text in one pass (Aho–Corasick, :mod:`ahocorasick_rs`).

Python's ``re`` tries an alternation of many words branch by branch at each place one
can start, and a Python loop over such places pays the interpreter for each. An
Aho–Corasick automaton reads the text once, in compiled code, whatever the number of
words: the 6,300 ways of writing China's divisions (readers/gazetteer.py) or the words
each promotion mechanism's patterns open with (readers/mechanisms.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ahocorasick_rs import AhoCorasick

__all__ = ["Matches", "WordSearch"]

#: what :meth:`WordSearch.find` gives: (word index, start, end) per match
Matches = list[tuple[int, int, int]]

_SURROGATE = re.compile("[\ud800-\udfff]")


class WordSearch:
    """Every place any of ``words`` stands in a text, overlaps included.

    >>> s = WordSearch(["江苏", "江苏省", "苏州"])
    >>> s.find("在江苏省苏州市")
    [(0, 1, 3), (1, 1, 4), (2, 4, 6)]

    Each match is (index of the word in ``words``, start, end), with character offsets
    into the text, in the order of their ends. Words are kept each once, in their
    first order; an empty word is an error (it would stand everywhere).

    The automaton is the library's default. In a run of the rules backend (caches cold
    from the rest of the work) one search of a 4,000-character article for both the
    division names and the mechanism words took some 170–230 µs, with it and with the
    contiguous NFA alike; the DFA was no faster there and takes 12 MB.
    """

    __slots__ = ("_automaton", "words")

    def __init__(self, words: Iterable[str]) -> None:
        self.words: list[str] = list(dict.fromkeys(words))
        if "" in self.words:
            raise ValueError("WordSearch: an empty word would match at every position")
        self._automaton = AhoCorasick(self.words) if self.words else None

    def find(self, text: str) -> Matches:
        """(word index, start, end) of every occurrence of every word in ``text``. The
        list holds every match, so a caller bounds the text it searches (a text made of
        one word repeated gives a match per character)."""
        if self._automaton is None:
            return []
        try:
            return self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate: the search reads UTF-8
            safe = _SURROGATE.sub("\ufffd", text)  # one character for one: same offsets
            return self._automaton.find_matches_as_indexes(safe, overlapping=True)

    def __len__(self) -> int:
        return len(self.words)

    def __repr__(self) -> str:
        return f"WordSearch({len(self.words)} words)"
