"""zsextract.patterns: a scanner finds exactly the matches of its pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsextract.datafiles import load_data
from zsextract.patterns import Scanner, class_chars, first_chars, scanner
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


def _used() -> list[Scanner]:
    """The scanners zsextract scans whole texts with."""
    found = [intervals._rule_pattern("period")]
    found += [t.pattern for t in mechanisms._mechanism_terms()]
    t = timelines._patterns()
    found += [getattr(t, n) for n in ("deadline", "enumerated", "listed", "reports")]
    return found


def _alone(scan: Scanner) -> re.Pattern[str]:
    """The pattern of ``scan`` compiled alone (without the lookahead in front)."""
    return re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)\(\?:(.*)\)$", r"\1", scan.pattern, flags=re.S))


def test_the_period_and_deadline_patterns_are_scanned() -> None:
    assert scanner(load_data("rules")["period"]).pattern.startswith("(?=")
    assert timelines._patterns().deadline.pattern.startswith("(?=")
    # and searched for through a gate, not through the lookahead
    period, deadline = _used()[0], timelines._patterns().deadline
    assert period._gate is not None and deadline._gate is not None


_CHARS = (
    "2024年1至7月上半年今年去年全年截至底前三季度一月一调度签约后个内开工注册入库"
    "每周报、，。招商引资项目亿元洽博交会季旬半"
)


def _seen(match: re.Match[str] | None) -> object:
    return None if match is None else (match.span(), match.groups())


#: pieces that make matches likely, and characters that break them up
_PIECES = [
    *_CHARS,
    "2024年",
    "1至7月",
    "上半年",
    "前三季度",
    "一月一调度",
    "签约后2个月内注册",
    "6个月内开工",
    "月报、季报",
    "进博会",
    "招商推介会",
]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.integers(0, 90), st.integers(0, 90))
def test_a_scanner_finds_what_its_pattern_finds(text: str, pos: int, endpos: int) -> None:
    for scan in _used():
        alone = _alone(scan)
        assert [_seen(m) for m in scan.finditer(text)] == [_seen(m) for m in alone.finditer(text)]
        assert [_seen(m) for m in scan.finditer(text, pos, endpos)] == [
            _seen(m) for m in alone.finditer(text, pos, endpos)
        ]
        assert _seen(scan.search(text, pos, endpos)) == _seen(alone.search(text, pos, endpos))
        assert _seen(scan.match(text, pos)) == _seen(alone.match(text, pos))
        assert scan.sub("#", text) == alone.sub("#", text)
        assert scan.subn("#", text) == alone.subn("#", text)
        assert scan.findall(text) == alone.findall(text)
        assert scan.split(text) == alone.split(text)
        assert (scan.groups, scan.groupindex) == (alone.groups, alone.groupindex)


def test_a_gated_scanner_finds_no_match_inside_the_one_before() -> None:
    scan = scanner(load_data("rules")["period"])
    text = "2024年1至7月，全市签约项目"
    assert [m.group(0) for m in scan.finditer(text)] == [
        m.group(0) for m in _alone(scan).finditer(text)
    ]
    assert len(list(scan.finditer(text))) == 1  # 7月 inside 2024年1至7月 is no second match
    for pos in range(len(text)):
        assert _seen(scan.search(text, pos)) == _seen(_alone(scan).search(text, pos))


def test_a_group_with_its_own_flags_is_not_wrapped() -> None:
    assert scanner("x?(?i:a)").findall("A") == ["A"]  # a lookahead [xa] would miss it


def test_the_characters_of_a_class_of_plain_characters() -> None:
    assert class_chars("[，。\\n、]") == "，。\n、"
    assert class_chars(load_data("rules")["clause_break"]) == '，,。；;：:！!？?\n、（(）)“”" '
    assert class_chars("[党]") == class_chars("党") == "党"
    for pattern in ("[a-z]", "[^，]", "，。", "[，。]+", "[\\d，]", "([", "(?i)[ab]"):
        assert class_chars(pattern) is None


def test_a_pattern_with_a_group_reference_keeps_the_lookahead_in_front() -> None:
    scan = scanner(r"(?:(a)|b)?c\1x")  # a lookbehind may not hold a group reference
    assert scan._gate is None and scan.pattern.startswith("(?=[abc])")
    text = "zzacax bcx acax"
    alone = re.compile(r"(?:(a)|b)?c\1x")
    assert [_seen(m) for m in scan.finditer(text)] == [_seen(m) for m in alone.finditer(text)]
