"""Clean scraped article text while keeping a map back to the raw input.

:func:`clean_text` folds the script (OpenCC, Traditional to Simplified) and width,
then only *deletes* characters: pinyin glosses left by mirror sites (網(wǎng) -> 网),
page chrome (breadcrumbs, forum counters, reply buttons, disclaimers, related-news
lists), repeated punctuation and surplus whitespace. Because every kept character
comes from exactly one raw character, ``CleanText.to_raw`` maps any span of the
cleaned text back to the raw text exactly.

The chrome patterns are data: ``zsextract/data/chrome.json``.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from itertools import accumulate

from ..datafiles import load_data
from .html import extract_article, looks_like_html
from .injection import find_instructions
from .script import fold

__all__ = ["CleanText", "clean_text"]

_SPACE_RUN = re.compile(r"[ \t]{2,}")


@dataclass(frozen=True, eq=False)
class CleanText:
    """Cleaned text with a character map back to ``raw``.

    ``raw`` is the text offsets refer to: the input itself, or for an HTML page the
    article body taken out of it (then ``from_html`` is true and ``title``,
    ``publish_date`` and ``url`` come from the page's metadata when it has them).
    """

    text: str
    raw: str
    _index: array[int] = field(repr=False)
    from_html: bool = False
    title: str | None = None
    publish_date: str | None = None
    url: str | None = None

    @cached_property
    def instructions(self) -> list[tuple[int, int]]:
        """Spans of ``text`` that address a language model (:mod:`.injection`)."""
        return find_instructions(self.text)

    def in_instructions(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` touches text that addresses a model (a quote
        that runs into an instruction is the instruction's as much as the article's)."""
        return any(a < max(end, start + 1) and start < b for a, b in self.instructions)

    @cached_property
    def visible(self) -> str:
        """``text`` with the text that addresses a model blanked out (same length):
        what fields may be read from."""
        if not self.instructions:
            return self.text
        pieces, pos = [], 0
        for a, b in self.instructions:
            pieces += [self.text[pos:a], " " * (b - a)]
            pos = b
        return "".join(pieces) + self.text[pos:]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``text[start:end]`` to the raw span ``(raw_start, raw_end)``.

        The raw span runs from the raw character of ``text[start]`` through the raw
        character of ``text[end - 1]``, so glosses or chrome removed *inside* the span
        are included and ``raw[raw_start:raw_end]`` cleans back to ``text[start:end]``.
        """
        n = len(self.text)
        if not (0 <= start <= end <= n):
            raise IndexError(f"span ({start}, {end}) is outside the cleaned text (0, {n})")
        if start == end:
            pos = self._index[start] if start < n else len(self.raw)
            return pos, pos
        return self._index[start], self._index[end - 1] + 1

    def raw_slice(self, start: int, end: int) -> str:
        """The raw text behind ``text[start:end]``: the verbatim quote for evidence."""
        raw_start, raw_end = self.to_raw(start, end)
        return self.raw[raw_start:raw_end]

    def to_clean(self, raw_pos: int) -> int:
        """Index in ``text`` of the first kept character at or after raw position ``raw_pos``."""
        return bisect_left(self._index, raw_pos)

    def __len__(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class _Rules:
    drop_line: re.Pattern[str]
    drop_rest: re.Pattern[str]
    inline: re.Pattern[str]
    gloss: re.Pattern[str]
    syllable: re.Pattern[str]
    repeated: re.Pattern[str]
    invisible: re.Pattern[str]
    space_entities: re.Pattern[str]


@cache
def _rules() -> _Rules:
    d = load_data("chrome")

    def any_of(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns))

    punct = re.escape(d["collapse_punctuation"])
    letters = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
    return _Rules(
        drop_line=any_of(d["drop_line"]),
        drop_rest=any_of(d["drop_rest"]),
        inline=any_of(d["inline"]),
        gloss=re.compile(rf"[(（]\s?([{letters}]{{1,7}})\s?[)）]"),
        syllable=re.compile(d["pinyin_syllable"]),
        repeated=re.compile(rf"([{punct}])(\s*\1)+"),
        # a class, then a repeat of it: a pattern that begins with a class is skipped
        # through in re's fast loop, one that begins with a repeat is entered everywhere
        invisible=re.compile(f"{d['invisible']}{d['invisible']}*"),
        space_entities=re.compile(d["space_entities"]),
    )


@lru_cache(maxsize=4096)
def _syllable(word: str) -> tuple[bool, bool]:
    """(is a pinyin syllable, carries a tone mark): a page repeats its glosses, so each
    word is judged once."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)
    ).replace("ü", "v")
    if _rules().syllable.fullmatch(plain) is None:
        return False, False
    return True, plain != word.replace("ü", "v")


