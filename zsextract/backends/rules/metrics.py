"""Metrics in cleaned text: every money, percentage and count mention GOLD.md counts.

Each quantity the finder yields is kept or dropped by rules, and kept ones are named
by the phrase they measure (``naming.py``). Word lists are in ``data/rules.json``
(keys ``metrics`` and ``threshold_after``) and ``data/metric_categories.json``.

Dropped: dates, physical and time quantities (the finder's kinds), vague counts
(一批), ranges and money thresholds that name a category (5亿元以上项目12个) or set a
condition (到位资金5000万元（含）至1亿元的，), counts that name a plan's structure
(18条产业链, “三个一批”), ranks (后三名), what a plant makes (年产30万台), formulas and
the make-up of teams (×100%, 1名管家+1名联络员), and numbers that belong to a timeline
rule (每月…2次以上).

Figures listed after 分别 take, one by one, the names listed before it (履约率、开工率
分别达到92%和85%), or share the first one's name when the names listed before it are
not as many as the figures (甲、乙、丙…排名靠前，分别占总量的18%、17%和15%).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from ...datafiles import alternation, load_data
from ...readers.intervals import period_index
from ...readers.places import find_places
from ...readers.quantities import QuantityMention, find_quantities
from ...readers.spans import CLAUSE_ENDS, SpanSet, break_before
from ...report.schema import Evidence, Metric
from .naming import clause_start, name_of, noun_after

__all__ = ["find_metrics"]

EvidenceFor = Callable[[int, int], Evidence]


@dataclass(frozen=True)
class _Patterns:
    categories: list[tuple[str, re.Pattern[str]]]
    threshold_after: re.Pattern[str]
    condition_after: re.Pattern[str]
    respectively_change: re.Pattern[str]
    structure: re.Pattern[str]
    structure_end: re.Pattern[str]
    count_head_end: re.Pattern[str]
    counted_after_structure: re.Pattern[str]
    capacity_before: re.Pattern[str]
    verb_in_noun: re.Pattern[str]
    rank_before: re.Pattern[str]
    fixed: re.Pattern[str]
    scope_head: re.Pattern[str]
    growth_names: frozenset[str]


@cache
def _patterns() -> _Patterns:
    d = load_data("rules")
    m = d["metrics"]
    return _Patterns(
        categories=[
            (code, re.compile(alternation(c["words"])))
            for code, c in load_data("metric_categories")["categories"].items()
            if c["words"]
        ],
        threshold_after=re.compile(d["threshold_after"]),
        condition_after=re.compile(m["condition_after"]),
        respectively_change=re.compile(alternation(m["respectively_changes"])),
        structure=re.compile(f"(?:{alternation(m['structure_nouns'])})"),
        structure_end=re.compile(f"(?:{alternation(m['structure_nouns'])})$"),
        count_head_end=re.compile(f"(?:{alternation(m['count_heads'])})$"),
        counted_after_structure=re.compile(
            f"(?:{alternation(m['count_heads'])}).+(?:{alternation(m['structure_nouns'])})$"
        ),
        capacity_before=re.compile(f"(?:{alternation(m['capacity_before'])})$"),
        verb_in_noun=re.compile(alternation(m["list_verbs"])),
        rank_before=re.compile(f"(?:{alternation(m['rank_before'])})$"),
        fixed=re.compile(alternation(m["fixed_phrases"])),
        scope_head=re.compile(f"^其中(?P<scope>.+?(?:{alternation(m['scope_heads'])}))"),
        growth_names=frozenset(m["growth_names"]),
    )


#: how far back a sentence or paragraph start is looked for
_SENTENCE_REACH = 400


def _in_quotes(text: str, pos: int) -> bool:
    """True when ``pos`` stands inside “…” opened at most 20 characters before."""
    opened = text.rfind("“", max(0, pos - 20), pos)
    return opened != -1 and text.find("”", opened, pos) == -1


#: the kinds of quantity a metric reports (a duration or an area is no metric)
_REPORTED = ("money", "percent", "count")


#: a few yuan in Chinese digits, which before a Han character is a word (三元前驱体)
_WORD_YUAN = re.compile(r"[一二三四五六七八九十两]元")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _skip(text: str, mention: QuantityMention, taken: SpanSet) -> bool:
    """Whether ``mention`` is no metric, by what stands around it (the noun after it is
    read only for a mention kept: see :func:`_counts_a_structure`)."""
    p = _patterns()
    q = mention.quantity
    kind = q.kind  # a property: read once
    if kind not in _REPORTED or q.low is not None:
        return True  # physical/time, or a range naming a category (1-5亿元项目)
    if taken.holds(mention.start):
        return True  # the number defines a timeline rule
    arabic = mention.text.lstrip("约近超逾过不足到达多高共计累")[:1].isdigit()
    if kind == "count" and q.value == 1 and not arabic:
        return True  # 一批, 一个: no number is being reported
    if kind == "money" and q.qualifier.value in ("lower_bound", "upper_bound"):
        if p.threshold_after.match(text, mention.end):
            return True  # 10亿元以上项目9个: the threshold is part of the count's name
    if kind == "money" and _WORD_YUAN.fullmatch(mention.text) and _HAN.match(text, mention.end):
        return True  # 三元前驱体, 一元化: a word, not an amount
    if kind == "money" and p.condition_after.match(text, mention.end):
        return True  # 到位资金5000万元（含）至1亿元的，奖励…: a condition, not a figure
    if kind == "count":
        if not arabic and (_in_quotes(text, mention.start) or p.fixed.match(text, mention.start)):
            return True  # “三个一批”, 二次创业: a slogan, not a count
        if p.rank_before.search(text, max(0, mention.start - 2), mention.start):
            return True  # 后三名, 前十位: a rank
        if p.capacity_before.search(text, max(0, mention.start - 3), mention.start):
            return True  # 年产30万台: what a plant makes, a physical quantity
        if text[mention.start - 1 : mention.start] in _FORMULA:
            return True  # 1名管家+1名联络员: the make-up of a team (32个+意向项目15个 is not)
    if kind == "percent" and text[mention.start - 1 : mention.start] in _FORMULA:
        return True  # 完成数/目标数×100%: a formula, not a figure
    return False


#: signs of a formula next to a number
_FORMULA = frozenset("+×*/=＋＝")


def _counts_a_structure(text: str, mention: QuantityMention, noun: str) -> bool:
    """Whether a count names a plan's structure: its noun ends in one (10条现代农业产业链),
    or opens with one (18条产业链, 八大产业) that no counted thing follows (2次重点产业
    招商推介会 counts meetings)."""
    if mention.quantity.kind != "count":
        return False
    p = _patterns()
    if p.structure_end.search(noun):
        return not p.counted_after_structure.search(noun)
    opening = p.structure.match(text, mention.end)
    if opening is None:
        return False
    # 2次重点产业招商推介会 counts meetings; 12条产业链引进企业86家 counts chains
    rest = text[opening.end() : mention.end + len(noun)]
    return not p.count_head_end.search(noun) or p.verb_in_noun.search(rest) is not None


def _category(name: str, kind: str) -> str:
    if kind == "percent" and ("增长" in name or "增幅" in name or "下降" in name):
        return "growth"
    for code, pattern in _patterns().categories:
        if pattern.search(name):
            return code
    return "other"


@cache
def _targets() -> tuple[str, ...]:
    """Words of a target (目标, 任务, 计划): a target is not what a growth is about."""
    return tuple(load_data("periods")["not_a_period_before"])


def _what_grew(text: str, out: list[Metric], made: list[int], pos: int) -> Metric | None:
    """The figure a bare 同比增长 at ``pos`` is about: the nearest metric before it in
    its sentence that is an amount or a count and not a target (目标, 任务, 计划)."""
    targets = _targets()
    for metric, start in zip(reversed(out), reversed(made), strict=True):
        if start < pos - _SENTENCE_REACH or any(stop in text[start:pos] for stop in "。！？!?\n"):
            return None
        if metric.quantity.kind != "percent" and not any(t in metric.name for t in targets):
            return metric
    return None


def _scope_and_subject(text: str, pos: int) -> tuple[str | None, str | None]:
    p = _patterns()
    clause = text[clause_start(text, pos) : pos]
    scope = p.scope_head.match(clause)
    sentence_start = break_before(text, pos, max(0, pos - _SENTENCE_REACH), "。；;\n")
    places = find_places(text, sentence_start, pos)
    return (
        scope.group("scope") if scope else None,
        places[-1].group(0) if places else None,
    )


#: a list's joins: 、 和 及 与 (以及)
_LIST_JOIN = re.compile(r"、|以及|和|及|与")
#: one name of such a list
_LISTED_NAME = re.compile(r"[\u4e00-\u9fff]{2,16}")


def _respectively(
    text: str, mentions: list[QuantityMention]
) -> tuple[dict[int, str], dict[int, int]]:
    """履约率、开工率和资金到位率分别达到92%、85%和61%: the figures listed after 分别,
    named one by one by the names listed before it in its clause, keyed by where each
    figure starts. When the names cannot be told apart (甲、乙、丙…排名靠前，分别占总量的
    18%、17%和15%), each later figure is keyed to where the first starts, whose name
    it shares."""
    names: dict[int, str] = {}
    shared: dict[int, int] = {}
    at = text.find("分别")
    while at != -1:
        items = _LIST_JOIN.split(text[break_before(text, at, max(0, at - 120), CLAUSE_ENDS) : at])
        end = at + 2
        change = _patterns().respectively_change.match(text, end)
        row = [q for q in mentions if end <= q.start < end + 80]
        listed = row[:1] if row and row[0].start - end <= 4 else []  # 分别达到92%
        for q in row[1:] if listed else ():
            if not _LIST_JOIN.fullmatch(text, listed[-1].end, q.start):
                break
            listed.append(q)
        if 1 < len(listed) == len(items) and all(map(_LISTED_NAME.fullmatch, items)):
            suffix = change.group(0) if change else ""
            names.update((q.start, n + suffix) for q, n in zip(listed, items, strict=True))
        else:
            shared.update((q.start, listed[0].start) for q in listed[1:])
        at = text.find("分别", end)
    return names, shared


def find_metrics(
    text: str, evidence: EvidenceFor, taken: Sequence[tuple[int, int]] = ()
) -> list[Metric]:
    """Metrics stated in ``text`` (cleaned). ``taken`` are spans that belong to timelines."""
    out: list[Metric] = []
    spans = SpanSet(taken)
    previous: QuantityMention | None = None
    periods = period_index(text)
    growth = _patterns().growth_names
    made: list[int] = []  # where each metric's mention starts
    mentions = list(find_quantities(text, kinds=_REPORTED, folded=True))
    listed, shared = _respectively(text, mentions) if "分别" in text else ({}, {})
    named: dict[int, str] = {}  # the name of each metric, by where its mention starts
    for mention in mentions:
        if _skip(text, mention, spans):
            continue
        noun = noun_after(text, mention.end)
        if _counts_a_structure(text, mention, noun) or noun[-1:] in _FORMULA:
            continue  # a plan's structure, or 1名项目管家+1名…: the make-up of a team
        name = listed.get(mention.start) or named.get(shared.get(mention.start, -1))
        name = name or name_of(text, mention, noun, previous)
        previous = mention
        if not name:
            continue
        if name in growth:  # 到位资金48亿元，同比增长12%: the name says what grew
            grew = _what_grew(text, out, made, mention.start)
            name = grew.name + name if grew is not None else name
        made.append(mention.start)
        named[mention.start] = name
        scope, subject = _scope_and_subject(text, mention.start)
        out.append(
            Metric(
                name=name,
                category=_category(name, mention.quantity.kind),
                quantity=mention.quantity,
                period=periods.before(mention.start),
                scope=scope,
                subject=subject,
                evidence=evidence(mention.start, mention.end),
            )
        )
    return out
