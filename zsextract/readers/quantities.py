"""Chinese quantities: parse one mention, or find every mention in a text.

``parse_quantity("484.5億元")`` gives value 48450000000 (exactly), unit ``CNY``.
The tables (numerals, scales, units, classifiers, qualifiers) live in
``zsextract/data/units.json``; this module only compiles them into one pattern.
Text is folded first (Traditional to Simplified, full-width to ASCII), which keeps
its length, so spans found in the folded text are spans of the input.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from math import prod
from typing import Any

from ..datafiles import alternation, load_data
from ..errors import QuantityParseError
from ..report.numbers import tidy
from ..report.schema import Qualifier, Quantity
from ..text.script import fold

__all__ = ["QuantityMention", "find_quantities", "parse_chinese_number", "parse_quantity"]


@dataclass(frozen=True, slots=True)
class QuantityMention:
    """A quantity found in a text: ``text[start:end]`` states ``quantity``."""

    start: int
    end: int
    text: str
    quantity: Quantity


@dataclass(frozen=True)
class _Tables:
    data: dict[str, Any]
    pattern: re.Pattern[str]
    units: dict[str, tuple[str, str]]  # unit text -> (kind, unit code)
    money_cues: re.Pattern[str]
    limit: Decimal  # the first number of more than max_digits digits
    before: dict[str, Qualifier]  # a qualifier word before a number -> its qualifier
    after: dict[str, Qualifier]  # one after it
    digit: dict[str, Decimal]  # a Chinese digit -> its value


def _qualifiers_before(d: dict[str, Any]) -> str:
    """约 近 超 … as an alternation; 约 in 签约 or 近 in 最近 is no qualifier."""
    blockers = d["qualifier_not_after"]
    words = sorted(d["qualifiers_before"], key=len, reverse=True)
    return "|".join(
        f"(?<![{re.escape(blockers[w])}]){re.escape(w)}" if w in blockers else re.escape(w)
        for w in words
    )


def _led(words: Collection[str], alternatives: str | None = None) -> str:
    """An alternation of ``words`` (or ``alternatives`` that each start with one of
    them), led by a class of their first characters: where none of them starts, the
    attempt fails at one test instead of one per word."""
    firsts = "".join(sorted({re.escape(w[0]) for w in words}))
    return f"(?=[{firsts}])(?:{alternation(words) if alternatives is None else alternatives})"


def _starts(numeric: str, words: Collection[str]) -> str:
    """Lookaheads for where a quantity can start: a digit or one of ``numeric``, or one
    of ``words``. The first tests one character, which lets the scan skip the rest of the
    text quickly; the second ends the attempt at a character that only starts other
    words (大 in 大力, 高 in 高质量) before the alternatives are tried."""
    firsts = {re.escape(c) for c in numeric} | {re.escape(w[0]) for w in words}
    return f"(?=[\\d{''.join(sorted(firsts))}])(?=[\\d{re.escape(numeric)}]|{alternation(words)})"


def _optional(part: str) -> str:
    """``part`` or nothing, ``part`` tried first: what ``(?:part)?`` matches, in the
    same order. Python's ``re`` enters a ``?`` over more than one character through
    its general repeat, which allocates a context at each try; an alternation with an
    empty branch does not (the quantity pattern tries eleven of them at each number)."""
    return f"(?:{part}|)"


def _number(arabic: str, chinese: str, compound: str, cn_all: str) -> str:
    """A number: Arabic, perhaps followed by a ``compound`` part (亿5000万), or Chinese
    (not inside a longer run of Chinese numerals).

    The Arabic part is tried once, and ``compound`` after it: an Arabic or a Chinese
    number matches in one way at most and neither starts where the other can, so this
    finds what ``Arabic compound | Arabic | Chinese`` finds, in the same order, without
    reading the Arabic part twice (a match attempt at 一 or 2 costs a fifth less)."""
    return rf"(?:{arabic}{_optional(compound)}|(?<![{cn_all}]){chinese})"


@cache
def _tables() -> _Tables:
    d = load_data("units")
    units: dict[str, tuple[str, str]] = {}
    for word in d["count"]:
        units[word] = ("count", "count")
    for word, code in d["time"].items():
        units[word] = ("time", code)
    for word, code in d["physical"].items():
        units[word] = ("physical", code)
    for word in d["times"]:
        units[word] = ("times", "times")
    for word in d["percent"]:
        units[word] = ("percent", "percent")
    units[d["tenths"]] = ("percent", "percent")
    units[d["tenths_half"]] = ("percent", "percent")
    for word, spec in d["money"].items():
        units[word] = ("money", spec["unit"])

    cn_digit = "".join(d["digits"])
    cn_small = "".join(d["small_multipliers"])
    cn_all = cn_digit + cn_small + "".join(d["section_multipliers"])
    most, point = int(d["max_digits"]), re.escape(d["decimal_point"])
    # Every run is bounded and starts only where a number starts (never inside a run of
    # digits, nor after 1e), so that the scan stays linear on any text; a longer run is
    # no number at all rather than a piece of one.
    arabic = (
        rf"(?<!\d)(?<!\d[.,eE])(?:\d{{1,3}}(?:,\d{{3}}){{1,{most // 3}}}|\d{{1,{most}}})"
        + _optional(r"\.\d{1,12}")
        + r"(?!\d|[.,]\d)"
    )
    chinese = (
        rf"[{cn_digit}{cn_small}][{cn_all}]{{0,{most * 2}}}"
        + _optional(rf"{point}[{cn_digit}]{{1,12}}")
        + rf"(?![{cn_digit}{cn_small}]|{point})"
    )
    # 12亿5000万, 3万5千, 1亿零500万: after an Arabic part, a scale and a smaller part
    # ending in a smaller scale
    compound = (
        r"(?:万亿|亿|万)零?"
        + r"(?=\d{1,5}"
        + _optional(r"\.\d{1,4}")
        + rf"[千万]|[{cn_digit}][{cn_digit}{cn_small}]{{0,6}}[千万])"
        rf"(?:{arabic}|{chinese})"
    )
    num = _number(arabic, chinese, compound, cn_all)
    scale = r"(?:[十百千]?万亿|[十百千]?[万亿]|千)"
    inner = _led(d["qualifiers_inner"])
    sep = _led(d["range_separators"])
    day = _optional(r"\d{1,2}[日号]?")
    month = rf"\d{{1,2}}|[{cn_digit}十]{{1,3}}"
    date = (
        r"(?P<date>\d{4}\s?(?:年|[./-](?=\d{1,2}[./-]\d))"
        + _optional(r"\d{1,2}" + _optional(r"\s?[-至到~]\s?\d{1,2}") + r"[月./-]" + day)
        + rf"|(?:{month})"
        + _optional(rf"\s?[-至到~—]\s?(?:{month})")
        + r"\s?月"
        + _optional("份|末|底|初|中旬|上旬|下旬")
        + _optional(r"\d{1,2}\s?[日号]")
        + r"|\d{1,2}:\d{2}"
        + _optional(r":\d{2}")
        + r"|\d{1,2}[日号](?![\u4e00-\u9fff]?内)"
        r"|[12]\d{3}(?=年度|财年))"
    )
    percent_of = rf"(?P<pct_of>百分之(?P<pct_num>{num}))"
    words = rf"(?P<pword>{_led(d['percent_words'])})"
    quantity = (
        _optional(rf"(?P<pre>{_led(d['qualifiers_before'], _qualifiers_before(d))})")
        + _optional(rf"(?P<neg>{_led(d['negative_before'])}了?)")
        + _optional(r"(?P<sign>[-−+](?=\d))")
        + rf"(?P<num>{num})\s?"
        + _optional(rf"(?P<in1>{inner})")
        + _optional(rf"(?P<scale>{scale})")
        + _optional(rf"(?P<in2>{inner})")
        + _optional(
            _optional("(?P<rpct>%)")
            + rf"\s?(?:{sep})\s?(?P<num2>{num})\s?"
            + _optional(inner)
            + _optional(rf"(?P<scale2>{scale})")
            + _optional(inner)
        )
        + r"\s?"
        + _optional(rf"(?P<unit>{_led(units)})")
        + _optional(rf"(?P<post>{_led(d['qualifiers_after'])})")
    )
    # every alternative starts with a digit, a sign or a word before a number
    lead_words = [*d["percent_words"], *d["qualifiers_before"], *d["negative_before"]]
    pattern = re.compile(
        rf"{_starts(cn_digit + cn_small + '-−+', lead_words)}"
        rf"(?:{date}|{percent_of}|{words}|{quantity})"
    )
    cues = re.compile(alternation(d["bare_scale_money_cues"]))
    return _Tables(
        d,
        pattern,
        units,
        cues,
        Decimal(10) ** int(d["max_digits"]),
        before={w: Qualifier(q) for w, q in d["qualifiers_before"].items()},
        after={w: Qualifier(q) for w, q in d["qualifiers_after"].items()},
        digit={c: Decimal(v) for c, v in d["digits"].items()},
    )


def _too_long(text: str, d: dict[str, Any]) -> QuantityParseError:
    return QuantityParseError(f"{text[:40]}: more than {d['max_digits']} digits")


@cache
def _token_pattern() -> re.Pattern[str]:
    point = re.escape(_tables().data["decimal_point"])
    digits = "".join(_tables().data["digits"])
    return re.compile(rf"(\d[\d,]*(?:\.\d+)?)|{point}([{digits}]+)|(.)", re.S)


def parse_chinese_number(text: str) -> Decimal:
    """Value of a written number: Chinese numerals, Arabic digits, or both with scales.

    >>> [str(parse_chinese_number(t)) for t in ("一千二百万", "十二", "二〇二三", "一点五亿")]
    ['12000000', '12', '2023', '150000000.0']
    >>> [str(parse_chinese_number(t)) for t in ("12亿5000万", "3万5千", "1亿零500万")]
    ['1250000000', '35000', '105000000']

    Raises :class:`~zsextract.errors.QuantityParseError` for anything else, and for a
    number of more than ``max_digits`` (data/units.json) digits.
    """
    tables = _tables()
    d, limit = tables.data, tables.limit
    written = text.strip()
    if written in tables.digit:  # 一, 三: a digit alone (一批, 三个) is most Chinese numbers
        return tables.digit[written]
    plain = _ARABIC_SCALED.fullmatch(written)
    if plain:  # 157, 484.5亿, 1,200万: most numbers, read at once
        arabic, scale = plain.groups()
        value = Decimal(0) + Decimal(arabic.replace(",", ""))  # in context, as below
        if scale and value:  # (the token reading takes 0千 for 千: 1000)
            value *= _scale(scale)
        elif scale:
            return _read_tokens(text, written)
        if value >= limit:
            raise _too_long(text, d)
        return value
    return _read_tokens(text, written)


#: an Arabic number and perhaps one scale after it (484.5亿, 3千万, 1.2万亿)
_ARABIC_SCALED = re.compile(r"(\d[\d,]*(?:\.\d+)?)((?:[十百千]?万|[十百千]?)亿?|千)")


@cache
def _scale(scale: str) -> Decimal:
    """What the scale words ``scale`` multiply by (千万: 10,000,000): the product of their
    multipliers, as the token reading of 1千万 gives it, exactly (an integer, whatever
    the caller's decimal context)."""
    d = _tables().data
    multipliers = {**d["small_multipliers"], **d["section_multipliers"]}
    return Decimal(prod(int(multipliers[c]) for c in scale))


def _read_tokens(text: str, written: str) -> Decimal:
    """:func:`parse_chinese_number` of ``written`` (``text`` stripped), token by token."""
    tables = _tables()
    d, limit = tables.data, tables.limit
    digits, small, sections = d["digits"], d["small_multipliers"], d["section_multipliers"]
    result = section = current = number = Decimal(0)
    prev_digit = False  # 二〇二三: digits in a row are read as a digit string
    for m in _token_pattern().finditer(written):
        arabic, fraction, ch = m.groups()
        if arabic is not None:
            whole = arabic.replace(",", "").split(".")[0]
            # a long run is read to compare: its leading zeros may be of any script (૦)
            if len(whole) > int(d["max_digits"]) and Decimal(whole) >= limit:
                raise _too_long(text, d)
            number, prev_digit = Decimal(arabic.replace(",", "")), False
            continue
        if fraction is not None:
            tail = "".join(str(digits[c]) for c in fraction)
            number += Decimal(f"0.{tail}")
            prev_digit = False
            continue
        if ch in digits:
            number = number * 10 + digits[ch] if prev_digit else Decimal(digits[ch])
            prev_digit = True
            continue
        prev_digit = False
        if ch in small:
            current += (number or 1) * small[ch]
        elif ch == "万":
            section += (current + number) * sections[ch]
            current = Decimal(0)
        elif ch == "亿":
            group = section + current + number
            # 一万亿零一亿: a second 亿 group is added below the first; 1亿亿 multiplies
            result = (
                result + group * sections[ch]
                if result and group
                else (result + group) * sections[ch]
            )
            section = current = Decimal(0)
        else:
            raise QuantityParseError(text)
        number = Decimal(0)
        if result >= limit or section >= limit or current >= limit:
            raise _too_long(text, d)
    value = result + section + current + number
    if value >= limit:
        raise _too_long(text, d)
    return value


def _qualifier(m: re.Match[str], t: _Tables) -> Qualifier:
    pre, post, in1, in2 = m.group("pre", "post", "in1", "in2")
    if pre and t.before[pre] is not Qualifier.exact:
        return t.before[pre]
    if in1 or in2:
        return Qualifier.lower_bound
    if post:
        return t.after[post]
    return Qualifier.exact


_ONE, _ZERO = Decimal(1), Decimal(0)


def _mention(
    original: str,
    folded: str,
    m: re.Match[str],
    *,
    bare: bool,
    kinds: Collection[str] | None = None,
) -> Quantity | None:
    """The quantity a match states, or None if it is no quantity (a date, a bare number)
    or not of one of ``kinds`` (when given; known before any number is parsed).

    ``folded`` is ``original`` folded to Simplified/ASCII (same length); unit text is
    taken from ``original`` so that it reads as written.
    """
    t = _tables()
    d = t.data
    date, pword, pct_of, pre, unit_text, scale, scale2 = m.group(
        "date", "pword", "pct_of", "pre", "unit", "scale", "scale2"
    )  # one call: a match is read a hundred times per article
    if date:
        return None
    if kinds is not None and "percent" not in kinds and (pword or pct_of):
        return None
    if pword:
        if folded[m.start() - 1 : m.start()] in d["percent_words_not_after"]:
            return None  # 实现“双过半”: time and task both past half, no share of anything
        value, qual = d["percent_words"][pword]
        return Quantity(
            value=Decimal(value),
            unit="percent",
            unit_text=original[m.start() : m.end()],
            qualifier=qual,
        )
    if pct_of:
        value = parse_chinese_number(m.group("pct_num"))
        return Quantity(value=tidy(value), unit="percent", unit_text="百分之")

    start = m.start("num")
    if start > 0 and folded[start - 1] in "第#No.+" and not pre:
        return None  # ordinal (第二十八届), code (5+2), or number sign
    if folded[start] in "百千佰仟" and not pre:
        return None  # 千家万户, 百花齐放: only 逾千家 / 近百人 read as numbers
    if m.end() < len(folded) and folded[m.end()] == "+" and not unit_text:
        return None
    unit_text = unit_text or ""
    written = original[m.start("unit") : m.end("unit")] if unit_text else ""
    if not unit_text:
        scale_text = scale2 or scale or ""
        if scale_text.endswith("亿") and t.money_cues.search(folded, max(0, start - 16), start):
            kind, unit = "money", "CNY"
            at = m.start("scale2") if scale2 else m.start("scale")
            written = original[at : at + len(scale_text)]
        elif bare and m.end() == len(folded.rstrip()):
            kind, unit = "number", "number"
        else:
            return None
    else:
        kind, unit = t.units[unit_text]
    if kinds is not None and kind not in kinds:
        return None
    num, num2, sign_text, neg = m.group("num", "num2", "sign", "neg")
    if kind == "time" and unit == "year" and num.isdigit() and len(num) == 4:
        return None

    sign = -1 if sign_text in ("-", "−") or neg else 1
    factor, half = _ONE, _ZERO
    if kind == "percent":
        tenths = unit_text in (d["tenths"], d["tenths_half"])
        factor = Decimal(10) if tenths else Decimal(str(d["percent"][unit_text]))
        half = Decimal(5) if unit_text == d["tenths_half"] else half
    low = parse_chinese_number(num + (scale or scale2 or ""))
    if factor is not _ONE or half is not _ZERO or sign != 1:  # else the same value
        low = (low * factor + half) * sign
    high = None
    if num2:
        second = parse_chinese_number(num2 + (scale2 or scale or ""))
        high = (second * factor + half) * sign
        if sign < 0:
            low, high = high, low
    return Quantity(
        value=tidy(low),
        unit=unit,
        unit_text=_money_text(original, m) if kind == "money" and unit_text else written,
        qualifier=Qualifier.lower_bound if high is not None else _qualifier(m, t),
        low=tidy(low) if high is not None else None,
        high=tidy(high) if high is not None else None,
    )


def _money_text(original: str, m: re.Match[str]) -> str:
    """亿元 / 萬美元 as written: the scale (if any) through the currency word."""
    group = "scale2" if m.group("scale2") else "scale" if m.group("scale") else "unit"
    return original[m.start(group) : m.end("unit")]


def find_quantities(
    text: str, *, kinds: Collection[str] | None = None, folded: bool = False
) -> Iterator[QuantityMention]:
    """Every quantity mention in ``text`` with its ``[start, end)`` span, in order.

    Dates and periods (2023年, 1至7月, 6月30日), ordinals (第二十八届), codes (5+2)
    and numbers without a unit are skipped. Traditional script and full-width
    digits are understood; spans index into ``text`` as given. ``kinds`` keeps only
    quantities of those :attr:`Quantity.kind` values (money, percent, count, times,
    time, physical), deciding before any number is parsed. ``folded=True`` says that
    ``text`` is folded already (the text of a :class:`~zsextract.CleanText` or a piece
    of it), so it is not folded again.
    """
    scanned = text if folded else fold(text)
    for m in _tables().pattern.finditer(scanned):
        try:
            quantity = _mention(text, scanned, m, bare=False, kinds=kinds)
        except QuantityParseError:
            continue  # too many digits to be a quantity
        if quantity is not None:
            yield QuantityMention(m.start(), m.end(), text[m.start() : m.end()], quantity)


def parse_quantity(text: str) -> Quantity:
    """Parse one quantity mention: ``parse_quantity("近300人")`` -> 300 count, approx.

    Accepts money (484.5亿元, 1.2万亿美元), percentages (18.9%, 九成, 过半, 百分之十五),
    counts with a classifier (80余家, 157个), ranges (1-5亿元), signs and falls
    (-8.92%, 下降5%), qualifiers (约 近 超 逾 余 多 以上 不到 …), Chinese numerals and
    Traditional script. A bare number (十二, 一千二百万) gives unit ``number``.
    Raises :class:`~zsextract.errors.QuantityParseError` when there is no quantity.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity() takes a str, not {type(text).__name__}")
    original = text.strip()
    folded = fold(original)
    for m in _tables().pattern.finditer(folded):
        quantity = _mention(original, folded, m, bare=True)
        if quantity is not None:
            return quantity
    raise QuantityParseError(text)