def _glosses(folded: str) -> list[tuple[int, int]]:
    """Spans of pinyin glosses such as (wǎng) in 網(wǎng): a pinyin syllable in brackets,
    after a Han character, or toned after anything.

    Mirror sites also leave glosses behind mojibake (貭I(yíng)); a tone mark makes
    those safe to drop. Untoned letters after Latin text stay: (app), (km). (One loop,
    no call per bracket: a mirror page has hundreds of them.)"""
    spans = []
    judged = _syllable
    for m in _rules().gloss.finditer(folded):
        syllable, toned = judged(m.group(1))
        if syllable:
            start = m.start()
            if toned or (start > 0 and "\u3400" <= folded[start - 1] <= "\u9fff"):
                spans.append((start, m.end()))
    return spans


#: a line longer than this is never taken for chrome as a whole (it holds article text)
_CHROME_LINE_MAX = 200
#: article characters (in lines with punctuation, not titles) that must come before a
#: footer line ends the article: a disclaimer at the top of a page is one line of
#: chrome, not the end
_CONTENT_BEFORE_FOOTER = 10


def _chrome(text: str) -> list[tuple[int, int]]:
    """Spans of page chrome: whole lines, inline bylines, and everything after a footer
    (a 免责声明 or 相关新闻 line that follows some article text)."""
    rules = _rules()
    spans: list[tuple[int, int]] = []
    pos = content = 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        line_start, pos = pos, pos + len(line)
        if not body:
            continue
        if len(body) <= _CHROME_LINE_MAX and rules.drop_rest.fullmatch(body):
            if content >= _CONTENT_BEFORE_FOOTER:
                spans.append((line_start, len(text)))
                break
            spans.append((line_start, pos))
            continue
        if len(body) <= _CHROME_LINE_MAX and rules.drop_line.fullmatch(body):
            spans.append((line_start, pos))
            continue
        if any(mark in body for mark in "。，；,;"):
            content += len(body)
        for m in rules.inline.finditer(line):
            spans.append((line_start + m.start(), line_start + m.end()))
    return spans


def is_chrome_line(line: str) -> bool:
    """True when ``line`` on its own would be dropped as page chrome."""
    rules = _rules()
    folded = fold(rules.invisible.sub("", line))
    body = _delete(folded, _identity_index(len(folded)), _glosses(folded))[0].strip()
    return bool(body) and bool(rules.drop_line.fullmatch(body) or rules.drop_rest.fullmatch(body))


def _delete(text: str, index: array[int], spans: list[tuple[int, int]]) -> tuple[str, array[int]]:
    """``text`` without ``spans``, and the raw index of each kept character. The kept
    parts of the index are joined as bytes (views of it, one join in C), not copied
    into an array part by part: a mirror page deletes hundreds of glosses."""
    if not spans:
        return text, index
    spans.sort()
    pieces: list[str] = []
    parts: list[memoryview] = []
    width = index.itemsize
    raw = memoryview(index).cast("B")
    pos = 0
    for a, b in spans:
        if a > pos:
            pieces.append(text[pos:a])
            parts.append(raw[pos * width : a * width])
        if b > pos:
            pos = b
    pieces.append(text[pos:])
    parts.append(raw[pos * width :])
    kept = array(index.typecode)
    kept.frombytes(b"".join(parts))
    return "".join(pieces), kept


def _surplus(text: str) -> list[tuple[int, int]]:
    """Spans of repeated punctuation, surplus whitespace, empty lines and extra newline chars."""
    spans = [(m.start() + 1, m.end()) for m in _rules().repeated.finditer(text)]
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        content = line.rstrip("\r\n")
        if not content.strip():
            spans.append((start, pos))
            continue
        end = start + len(content)
        # most lines have none of these: each is looked for only when it can be there
        if content[0].isspace():
            spans.append((start, start + len(content) - len(content.lstrip())))
        if content[-1].isspace():
            spans.append((start + len(content.rstrip()), end))
        if pos - 1 > end:
            spans.append((end, pos - 1))  # "\r\n": keep one newline character
        if "\t" in content or "  " in content:  # a run of two spaces or tabs
            spans.extend(
                (start + m.start() + 1, start + m.end()) for m in _SPACE_RUN.finditer(content)
            )
    return [(a, b) for a, b in spans if b > a]


