"""Named projects and company investments in cleaned text.

These shapes are read, with word lists and patterns in ``data/rules.json`` under
``projects``:

- a named phrase ending in a project head word (项目, 产业园, 生产基地, 研究院 …):
  促成了卓达集团新型建材项目落户, 与某公司签订了14.1亿元的铝材制造项目;
- a list before 等…项目/企业: 引进了甲、乙、丙等80余家配套企业;
- a company that lands or is the project: 某某有限公司早已落户, 某公司是…引进的项目;
- firms named right after the verb that brought them in: 成功引进某集团、某有限公司.

A name is kept only when something specific is left after removing generic words
(重点, 招商引资, 亿元以上 …), so "重大项目" or "一批优质项目" are not projects; nor are
names of places or their organs only (深圳项目, 丰源县委项目), and a name is read after a
description ending in 的 (当天动工的某某项目). Lists of kinds (厂房、宿舍等项目, 商业地产、
文化旅游等重大项目) and of fields after 包括 (项目包括新能源、新材料等) name no projects;
short firm names before 等 (比亚迪、宁德时代等项目) do.

Who invests is the firm, read from 由某公司投资建设的…, from a firm before the verb that
builds (某集团实施|某项目; several firms listed there have one project each), or from
the other side of a signing unless that is a government (某集团与县政府签约…). Firms
listed as people who attend or talk (甲、乙等企业负责人应邀参加) are no projects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from ...datafiles import alternation, load_data
from ...patterns import Scanner, scanner
from ...readers.gazetteer import division_names
from ...readers.names import NestedKeys, project_key
from ...readers.quantities import find_quantities
from ...readers.spans import CLAUSE_ENDS, SENTENCE_ENDS, break_after, break_before
from ...report.schema import Evidence, Project, ProjectStatus, Quantity

__all__ = ["find_projects"]

EvidenceFor = Callable[[int, int], Evidence]
#: where a list ends: 等, or a count right after its last item (甲、乙、丙3个外资项目: its
#: first digit is matched). The pattern begins with a class, so ``re`` skips to 等 and
#: digits in a fast loop of its own.
_LIST_END = re.compile(r"[等\d](?:(?<=等)|(?<=[\u4e00-\u9fff]\d)(?=\d{0,3}[个家项]))")
_ITEM_SEPARATOR = re.compile("、|以及")


@dataclass(frozen=True)
class _Patterns:
    data: dict[str, Any]
    named: Scanner
    listed: re.Pattern[str]
    counted: re.Pattern[str]
    landed: Scanner
    company_end: re.Pattern[str]
    suffix_end: re.Pattern[str]
    landed_before: re.Pattern[str]
    amount_later: re.Pattern[str]
    trigger: re.Pattern[str]
    lead_junk: re.Pattern[str]
    partner: re.Pattern[str]
    company_prefix: re.Pattern[str]
    company_invests: re.Pattern[str]
    stated_after: re.Pattern[str]
    amount_prefix: re.Pattern[str]
    generic: re.Pattern[str]
    organs: re.Pattern[str]
    not_name: re.Pattern[str]
    example_tail: re.Pattern[str]
    place: re.Pattern[str]
    head_end: re.Pattern[str]
    skip_list: re.Pattern[str]
    tail_stop: re.Pattern[str]
    lead_measure: re.Pattern[str]
    lead_date: re.Pattern[str]
    lead_number: re.Pattern[str]
    head_join: re.Pattern[str]
    list_visitors: re.Pattern[str]
    list_honoured: re.Pattern[str]
    one_of: re.Pattern[str]
    kinds_tail: re.Pattern[str]
    product_end: re.Pattern[str]
    list_visit: re.Pattern[str]
    list_land: re.Pattern[str]
    company_end_free: re.Pattern[str]
    head_only: re.Pattern[str]
    bare_list_end: re.Pattern[str]
    list_intro: re.Pattern[str]
    listed_things: re.Pattern[str]
    kinds_of_projects: re.Pattern[str]
    de_word: re.Pattern[str]
    suffix_start: re.Pattern[str]
    introduced: Scanner
    introduced_tail: re.Pattern[str]
    firm_name: re.Pattern[str]
    suffix_words: tuple[str, ...]
    verb_nouns: tuple[str, ...]
    subject_ends: tuple[str, ...]
    invested_by: re.Pattern[str]
    government: re.Pattern[str]
    subject_invests: re.Pattern[str]
    status: list[tuple[str, re.Pattern[str]]]


#: where a firm invests, between the firm and its verb (某公司在丰源县投资5亿元建设)
_AT_PLACE = r"在[\u4e00-\u9fff]{1,12}?"
#: a note of who invests, in brackets after a name (某项目（某集团投资建设）)
_NOTED_INVESTOR = r"[（(][^（()）]{2,30}?(?:投资|出资)(?:建设|兴建|新建)?[）)]"


@cache
def _patterns() -> _Patterns:
    d = load_data("rules")["projects"]
    ch = d["name_chars"]
    heads = alternation(d["heads"])
    suffix = alternation(d["investor_suffix"])
    company = rf"{ch}{{2,30}}?(?:{suffix})"
    return _Patterns(
        data=d,
        named=scanner(
            rf"(?<={ch}{ch})(?:{heads})(?=$|[{CLAUSE_ENDS}、…\s]|{alternation(d['followers'])}|{_NOTED_INVESTOR})"
        ),
        listed=re.compile(d["list_tail"]),
        counted=re.compile(d["counted_tail"]),
        landed=scanner(d["landed"]),
        company_end=re.compile(rf"{ch}{{2}}(?:{suffix})$"),
        suffix_end=re.compile(rf"(?:{suffix})$"),
        landed_before=re.compile(d["landed_before"]),
        amount_later=re.compile(d["amount_later"]),
        trigger=re.compile(alternation(d["triggers"])),
        lead_junk=re.compile(rf"^(?:{alternation(d['lead_junk'])})+"),
        partner=re.compile(rf"与(?P<inv>{ch}{{2,40}}?)(?:签订了?|签署了?|签约|就|达成)"),
        company_prefix=re.compile(rf"^(?P<inv>{company})(?:总?投资|增资|拟|新建|建设|进行)*"),
        stated_after=re.compile(
            rf"[，,：:]?(?:由(?P<inv>{company})(?:共同)?(?:出资|投资)?(?:建设|兴建|新建)?"
            rf"|[（(](?P<inv_noted>{company})(?:出资|投资)(?:建设|兴建|新建)?[）)])?[，,]?"
            r"(?:(?:计划|预计|协议|拟)?总投资|投资总额|(?:计划|协议|拟)投资|投资)?额?(?:为|达|约为)?"
            r"(?P<amt>(?:约|近|超)?[\d.]+[万亿]*(?:美元|元))?"
        ),
        company_invests=re.compile(
            rf"(?P<inv>{company})?(?:{alternation(d['invest_when'])})?(?:拟|计划|将|已)?"
            rf"(?:{_AT_PLACE})?"
            r"(?:又|再|还)?(?:追加|增加|新增)?总?投资"
            rf"(?P<amt>[\d.]+[万亿]*(?:美元|元))(?:{_AT_PLACE})?(?:进行|建设|新建|兴建|用于)?$"
        ),
        amount_prefix=re.compile(
            r"^(?:总?投资|协议投资|投资额|增资)?(?P<amt>[\d.]+[万亿]*(?:美元|元))的?"
        ),
        generic=re.compile(alternation(d["generic"])),
        organs=re.compile(alternation(d["organs"])),
        not_name=re.compile(d["not_name"]),
        example_tail=re.compile(d["example_tail"]),
        place=re.compile(r"^[\u4e00-\u9fff]{1,5}[省市县区镇乡村]$"),
        head_end=re.compile(rf"(?:{heads})$"),
        skip_list=re.compile(alternation(d["list_skip_verbs"])),
        tail_stop=re.compile(alternation(d["list_tail_stop"])),
        lead_measure=re.compile(d["lead_measure"]),
        lead_date=re.compile(d["lead_date"]),
        lead_number=re.compile(d["lead_number"]),
        head_join=re.compile(rf"(?P<head>{heads})(?:{alternation(d['head_joins'])})"),
        list_visitors=re.compile(d["list_visitors"]),
        list_honoured=re.compile(alternation(d["list_honoured"])),
        one_of=re.compile(rf"(?:{alternation(d['one_of'])})(?:{heads})$"),
        kinds_tail=re.compile(alternation(d["kinds_of_firms"])),
        product_end=re.compile(rf"(?:{alternation(d['product_endings'])})$"),
        list_visit=re.compile(alternation(d["list_visit_verbs"])),
        list_land=re.compile(alternation(d["list_land_verbs"])),
        company_end_free=re.compile(rf"(?P<inv>{company})$"),
        head_only=re.compile(heads),
        bare_list_end=re.compile(rf"等(?=[{CLAUSE_ENDS}])"),
        list_intro=re.compile(alternation(d["list_intro"])),
        listed_things=re.compile(alternation(d["listed_things"])),
        kinds_of_projects=re.compile(alternation(d["kinds_of_projects"])),
        de_word=re.compile(alternation(d["de_words"])),
        suffix_start=re.compile(suffix),
        introduced=scanner(alternation(d["introduce_verbs"])),
        introduced_tail=re.compile(alternation(d["introduced_followers"])),
        firm_name=re.compile(company),
        suffix_words=tuple(d["investor_suffix"]),
        verb_nouns=tuple(d["verb_nouns"]),
        subject_ends=tuple(v + tail for v in d["subject_verbs"] for tail in ("", "的")),
        invested_by=re.compile(d["invested_by"]),
        government=re.compile(d["government"]),
        subject_invests=re.compile(
            rf"(?P<inv>{company})(?:正在|已|将|拟|计划|准备)?(?:{_AT_PLACE})?"
            rf"(?:{alternation(d['subject_verbs'])})的?$"
        ),
        status=[(code, re.compile(alternation(w))) for code, w in d["status"].items()],
    )


@dataclass
class _Found:
    name: str
    start: int
    end: int
    investor: str | None = None
    amount: Quantity | None = None


#: a count (3个项目), a quote or 等 in a name: a kind of project, or several
_COUNTED_OR_QUOTED = re.compile(r"\d+[余多]?[个家项批]|[“”\"「」『』等]")
#: numbers and date words, which do not make a name specific (2024年重点项目)
_NUMBERS_AND_DATES = re.compile(r"[\d.]+|[年月日]")
#: a firm named before what it makes (西南特钢年产35万吨…)
_BEFORE_OUTPUT = re.compile(r"(?P<inv>[\u4e00-\u9fffA-Za-z]{2,12}?)(?=年产)")


def _specific(name: str) -> bool:
    """True when the name says which project, not just what kind (重大项目, 一批项目)."""
    p = _patterns()
    if _COUNTED_OR_QUOTED.search(name) or len(name) > 40 or p.one_of.search(name):
        return False
    if p.not_name.search(name):  # a meeting, an event, what a project did not do
        return False
    core = p.generic.sub("", p.head_end.sub("", name))
    core = _NUMBERS_AND_DATES.sub("", _BRACKETS.sub("", core)).strip()
    core = p.organs.sub("", core)  # 吉林市委项目: a place's organ, not a project
    places = division_names()
    return (
        len(core) >= 2
        and not p.place.match(core)
        and not all(part in places for part in _JOINS.split(core))  # 澄迈和文昌项目
    )


#: what joins the places of a name that names only places (澄迈和文昌)
_JOINS = re.compile("[和及与、]")
#: brackets, which make no name specific (县(区)项目)
_BRACKETS = re.compile("[()（）]")


def _subject_firm(
    text: str, start: int, end: int, pattern: re.Pattern[str] | None = None
) -> str | None:
    """The firm that ends ``text[start:end]`` (before 与, or before the verb that builds
    with ``pattern``), trimmed after the last verb before it; else None."""
    p = _patterns()
    ends = p.subject_ends if pattern is not None else p.suffix_words
    if not text.endswith(ends, start, end):
        return None  # neither a firm's suffix nor a verb that builds ends the span
    m = (pattern or p.company_end_free).search(text, start, end)
    if m is None:
        return None
    firm = text[m.start("inv") : m.end("inv")]
    for verb in reversed(list(p.trigger.finditer(text, m.start("inv"), m.end("inv")))):
        if p.company_end.search(text, verb.end(), m.end("inv")):  # not 中衡建设|集团
            firm = text[verb.end() : m.end("inv")]
            break
    firm = p.lead_junk.sub("", firm)
    return firm if _specific(firm + "公司") else None


def _after_last_trigger(text: str, start: int, end: int) -> int:
    """Where a name starts: after the last verb (引进, 签订了, 推进 …) in text[start:end]."""
    last = start
    for m in _patterns().trigger.finditer(text, start, end):
        if m.end() < end - 1:
            last = m.end()
    return last


def _name_start(text: str, start: int, end: int) -> int:
    """After the last verb in text[start:end], unless that verb is inside the name: in a
    firm's (某某包装|有限公司), or a noun before the head word (某某叉车及后服务|项目)."""
    p = _patterns()
    verbs = None
    last = None
    for m in p.trigger.finditer(text, start, end):
        if m.end() < end - 1:
            last = m
    while last is not None:
        inside = p.suffix_start.match(text, last.end()) or (
            text.endswith(p.verb_nouns, start, last.end())
            and p.head_only.fullmatch(text, last.end(), end)
        )
        if not inside:
            return last.end()
        if verbs is None:  # rarely: the verbs before it, last first
            verbs = list(p.trigger.finditer(text, start, last.start()))
        last = verbs.pop() if verbs else None
    return start


