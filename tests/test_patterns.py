"""zsextract.patterns: a scanner finds exactly the matches of its pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsextract.datafiles import load_data
from zsextract.patterns import first_chars, scanner
from zsextract.readers import intervals, mechanisms, timelines


@pytest.mark.parametrize(
    "pattern, first",
    [
        (r"(?:20\d\d年)?(?:上半年|下半年)|今年", r"[2上下今]"),
        (r"(?<!签)约", "[约]"),  # a lookbehind matches no character
        (r"a*b|[c-e]x", "[abc-e]"),
        (r"\bfoo", "[f]"),
        (r"(?:一|每)?月", "[一每月]"),
    ],
)
def test_first_characters(pattern: str, first: str) -> None:
    assert first_chars(pattern) == first


@pytest.mark.parametrize(
    "pattern", [r"a?", r"(?:x|)", r".b", r"[^a]b", r"(?i)abc", r"(?:a|.)b", r"x?(?i:a)"]
)
def test_no_first_characters_when_they_cannot_be_told(pattern: str) -> None:
    assert first_chars(pattern) is None
    assert scanner(pattern).pattern == pattern  # compiled as it is


def test_patterns_re_skips_by_itself_are_left_alone() -> None:
    for pattern in ("招商|引资", "[甲乙]丙", "abc"):
        assert scanner(pattern).pattern == pattern


def _used() -> list[str]:
    """The patterns zsextract scans whole texts with."""
    found = [intervals._rule_pattern("period").pattern]
    found += [p.pattern for _, p in mechanisms._mechanism_terms()]
    t = timelines._patterns()
    found += [getattr(t, n).pattern for n in ("deadline", "enumerated", "listed", "reports")]
    return found


def test_the_period_and_deadline_patterns_are_scanned() -> None:
    assert scanner(load_data("rules")["period"]).pattern.startswith("(?=")
    assert timelines._patterns().deadline.pattern.startswith("(?=")


_CHARS = (
    "2024年1至7月上半年今年去年全年截至底前三季度一月一调度签约后个内开工注册入库"
    "每周报、，。招商引资项目亿元"
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_CHARS, max_size=80))
def test_a_scanner_finds_what_its_pattern_finds(text: str) -> None:
    for wrapped in _used():
        plain = re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)\(\?:(.*)\)$", r"\1", wrapped, flags=re.S))
        got = [m.span() for m in re.compile(wrapped).finditer(text)]
        assert got == [m.span() for m in plain.finditer(text)]


def test_a_group_with_its_own_flags_is_not_wrapped() -> None:
    assert scanner("x?(?i:a)").findall("A") == ["A"]  # a lookahead [xa] would miss it
