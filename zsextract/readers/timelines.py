"""Timeline rules in cleaned text: deadlines ("26211": 签约后2个月内注册 …) and cadences
(一月一调度、一季一通报; 每月召开协调会; 每月带队外出招商2次以上).

Patterns and word lists are in ``data/rules.json`` under ``timelines``. Stages are only
read from what the text states: a code such as "26211" is attached to the stages found
next to it, never expanded into stages of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ..datafiles import alternation, load_data
from ..errors import DataFileError
from ..patterns import Scanner, scanner
from ..report.numbers import tidy
from ..report.schema import Evidence, Timeline, TimelineStage
from .quantities import parse_chinese_number
from .spans import SpanSet, break_before

__all__ = ["find_timelines"]

EvidenceFor = Callable[[int, int], Evidence]


@dataclass(frozen=True)
class _Patterns:
    data: dict[str, Any]
    deadline: Scanner
    enumerated: Scanner
    quoted: Scanner
    immediate: Scanner
    every: Scanner
    yearly_said: re.Pattern[str]
    yearly: Scanner
    milestone: re.Pattern[str]
    code: Scanner
    drop_prefix: re.Pattern[str]
    drop_verb: re.Pattern[str]
    role: re.Pattern[str]
    limit: Scanner
    limited: re.Pattern[str]
    failed: re.Pattern[str]
    limit_lead: re.Pattern[str]
    listed: Scanner
    reports: Scanner
    report_item: re.Pattern[str]
    report_lead: re.Pattern[str]
    thing_end: re.Pattern[str]
    drop_suffix: re.Pattern[str]
    when_in_unit: re.Pattern[str]
    weekday: re.Pattern[str]
    work: re.Pattern[str]
    failed_then: re.Pattern[str]
    act_lead: re.Pattern[str]
    act_verb: re.Pattern[str]
    activity: re.Pattern[str]
    termly: re.Pattern[str]
    termly_units: tuple[str, ...]


#: the unit that opens an item of a list of cadences (周例会、月通报、年度考评)
_TWO_CHAR_UNITS = ("半年", "半月", "季度", "年度")
_UNIT = "|".join(_TWO_CHAR_UNITS) + "|[周月季年旬]"


@cache
def _patterns() -> _Patterns:
    d = load_data("rules")["timelines"]
    if not all(unit.endswith("度") for unit in d["termly_units"]):
        raise DataFileError(
            "rules.json: every word of timelines.termly_units must end in 度 (年度, 季度), "
            f"which is what they are found by; got {d['termly_units']}"
        )
    events = alternation(d["milestones"])
    # bounded, and only where a number starts: linear on a run of digits
    num = r"(?<![\d.])\d{1,6}(?:\.\d{1,4})?(?![\d.])|[一二两三四五六七八九十半]{1,3}"
    deadline = scanner(
        rf"(?:(?P<from>{events})后)?(?P<num>{num})"
        rf"(?P<unit>{alternation([*d['deadline_units'], *d['day_units']])})"
        rf"(?:(?P<within>内|以内|之内)|(?={alternation(d['obligations'])}))"
        r"(?P<act>[^，,。；;、\n“”\"‘’「」]{0,10})"
    )
    # 一月一调度一季一通报: the next unit may follow an activity without a separator
    every_few = "半年|半月|两月|两周|双月|两个月|三个月"  # 两月一调度: every few units
    next_unit = rf"一(?:月|季度|季|年|周|旬)一|(?:{every_few})一"
    han = rf"(?:(?!{next_unit})[\u4e00-\u9fff])"
    enumerated = scanner(
        rf"(?:[一每](?P<u1>月|季度|季|年|周|旬)|(?P<u2>{every_few}))一(?![次个])(?P<act>{han}{{2,3}}?)"
        rf"(?P<more>(?:一(?!(?:月|季度|季|年|周|旬)一){han}{{2,3}}?){{0,6}})"
        rf"(?=[、，,。；;”\"’\s]|$|{next_unit}|{alternation(d['cadence_end_words'])})"
    )
    units = alternation([*d["deadline_units"], *d["day_units"]])
    # B…时限压缩至N个工作日内, 从A到B控制在N个月以内: the event before its limit
    limit = scanner(
        rf"(?:{alternation(d['limit_verbs'])})(?P<num>{num})(?P<unit>{units})(?:以内|之内|内)?"
    )
    # …the event the limit is set on, read back from the limit's words
    limited = re.compile(
        rf"(?:从(?P<from>{events})到)?(?P<to>[^，,。；;、\n从]{{0,8}}?(?:{events}))"
        r"[^，,。；;\n\d]{0,6}?(?:由[^，,。；;\n]{1,8}?)?$"
    )
    # 项目周报、月通报、季考评: a list of cadences without 一, its activities from a list
    item = rf"(?:{_UNIT})(?:{alternation(d['cadence_activities'])})"
    listed = scanner(rf"(?<![周月季年旬]){item}(?:、{item})+")
    # “周例会、月通报、季考核”: the same, without 一, only as a quoted enumeration
    quoted = scanner(
        rf"“(?P<items>(?:(?:{_UNIT})[\u4e00-\u9fff]{{2,3}}、)+"
        rf"(?:{_UNIT})[\u4e00-\u9fff]{{2,3}})”"
    )
    # 项目进展周报、招商线索月报和招商成效季报: reports of named things, two or more;
    # found by the period before 报, then the topics around it (linear, and fast)
    report = rf"(?<!每)(?P<unit>{alternation(d['report_units'])})报(?!{d['report_not_before']})"
    report_gap = rf"(?:{alternation(d['report_joins'])})(?P<topic>[\u4e00-\u9fff]{{0,8}})"
    immediate = scanner(rf"(?P<from>{events})即(?P<to>{events})")
    rest = r"(?P<rest>[^，,。；;\n“”\"]{2,40})"
    every = scanner(rf"每(?P<u>{alternation(d['cadence_every'])}){rest}")
    return _Patterns(
        data=d,
        deadline=deadline,
        enumerated=enumerated,
        quoted=quoted,
        immediate=immediate,
        every=every,
        yearly_said=re.compile(alternation(d["cadence_yearly_said"])),
        yearly=scanner(rf"(?:{alternation(d['cadence_yearly'])})的?{rest}"),
        milestone=re.compile(events),
        code=scanner(d["code_pattern"]),
        drop_prefix=re.compile(f"^(?:{alternation(d['cadence_drop_prefix'])})+"),
        drop_verb=re.compile(f"^(?:{alternation(d['cadence_drop_verb'])})"),
        role=re.compile(alternation(d["cadence_roles"])),
        limit=limit,
        limited=limited,
        failed=re.compile(f"(?:{alternation(d['failed'])})"),
        limit_lead=re.compile(alternation(d["limit_lead"])),
        listed=listed,
        reports=scanner(report),
        report_item=re.compile(report_gap),
        report_lead=re.compile(alternation(d["report_lead"])),
        thing_end=re.compile(rf"(?:{alternation(d['cadence_thing_ends'])})$"),
        drop_suffix=re.compile(rf"(?:{alternation(d['cadence_drop_suffix'])})$"),
        when_in_unit=re.compile(d["cadence_when"]),
        weekday=re.compile(d["cadence_weekday"]),
        work=re.compile(alternation(d["cadence_work_verbs"])),
        failed_then=re.compile(d["failed_then"]),
        act_lead=re.compile(rf"^(?:{alternation(d['act_lead'])})+|(?:的|工作)$"),
        act_verb=re.compile(
            rf"(?:{alternation(d['act_lead'])})*(?:{alternation(d['deadline_verbs'])})"
        ),
        activity=re.compile(alternation(d["cadence_activities"])),
        termly=re.compile(alternation(d["termly_activities"])),
        termly_units=tuple(sorted(d["termly_units"], key=len, reverse=True)),
    )


def _number(text: str) -> Decimal:
    if text == "半":
        return Decimal("0.5")
    return Decimal(text) if text[0].isdigit() else parse_chinese_number(text)


def _months(num: str, unit: str) -> Decimal:
    """Months in a deadline: a week is 0.25; days count as weeks when they make whole weeks
    (7天, 5个工作日), else as a share of a month (30 days, 22 working days)."""
    d = _patterns().data
    n = _number(num)
    if unit in d["day_units"]:
        per_week = Decimal(d["day_units"][unit])
        if n % per_week == 0:
            return n / per_week * Decimal("0.25")
        return (n / Decimal(d["day_months"][unit])).quantize(Decimal("0.0001"))
    return n * Decimal(d["deadline_units"][unit])


#: how far a sentence is looked for on each side (keeps the reading linear)
_SENTENCE_REACH = 400


#: what ends the sentence before a rule
SENTENCE_STARTS = "。；;\n!?！？"


#: what before the number of an obligation without 内 makes it a date or a period
_NOT_A_TIME_ALLOWED = frozenset("月前近每第")

#: what ends a whole sentence, whose parts (between ；) share the event of a rule
_FULL_STOPS = "。\n!?！？"


def _sentence_start(text: str, pos: int) -> int:
    return break_before(text, pos, max(0, pos - _SENTENCE_REACH), SENTENCE_STARTS)


def _deadlines(text: str, evidence: EvidenceFor) -> tuple[list[Timeline], list[tuple[int, int]]]:
    """Deadline rules, and the spans of their numbers (N个月内 and a milestone after)."""
    p = _patterns()
    milestones = p.data["milestones"]
    groups: dict[int, list[tuple[re.Match[str], str]]] = {}
    for m in p.deadline.finditer(text):
        unit, num = m.group("unit"), m.group("num")
        if unit in ("年", "月") and len(num) > 2:
            continue  # 2024年内投产: a year, not a time allowed
        if m.group("within") is None and (
            unit == "月" or text[m.start("num") - 1 : m.start("num")] in _NOT_A_TIME_ALLOWED
        ):
            continue  # 5月必须开工, 6月30日须开工, 前6个月要签约, 每3个月须: no time allowed
        act = m.group("act")
        acts = p.milestone.findall(act)
        if p.failed.match(act) and not (
            act.endswith("的") and p.failed_then.match(text, m.end("act"))
        ):
            continue  # 两年内未履约: what did not happen, not a rule (…未开工的，不予奖励 is)
        if acts:  # 建成投产 -> 投产: the last milestone named is the one to reach
            to_event = milestones[acts[-1]]
        elif m.group("from") and p.act_verb.match(act):
            # 签约后15日内召开首次协调会: what is to be done, after its event
            to_event = p.act_lead.sub("", act).strip()
            if len(to_event) < 2 or any(c.isdigit() for c in to_event):
                continue  # nothing left, or 完成投资5000万元: an amount, not a milestone
        else:
            continue
        groups.setdefault(_sentence_start(text, m.start()), []).append((m, to_event))
    out = []
    before: tuple[int, str | None] = (-1, None)  # the last group's whole sentence, base
    for sent_start, found in groups.items():
        base: str | None = None
        first = found[0][0]
        lead = [
            e.group(0)
            for e in p.milestone.finditer(text, sent_start, first.start())
            # 已建成厂房: a state, not an event (已签约项目 still names the signing)
            if text[e.start() - 1 : e.start()] != "已" or text[e.end() : e.end() + 1] in "项的企"
        ]
        whole = break_before(text, sent_start, max(0, sent_start - _SENTENCE_REACH), _FULL_STOPS)
        if first.group("from"):
            base = milestones[first.group("from")]
        elif lead:
            base = milestones[lead[-1]]
        elif before[0] == whole:
            base = before[1]  # 自签约之日起，三个月内拿地；两个月内开工: the event goes on
        before = (whole, base)
        stages = []
        for m, to_event in found:
            explicit = m.group("from")
            if m.group("within") is None and not (explicit or base):
                continue  # N个月要B with no event it counts from: a target, not a rule
            months = _months(m.group("num"), m.group("unit"))
            stages.append(
                TimelineStage(
                    from_event=milestones[explicit] if explicit else base,
                    to_event=to_event,
                    months=tidy(months),
                )
            )
        if not stages:
            continue
        start, end = first.start(), found[-1][0].end()
        code = None
        para_start = text.rfind("\n", max(0, start - 150), start) + 1
        codes = list(p.code.finditer(text, max(para_start, start - 150), start))
        if codes:
            code = codes[-1].group("code")
            start = (
                _sentence_start(text, codes[-1].start())
                if codes[-1].start() < sent_start
                else start
            )
            start = min(start, codes[-1].start())
        out.append(
            Timeline(kind="deadline", code=code, stages=stages, evidence=evidence(start, end))
        )
    return out, [m.span() for found in groups.values() for m, _ in found]


def _immediate(text: str, evidence: EvidenceFor) -> list[Timeline]:
    """拿地即开工: B right at A, a deadline of 0 months; quoted, the phrase is its code."""
    p = _patterns()
    milestones = p.data["milestones"]
    out = []
    for m in p.immediate.finditer(text):
        quoted = text[m.start() - 1 : m.start()] == "“" and text[m.end() : m.end() + 1] == "”"
        stage = TimelineStage(
            from_event=milestones[m.group("from")], to_event=milestones[m.group("to")], months=0
        )
        out.append(
            Timeline(
                kind="deadline",
                code=m.group(0) if quoted else None,
                stages=[stage],
                evidence=evidence(m.start(), m.end()),
            )
        )
    return out


def _unit_stages(items: str) -> list[TimelineStage]:
    """周例会、月通报、半年考核: one cadence stage per item, a unit and an activity."""
    stages = []
    for item in items.split("、"):
        unit = item[:2] if item[:2] in _TWO_CHAR_UNITS else item[0]
        stages.append(TimelineStage(to_event=item[len(unit) :], every_months=_cadence_months(unit)))
    return stages


def _quoted_cadences(
    text: str, evidence: EvidenceFor
) -> tuple[list[Timeline], list[tuple[int, int]]]:
    """“周例会、月通报、季考核”, and the spans of the quotes."""
    out = []
    spans = []
    for m in _patterns().quoted.finditer(text):
        stages = _unit_stages(m.group("items"))
        spans.append(m.span())
        out.append(
            Timeline(
                kind="cadence",
                code=m.group("items"),
                stages=stages,
                evidence=evidence(m.start("items"), m.end("items")),
            )
        )
    return out, spans


def _cadence_months(unit: str) -> Decimal:
    return Decimal(_patterns().data["cadence_units"][unit])


def _enumerated(text: str, evidence: EvidenceFor) -> tuple[list[Timeline], list[tuple[int, int]]]:
    p = _patterns()
    out: list[Timeline] = []
    spans: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        if not run:
            return
        start, end = run[0].start(), run[-1].end()
        stages = [
            TimelineStage(
                to_event=act, every_months=_cadence_months(m.group("u1") or m.group("u2"))
            )
            for m in run
            for act in (m.group("act"), *m.group("more").split("一")[1:])  # 一月一调度一通报
        ]
        code = text[start:end] if len(stages) > 1 else None
        out.append(
            Timeline(kind="cadence", code=code, stages=stages, evidence=evidence(start, end))
        )
        spans.append((start, end))
        run.clear()

    for m in p.enumerated.finditer(text):
        if run and (
            m.start() - run[-1].end() > 1
            or text[run[-1].end() : m.start()] not in ("", "、", "，", ",")
        ):
            flush()
        run.append(m)
    flush()
    return out, spans


def _every_mentions(text: str) -> Iterator[tuple[re.Match[str], str, str]]:
    """每X… (each 每 of a list its own: 每周报项目、每月商项目) and 一年一度的…, with the
    words after the unit and the unit."""
    p = _patterns()
    followed = 0  # where the last list of 每 followed ended: its items are read
    for first in p.every.finditer(text):
        if first.start() < followed:
            continue
        m: re.Match[str] | None = first
        while m is not None:
            rest = m.group("rest")
            cut = rest.find("、每")
            yield m, rest if cut == -1 else rest[:cut], m.group("u")
            followed = m.start("rest") + (len(rest) if cut == -1 else cut + 1)
            m = None if cut == -1 else p.every.match(text, followed)
    if "年一度" in text:  # rare: the scan would stop at every 一
        for m in p.yearly.finditer(text):
            yield m, m.group("rest"), "年"


def _every(text: str, evidence: EvidenceFor, taken: SpanSet) -> list[Timeline]:
    p = _patterns()
    out = []
    for m, rest, unit in _every_mentions(text):
        if taken.overlaps(m.start(), m.start("rest")):
            continue  # 每半年一考核: read by the chain of 半年一考核
        yearly = not m.group(0).startswith("每")  # 一年一度: its count is said
        weekly = unit in p.data["cadence_weekly"]
        when = (p.weekday if weekly else p.when_in_unit).match(rest)  # 每周一, 每月底前
        skipped = when.end() if when else 0
        rest = rest[skipped:]
        target = re.search(r"对.+?进行(.+)", rest)
        first = target.group(1) if target else rest.split("、")[0]
        if yearly:  # 一年一度的招商大会将于下月召开: the event, not what is said of it
            first = p.yearly_said.split(first, maxsplit=1)[0]
        act = first
        times = re.search(r"(\d+|[一二两三四五六七八九十])次(?:以上)?", act)
        count = _number(times.group(1)) if times else Decimal(1)
        if times:
            verb = p.drop_suffix.sub("", p.drop_prefix.sub("", act[: times.start()]))
            obj = act[times.end() :]
            if verb and obj:
                # 通报一次进度 -> 通报; 召开一次调度会 -> 调度会 (a light verb gives way)
                act = obj if p.drop_verb.fullmatch(verb) else verb
            else:
                act = verb + obj
        act = p.drop_verb.sub("", p.drop_prefix.sub("", act)).strip()
        if len(act) < 2 or re.search(r"[\d(（)）]", act) or count == 0:
            continue
        if times is None and not yearly and unit in p.data["cadence_needs_count"]:
            continue  # 每年安排专项资金: a yearly budget, not a cadence (每年举办一次 is)
        if p.thing_end.search(act) and not p.activity.search(act) and not p.work.match(act):
            continue  # 展现每周招商工作推进情况: a weekly thing, not a recurring activity
        # who does it, when the clause names a role: 一把手每月带队外出招商
        lo = max(0, m.start() - 40)
        clause_start = max(lo, *(text.rfind(c, lo, m.start()) + 1 for c in "，,。；;\n"))
        roles = p.role.findall(text, clause_start, m.start())
        if roles:
            act = roles[-1] + act
        every = _cadence_months(unit) / count
        end = m.start("rest") + skipped + rest.index(first) + len(first)
        out.append(
            Timeline(
                kind="cadence",
                stages=[TimelineStage(to_event=act, every_months=tidy(every))],
                evidence=evidence(m.start(), end),
            )
        )
    return out


#: how far before a limit its event is looked for (从, an event, 到, 8 and 6 characters)
_LIMITED_REACH = 40


def _limits(text: str, evidence: EvidenceFor, taken: SpanSet) -> list[Timeline]:
    """工业用地审批时限压缩至15个工作日内, 从签约到开工控制在6个月以内: a limit set on
    an event named before it (the event with the words that name what it is of)."""
    p = _patterns()
    milestones = p.data["milestones"]
    out = []
    for limit in p.limit.finditer(text):
        lo = max(0, limit.start() - _LIMITED_REACH)
        m = p.limited.search(text, lo, limit.start())
        if m is None or taken.overlaps(m.start(), limit.end()):
            continue  # no event before it, or the number is already a deadline's
        to = p.limit_lead.split(m.group("to"))[-1]  # 丰源县将工业项目审批 -> 工业项目审批
        last = p.milestone.findall(to)[-1]
        event = to if not m.group("from") and len(to) > len(last) else milestones[last]
        stage = TimelineStage(
            from_event=milestones[m.group("from")] if m.group("from") else None,
            to_event=event,
            months=tidy(_months(limit.group("num"), limit.group("unit"))),
        )
        start = m.start("to") + len(m.group("to")) - len(to) if not m.group("from") else m.start()
        out.append(Timeline(kind="deadline", stages=[stage], evidence=evidence(start, limit.end())))
    return out


#: the Han characters right before a position (a report's topic)
_HAN_TAIL = re.compile(r"[\u4e00-\u9fff]*$")


def _report_lists(text: str, evidence: EvidenceFor) -> tuple[list[Timeline], list[tuple[int, int]]]:
    """项目进展周报、招商线索月报和招商成效季报, 周报、月报、季报: one cadence stage per
    report, named by what it reports on and its period; and the spans read."""
    p = _patterns()
    runs: list[list[tuple[str, re.Match[str]]]] = []
    for m in p.reports.finditer(text):  # N报, and what joins it to the one before
        gap = p.report_item.fullmatch(text, runs[-1][-1][1].end(), m.start()) if runs else None
        if gap is not None:
            runs[-1].append((gap.group("topic"), m))
        else:
            topic = _HAN_TAIL.search(text, max(0, m.start() - 8), m.start())
            runs.append([(topic.group(0) if topic else "", m)])
    out, spans = [], []
    for run in runs:
        if len(run) < 2:
            continue
        first_topic, first = run[0]
        start = first.start() - len(first_topic)
        leads = list(p.report_lead.finditer(first_topic))
        if leads:  # 县里建立在谈项目周报 -> 在谈项目周报
            start += leads[-1].end()
            first_topic = first_topic[leads[-1].end() :]
        if len(first_topic) > 6:  # no clause start seen: the name of the report is its end
            first_topic, start = "", first.start()
        stages = [
            TimelineStage(
                to_event=(first_topic if i == 0 else topic) + m.group("unit") + "报",
                every_months=Decimal(p.data["report_units"][m.group("unit")]),
            )
            for i, (topic, m) in enumerate(run)
        ]
        end = run[-1][1].end()
        spans.append((start, end))
        out.append(
            Timeline(
                kind="cadence",
                code=text[start:end],
                stages=stages,
                evidence=evidence(start, end),
            )
        )
    return out, spans


def _listed_cadences(
    text: str, evidence: EvidenceFor, taken: SpanSet
) -> tuple[list[Timeline], list[tuple[int, int]]]:
    """项目周报、月通报、季考评: each item a unit and an activity; and every such list's span."""
    out = []
    spans = []
    for m in _patterns().listed.finditer(text):
        spans.append(m.span())
        if taken.overlaps(m.start(), m.end()):
            continue
        stages = _unit_stages(m.group(0))
        out.append(
            Timeline(kind="cadence", code=m.group(0), stages=stages, evidence=evidence(*m.span()))
        )
    return out, spans