#: the fewest characters of a name after a description ending in 的
_SHORTEST_NAME = 3


def _refine(text: str, start: int, end: int) -> _Found | None:
    """Trim a candidate span to the project's name; pick out investor and amount."""
    p = _patterns()
    investor = None
    partners = list(p.partner.finditer(text, start, end))
    partner = partners[-1] if partners else None
    if partner is not None and partner.end() < end - 1:
        investor = partner.group("inv")
        if p.government.search(investor):  # 某集团与县政府签约…项目: the firm invests
            investor = _subject_firm(text, _clause_start(text, partner.start()), partner.start())
        start = partner.end()
    by = next(reversed(list(p.invested_by.finditer(text, start, end))), None)
    if by is not None and by.end() < end - 1:  # 由某公司投资建设的|某项目
        investor = investor or by.group("inv")
        start = by.end()
    cut = _name_start(text, start, end)
    invests = p.company_invests.search(text, start, cut)  # 某公司投资6亿元进行|生产项目
    if investor is None and invests is None and cut > start:
        investor = _subject_firm(text, start, cut, p.subject_invests)  # 某集团实施|某项目
    start = cut
    for lead in (p.lead_number, p.lead_junk, p.lead_date, p.lead_measure, p.lead_junk):
        junk = lead.match(text[start:end])
        if junk:
            start += junk.end()
    amount = None
    m = p.amount_prefix.match(text[start:end])
    if m:
        amount = next(find_quantities(m.group("amt"), folded=True), None)
        start += m.end()
    m = p.company_prefix.match(text[start:end])
    if m and end - (start + m.end()) >= 4:
        investor = investor or m.group("inv")
        rest = start + m.end()
        m2 = p.amount_prefix.match(text[rest:end])
        if m2:
            amount = amount or next(find_quantities(m2.group("amt"), folded=True), None)
            rest += m2.end()
        start = rest if (m.group(0) != m.group("inv") or m2) else start
    described = text.rfind("的", start, end - _SHORTEST_NAME)
    word = (
        p.de_word.search(text, max(start, described - 2), described + 3)
        if described != -1
        else None
    )
    if described != -1 and word is None:  # 符合产业定位的高质量项目: the name after 的
        start = described + 1  # (not the 的 of 美的, 目的地)
    name = text[start:end].strip()
    if not _specific(name):
        return None
    quantity = amount.quantity if amount else None
    if invests:
        if invests.group("inv"):  # else 该公司投资5.8亿元建设的…: the amount only
            inv_start = _after_last_trigger(text, invests.start("inv"), invests.end("inv"))
            investor = investor or text[inv_start : invests.end("inv")]
        mention = next(find_quantities(invests.group("amt"), folded=True), None)
        quantity = quantity or (mention.quantity if mention else None)
    after = p.stated_after.match(text, end)  # …项目，由某公司投资45亿元建设 / 项目总投资12亿元
    if after and (after.group("inv") or after.group("inv_noted")):
        investor = investor or after.group("inv") or after.group("inv_noted")
    if (
        after
        and after.group("amt")
        and (after.group("inv") or after.group(0) != after.group("amt"))
    ):
        mention = next(find_quantities(after.group("amt"), folded=True), None)
        quantity = quantity or (mention.quantity if mention else None)
    later = p.amount_later.match(text, end)  # …项目签约落户，项目总投资6.5亿元
    if quantity is None and later:
        mention = next(find_quantities(later.group("amt"), folded=True), None)
        quantity = mention.quantity if mention else None
    if investor is None:  # 与某集团签署协议，共同推进某项目: the partner in the sentence
        lo = max(0, start - _SENTENCE_REACH)
        sentence_start = break_before(text, start, lo, "。；;\n")
        partners = list(p.partner.finditer(text, sentence_start, start))
        investor = partners[-1].group("inv") if partners else None
    before_output = _BEFORE_OUTPUT.match(name)
    if investor is None and before_output and _specific(before_output.group("inv") + "公司"):
        investor = before_output.group("inv")  # 西南特钢年产35万吨… -> 西南特钢
    return _Found(name, start, end, investor, quantity)