#: what ends a line that is no hard wrap: a sentence, a clause before a list, a quote
_LINE_ENDS = "。！？!?；;：:…”’」』）)】"
#: a hard wrap: at least this many lines of about one width, that width (in half-widths,
#: a Han character counting two) at least this
_WRAPPED_LINES = 3
_WRAP_WIDTH = 30


#: characters that show twice as wide as a letter: CJK, Hangul, full-width forms
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


def _width(line: str) -> int:
    """How wide ``line`` shows, in half-widths; 0 for a line with a space (a table row)."""
    if " " in line or "\u3000" in line:
        return 0
    return len(line) + len(_WIDE.findall(line))


def _hard_wraps(text: str) -> list[tuple[int, int]]:
    """The newlines of prose wrapped at a fixed width (from a PDF or a mirror page).

    A line is wrapped when it is about as wide as most such lines (±2 half-widths, at
    least 30, at least three of them), has no space in it (no table row), ends in no
    sentence mark, goes on in a word, and the line before or after it is as wide too
    (a heading stands alone). Such a newline cuts a sentence, and a figure from its
    name (全年签约项目|157个). Only lines that end open are measured."""
    lines = text.split("\n")
    shortest = _WRAP_WIDTH // 2
    open_ended = [
        i
        for i, line in enumerate(lines[:-1])
        if len(line) >= shortest and line[-1] not in _LINE_ENDS and lines[i + 1][:1].isalnum()
    ]
    if len(open_ended) < _WRAPPED_LINES:
        return []
    widths = {i: _width(lines[i]) for i in open_ended}
    wide = Counter(w for w in widths.values() if w >= _WRAP_WIDTH)
    near = {w: sum(n for v, n in wide.items() if abs(v - w) <= 2) for w in wide}
    width = max(near, key=lambda w: (near[w], w), default=0)
    if not width or near[width] < _WRAPPED_LINES:
        return []

    def full(i: int) -> bool:
        if i not in widths:
            widths[i] = _width(lines[i]) if 0 <= i < len(lines) else 0
        return abs(widths[i] - width) <= 2

    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    return [
        (starts[i + 1] - 1, starts[i + 1])
        for i in open_ended
        if full(i) and (full(i + 1) or full(i - 1))
    ]


#: 0, 1, 2 …: sliced for the offset map of a text (a copy in C), grown when too short
_identity = array("l")
#: the longest map kept for slicing (8 MB); a longer text builds its own
_IDENTITY_KEPT = 1 << 20


def _identity_index(n: int) -> array[int]:
    """``array("l", range(n))``, copied from a kept one (a hundred times faster)."""
    global _identity
    if n > _IDENTITY_KEPT:
        return array("l", range(n))
    kept = _identity
    if len(kept) < n:
        kept = _identity = array("l", range(min(_IDENTITY_KEPT, max(n, 2 * len(kept), 1 << 16))))
    return kept[:n]


def _clean_plain(raw: str) -> tuple[str, array[int]]:
    invisible = [m.span() for m in _rules().invisible.finditer(raw)]
    if "&" in raw:  # 到位资金&nbsp;3.5亿元: a space left as an HTML entity in plain text
        invisible = sorted(invisible + [m.span() for m in _rules().space_entities.finditer(raw)])
    folded = fold(raw)
    text, index = _delete(folded, _identity_index(len(folded)), invisible)
    text, index = _delete(text, index, _glosses(text))
    text, index = _delete(text, index, _chrome(text))
    text, index = _delete(text, index, _surplus(text))
    text, index = _delete(text, index, _hard_wraps(text))
    if text.endswith(("\n", "\r")):  # the last kept line break would end the text
        text, index = text[:-1], index[:-1]
    return text.replace("\r", "\n").replace("\t", " "), index


def clean_text(raw: str, *, html: bool | None = None) -> CleanText:
    """Clean a scraped article and keep a map from cleaned to raw offsets.

    ``raw`` is plain text or a whole HTML page (detected, or forced with ``html``).
    For HTML the article body is taken out with trafilatura first and offsets refer
    to that body text, kept as ``CleanText.raw``.
    """
    if not isinstance(raw, str):
        raise TypeError(f"clean_text() takes a str, not {type(raw).__name__}; decode bytes first")
    if html is None:
        html = looks_like_html(raw)
    if html:
        article = extract_article(raw)
        text, index = _clean_plain(article.text)
        return CleanText(
            text,
            article.text,
            index,
            from_html=True,
            title=article.title,
            publish_date=article.date,
            url=article.url,
        )
    text, index = _clean_plain(raw)
    return CleanText(text, raw, index)
