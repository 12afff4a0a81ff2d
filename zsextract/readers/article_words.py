"""The words two readers look for in an article, found in one pass: the ways of writing
a division (gazetteer.py) and the words the mechanisms' matches open with
(mechanisms.py).

Each search has a cost of its own beside the text's length (measured in a run of the
rules backend on 4,000-character articles: the division names 190 µs, the mechanism
words 130 µs, and each again right after, caches warm, 85 and 75 µs), so one search
for both lists costs less than two (some 170–230 µs).
"""

from __future__ import annotations

from functools import lru_cache

from ..wordsearch import Matches, WordSearch
from .gazetteer import REGION_READ_CHARS, name_search
from .mechanisms import WORD_SEARCH_CHARS, opening_search

__all__ = ["article_words"]


@lru_cache(maxsize=1)
def _joint(
    name_words: WordSearch, opening_words: WordSearch
) -> tuple[WordSearch, list[int], list[int]]:
    """Both searches' words as one search, and per word of it its place in each list
    (-1: none); built again when either search is."""
    names, openings = name_words.words, opening_words.words
    joint = WordSearch([*names, *openings])
    at = {word: n for n, word in enumerate(joint.words)}
    in_names, in_openings = [-1] * len(joint), [-1] * len(joint)
    for i, word in enumerate(names):
        in_names[at[word]] = i
    for i, word in enumerate(openings):
        in_openings[at[word]] = i
    return joint, in_names, in_openings


def article_words(text: str) -> tuple[Matches | None, Matches | None]:
    """The matches in ``text`` of :func:`~.gazetteer.name_search` (those within the
    first ``REGION_READ_CHARS`` characters, which the gazetteer reads) and of
    :func:`~.mechanisms.opening_search`: what each search finds alone, as
    (word in its own list, start, end). A text longer than ``WORD_SEARCH_CHARS`` gives
    (None, None): each reader then reads it its own way, within its own bounds."""
    if len(text) > WORD_SEARCH_CHARS:
        return None, None
    joint, in_names, in_openings = _joint(name_search(), opening_search())
    names: Matches = []
    openings: Matches = []
    for word, start, end in joint.find(text):
        if (i := in_names[word]) >= 0 and end <= REGION_READ_CHARS:
            names.append((i, start, end))
        if (j := in_openings[word]) >= 0:
            openings.append((j, start, end))
    return names, openings