def _named(text: str) -> Iterator[_Found]:
    """Phrases that end in a head word (…项目, …产业园) followed by a verb or a break."""
    p = _patterns()
    for m in p.named.finditer(text):
        if text[m.start() - 1] in p.data["head_not_after"]:
            continue  # 专人到项目, 带头跑项目: a verb's object, not a name
        if p.example_tail.match(text, m.end()):
            continue  # 甲产业园、乙基地等园区: places given as examples
        start = _clause_start(text, m.end() - 1)
        if text.startswith("在", start) and text[m.end() : m.end() + 1] in "，,":
            continue  # 在某产业园，龙头企业…: where something happens, not a project
        joins = list(p.head_join.finditer(text, start, m.start()))
        if joins:  # 甲车间和乙二期: the name after the last other project's head
            start = joins[-1].end()
        found = _refine(text, start, m.end())
        if found is None:
            continue
        firms = _firms_listed_before(text, start) if found.investor else []
        if firms and text.startswith(found.investor or "", start):
            # 甲集团、乙集团实施某项目: one project of each firm, named with the firm
            for firm_start, firm in [*firms, (start, found.investor or "")]:
                yield _Found(firm + found.name, firm_start, found.end, firm, None)
            continue
        yield found


def _firms_listed_before(text: str, start: int) -> list[tuple[int, str]]:
    """The firms listed right before ``start`` (甲集团、乙集团、|丙集团实施…), first first,
    with where each starts; [] when the item before is not a firm."""
    firms: list[tuple[int, str]] = []
    pos = start
    while pos > 0 and text[pos - 1] == "、":
        item_start = _clause_start(text, pos - 1)
        firm = _subject_firm(text, item_start, pos - 1)
        if firm is None or len(firm) > 20:
            break
        pos = pos - 1 - len(firm)
        firms.append((pos, firm))
    return firms[::-1]