def _termly(text: str, evidence: EvidenceFor, taken: SpanSet) -> list[Timeline]:
    """年度考核, 季度通报: work named by the period it recurs in, one stage each."""
    p = _patterns()
    out = []
    at = text.find("度")  # every unit ends in 度: found in a fast loop of str's own
    while at != -1:
        m = p.termly.match(text, at + 1)
        at = text.find("度", at + 1)
        if m is None:
            continue
        unit = next((u for u in p.termly_units if text.endswith(u, 0, m.start())), None)
        if unit is None:
            continue
        start = m.start() - len(unit)
        if text[start - 1 : start] in _NOT_TERMLY_AFTER or taken.overlaps(start, m.end()):
            continue  # 每季度考核, 两个季度排名: a count of periods, or read already
        stage = TimelineStage(to_event=m.group(0), every_months=_cadence_months(unit))
        out.append(Timeline(kind="cadence", stages=[stage], evidence=evidence(start, m.end())))
    return out


#: what before a period's name makes it no recurring work's: a count or list of periods
#: (每季度, 两个季度, 、年度考评) or one period (第二季度, 二季度, 前三季度, 2023年度, 上年度,
#: 下半年度)
_NOT_TERMLY_AFTER = frozenset("每一、个第二三四五六七八九十两前上下本今去明后半0123456789")


def find_timelines(text: str, evidence: EvidenceFor) -> list[Timeline]:
    """Deadline rules and cadences stated in ``text`` (cleaned, Simplified)."""
    enumerated, spans = _enumerated(text, evidence)
    deadlines, numbers = _deadlines(text, evidence)
    quoted, quotes = _quoted_cadences(text, evidence)
    reports, reported = _report_lists(text, evidence)
    taken = spans + quotes + reported
    listed, lists = _listed_cadences(text, evidence, SpanSet(taken))
    return (
        deadlines
        + _limits(text, evidence, SpanSet(numbers))
        + _immediate(text, evidence)
        + enumerated
        + quoted
        + reports
        + listed
        + _every(text, evidence, SpanSet(spans))
        + _termly(text, evidence, SpanSet(taken + lists))
    )