#: how far back a project's clause or sentence is looked for: a name is never longer,
#: and the bound keeps the reading linear on text without breaks
_REACH = 120
_SENTENCE_REACH = 400


def _clause_start(text: str, pos: int, breaks: str = CLAUSE_ENDS + "、") -> int:
    return break_before(text, pos, max(0, pos - _REACH), breaks)


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the items that end at ``end``, separated by 、 or 以及 (甲、乙以及丙):
    each 2-50 characters."""
    items: list[tuple[int, int]] = []
    pos = end
    parts = _ITEM_SEPARATOR.split(text[start:end])
    seps = [m.group(0) for m in _ITEM_SEPARATOR.finditer(text, start, end)]
    for i in range(len(parts) - 1, -1, -1):
        part = parts[i]
        part_start = pos - len(part)
        if len(part) < 2:
            break
        if len(part) > 50:
            items.append((pos - 50, pos))
            break
        items.append((part_start, pos))
        pos = part_start - (len(seps[i - 1]) if i else 0)
    return items[::-1]


def _split_at_heads(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """An item that joins two names after a head word (甲车间和乙二期) as two items."""
    out = []
    for start, end in items:
        for join in _patterns().head_join.finditer(text, start, end):
            out.append((start, join.end("head")))
            start = join.end()
        out.append((start, end))
    return out


#: a count in a list's tail (甲、乙等9个项目 counts firms, however short their names)
_COUNT = re.compile(r"\d|[一二两三四五六七八九十][个家项]")


def _reads_as_a_name(found: _Found) -> bool:
    """Whether an item of a list introduced by 包括 reads as a name: it ends in a head
    word or a firm's suffix, or it is long (浪潮集团西部运营总部); 用地, 新能源 do not."""
    p = _patterns()
    return bool(p.head_end.search(found.name) or p.suffix_end.search(found.name)) or (
        len(found.name) >= _LONG_NAME and not _names_a_kind(found)
    )


#: how long a listed item without a head word or a firm's suffix must be to be a name
_LONG_NAME = 5


def _short_and_no_firm(found: _Found) -> bool:
    """A listed name of five characters or fewer without a firm's suffix (木工机械)."""
    return len(found.name) <= _LONG_NAME and not _patterns().suffix_end.search(found.name)


def _names_a_kind(found: _Found) -> bool:
    """Whether a listed name is a kind of project (民生地产, 厂房, 住宅小区): made of
    generic words and the words of kinds (``kinds_of_projects``), nothing of its own."""
    p = _patterns()
    core = p.kinds_of_projects.sub("", p.generic.sub("", p.head_end.sub("", found.name)))
    return len(core.strip()) < 2


def _introduced_list_end(text: str, at: int) -> re.Match[str] | None:
    """The 等 that ends a list introduced as projects or firms (本次签约项目包括甲、乙、丙
    等，…; 新入驻企业13个，包括甲公司、乙公司等；), followed by a clause break; else None."""
    p = _patterns()
    end = p.bare_list_end.match(text, at)
    if end is None:
        return None
    clause = _clause_start(text, at, CLAUSE_ENDS)
    intro = p.list_intro.search(text, clause, at)
    if intro is None:
        return None
    lead = text[_sentence_start(text, intro.start()) : intro.start()]
    return end if p.listed_things.search(lead) else None  # 项目…包括, 企业13个，…包括


def _sentence_start(text: str, pos: int) -> int:
    return break_before(text, pos, max(0, pos - _SENTENCE_REACH), SENTENCE_ENDS)


def _listed(text: str) -> Iterator[_Found]:
    """甲、乙、丙等80余家配套企业 / 甲、乙等项目 / 甲、乙、丙3个外资项目: each item of
    the list (a list without 等 needs two items)."""
    p = _patterns()
    done = 0
    for hit in _LIST_END.finditer(text):
        at = hit.start()
        if at < done:
            continue
        counted = hit.group(0) != "等"
        tail_match = (p.counted if counted else p.listed).match(text, at)
        introduced = False
        if tail_match is None and not counted:
            tail_match = _introduced_list_end(text, at)  # 项目包括甲、乙、丙等，
            introduced = tail_match is not None
        if tail_match is None or p.example_tail.match(text, at):
            continue  # no list of projects, or 甲产业园、乙基地等园区: places as examples
        items = _list_items(text, max(done, _clause_start(text, at, CLAUSE_ENDS)), at)
        if counted and items:  # 此次签约的|甲、乙3个项目: the first name after its 的
            first = text.rfind("的", items[0][0], items[0][1]) + 1
            if first:
                items[0] = (first, items[0][1])
        if counted and (len(items) < 2 or any(c in text[items[0][0] : at] for c in "()（）的")):
            continue  # 甲、乙3个项目 needs two plain names before the count
        if not items or all(b - a <= 2 for a, b in items):
            continue  # 织造、印染、成衣等企业: kinds of firms, not firms
        done = tail_match.end()
        if p.list_honoured.match(text, done):
            continue  # 甲、乙等企业获评优秀投资企业: firms honoured, not projects
        sentence = text[done : break_after(text, done, SENTENCE_ENDS)]
        clause = text[done : break_after(text, done, CLAUSE_ENDS)]
        visit = p.list_visitors.match(text, done) or p.list_visit.search(clause)
        if visit and not p.list_land.search(sentence):
            continue  # 甲、乙等企业负责人应邀参加, …来县考察对接: nothing landed
        items_start = items[0][0]
        if p.skip_list.search(text, _clause_start(text, items_start), items_start + 12):
            continue  # 依托甲、乙等龙头企业: anchors, not new investment
        tail = tail_match.group(0)
        if p.tail_stop.search(tail):
            continue  # 以图片、视频等形式展示项目: the list is not of projects
        add_head = "项目" if tail.endswith("项目") else ""
        refined = [_refine(text, start, end) for start, end in _split_at_heads(text, items)]
        founds = [f for f in refined if f is not None]
        if introduced:  # 项目包括新能源、新材料等: fields, not names
            founds = [f for f in founds if _reads_as_a_name(f)]
        if (
            add_head  # 甲、乙等上下游企业 are firms, and a count counts firms
            and not _COUNT.search(tail)
            and (
                all(map(_names_a_kind, founds))  # 商业地产、文化旅游等重大项目: kinds
                or (p.kinds_tail.search(tail) and all(map(_short_and_no_firm, founds)))
            )  # 引进智能家居、木工机械等上下游项目: links of a chain
        ):
            continue
        if p.kinds_tail.search(tail) and all(
            len(f.name) <= 2 or p.product_end.search(f.name) for f in founds
        ):
            continue  # 织造、印染等上下游企业, 隔膜、电解液等配套企业: what firms make
        for found in founds:
            if (
                add_head
                and not p.head_end.search(found.name)
                and not p.suffix_end.search(found.name)
            ):
                found.name += add_head
            yield found


def _landed(text: str) -> Iterator[_Found]:
    """某某有限公司早已落户: a company that lands is a project of its own."""
    p = _patterns()
    for m in p.landed.finditer(text):
        if not p.company_end.search(text, max(0, m.start() - 40), m.start()):
            continue
        start = _after_last_trigger(text, _clause_start(text, m.start()), m.start())
        name = p.lead_junk.sub("", text[start : m.start()])
        start = m.start() - len(name)
        if _specific(name):
            yield _Found(name, start, m.start())


#: a join inside what would be one firm's name (区域总部和分公司): two things, not a firm
_JOINED = re.compile("[和及与]")


def _introduced(text: str) -> Iterator[_Found]:
    """成功引进某集团、某有限公司。: firms brought in, named right after the verb, each a
    project of its own (not 引进某集团的…项目, which the head word reads)."""
    p = _patterns()
    for verb in p.introduced.finditer(text):
        window = text[verb.end() : verb.end() + 34]
        if not any(w in window for w in p.suffix_words):
            continue  # no firm's suffix near: nothing to read (引进项目, 引进人才)
        end = break_after(text, verb.end(), CLAUSE_ENDS)
        tail = p.introduced_tail.search(text, verb.end(), end)
        firms = text[verb.end() : tail.start() if tail else end].split("、")
        if not all(
            len(f) <= 40 and p.firm_name.fullmatch(f) and not _JOINED.search(f) for f in firms
        ):
            continue  # not a list of firms only (引进某集团的…项目, 引进某公司先进经验)
        at = verb.end()
        for firm in firms:
            if _specific(p.suffix_end.sub("", firm)):  # not 上市公司, 分公司
                yield _Found(firm, at, at + len(firm))
            at += len(firm) + 1


def _landed_before(text: str) -> Iterator[_Found]:
    """已落户的瑞科精密又带来…: a firm named after the verb that landed it."""
    for m in _patterns().landed_before.finditer(text):
        if _specific(m.group("co")):
            yield _Found(m.group("co"), m.start("co"), m.end("co"))


def _status(text: str, start: int, end: int) -> ProjectStatus | None:
    clause_end = break_after(text, end, "。；;\n")
    context = text[_clause_start(text, start, CLAUSE_ENDS) : clause_end]
    for code, pattern in _patterns().status:
        if pattern.search(context):
            return code  # type: ignore[return-value]
    return None


def find_projects(text: str, evidence: EvidenceFor) -> list[Project]:
    """Named projects and company investments stated in ``text`` (cleaned, Simplified)."""
    kept: list[_Found] = []
    keys = NestedKeys()  # project_key of each kept name
    finds = (_listed, _named, _landed, _landed_before, _introduced)
    for found in (f for find in finds for f in find(text)):
        key = project_key(found.name)
        i = keys.find(key)
        if i is None:
            kept.append(found)
            keys.add(key)
            continue
        twin = kept[i]
        twin.investor = twin.investor or found.investor
        twin.amount = twin.amount or found.amount
    kept.sort(key=lambda f: f.start)
    return [
        Project(
            name=f.name,
            investor=f.investor,
            investment=f.amount,
            status=_status(text, f.start, f.end),
            evidence=evidence(f.start, f.end),
        )
        for f in kept
    ]
