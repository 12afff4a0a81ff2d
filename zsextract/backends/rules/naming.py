"""The name of a metric: the phrase its number measures, read as a name.

A number is named by the words of its clause before it (精准对接 in 精准对接63家企业)
and, for a count, by the noun after it (企业). Those words are trimmed until they read
as a name:

- the noun after a count ends at a stop word (企业家|参加) or, when the length limit
  cuts it first, at its last head (``metrics.count_heads``: 项目, 企业, 协会 …):
  50多家知名协会及粤港澳大湾区… -> 知名协会; a noun so cut without a head is no noun, and
  a quoted name inside a noun is kept (198个“一件事一次办”套餐);
- a count with no noun is named by what its measure word counts
  (``metrics.classifier_nouns``): 组织近300人在北京… -> 组织人员;
- lead words that are no part of a name are dropped (``name_prefix``: 共, 由, 目前 …)
  and so are tails (``metrics.name_suffix``: 为, 的, 仅 …), from the whole name;
- listed examples give way to what they are examples of (a 等 of ``metrics.list_mark``,
  not 高等 or 等地): 引进织造、印染、成衣等上下游企业17家 -> 引进上下游企业;
- an amount invested by a named company starts at the company: 服务推进金茂钛业公司
  投资6亿元 -> 金茂钛业公司投资; an amount of a named project or fund after it is named
  by that (投资120亿元的保利科创中心, 规模50亿元的产业投资基金).

Word lists are in ``data/rules.json`` (see ``data/README.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ...datafiles import alternation, load_data
from ...patterns import Scanner, class_chars, scanner
from ...readers.quantities import QuantityMention
from ...readers.spans import break_before
from ...readers.spans import clause_start as clause_start_of_list

__all__ = ["clause_start", "name_of", "noun_after"]

#: how far back a metric's name, scope or subject is looked for: a clause longer than
#: this holds no name (and the bound keeps the reading linear on text without breaks)
REACH = 80


@dataclass(frozen=True)
class _Naming:
    clause_break: str | Scanner
    period: Scanner
    name_prefix: re.Pattern[str]
    name_suffix: re.Pattern[str]
    noun_stop: re.Pattern[str]
    noun_max: int
    noun_lead: re.Pattern[str]
    heads: re.Pattern[str]
    classifier_nouns: dict[str, str]
    list_verb: re.Pattern[str]
    list_mark: re.Pattern[str]
    owner_after: re.Pattern[str]
    money_noun_after: re.Pattern[str]
    company: re.Pattern[str]


@cache
def _naming() -> _Naming:
    d = load_data("rules")
    m = d["metrics"]
    # a plan's structure ends a noun too (13条先进制造业产业链), so that it can be skipped
    heads = sorted(m["count_heads"] + m["structure_nouns"], key=len, reverse=True)
    return _Naming(
        # its characters, whose positions readers/spans.py finds with the other breaks
        clause_break=class_chars(d["clause_break"]) or scanner(d["clause_break"]),
        period=scanner(d["period"]),
        name_prefix=re.compile(f"^(?:{m['name_lead']}|{alternation(d['name_prefix'])})+"),
        name_suffix=re.compile(m["name_suffix"]),
        noun_stop=re.compile(f"{m['noun_stop_chars']}|{alternation(m['noun_stop_words'])}"),
        noun_max=int(m["noun_max"]),
        noun_lead=re.compile(m["noun_lead"]),
        # the last head in a noun: greedy lead, longest head first at each place
        heads=re.compile(f"^.*(?:{alternation(heads)})", re.DOTALL),
        classifier_nouns=dict(m["classifier_nouns"]),
        list_verb=re.compile(alternation(m["list_verbs"])),
        list_mark=re.compile(m["list_mark"]),
        owner_after=re.compile(m["owner_after"]),
        money_noun_after=re.compile(m["money_noun_after"]),
        company=re.compile(alternation(m["company_heads"])),
    )


def clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts (at most ``REACH`` characters back)."""
    return break_before(text, pos, max(0, pos - REACH), _naming().clause_break)


def _quoted(text: str, at: int, limit: int) -> int:
    """End of a “…” opened at ``at`` and closed before ``limit``, or ``at``."""
    if at < len(text) and text[at] == "“":
        close = text.find("”", at + 1, limit)
        if close != -1:
            return close + 1
    return at


def noun_after(text: str, end: int) -> str:
    """The noun right after a count, up to its head: 63家|企业和…, 11支|招商队伍深入…,
    40余场|招商活动高潮迭起 -> 企业, 招商队伍, 招商活动; '' when none reads as one."""
    n = _naming()
    lead = n.noun_lead.match(text, end)  # 为“2+1”产业项目, 亿元以上…项目
    start = lead.end() if lead else end
    limit = min(len(text), start + n.noun_max)
    scan = _quoted(text, start, limit)
    stop = n.noun_stop.search(text, scan, limit + 1)  # a stop right at the limit too
    limit = min(limit, stop.start()) if stop else limit
    noun = text[start:limit].replace("“", "").replace("”", "")
    if stop is None and limit < len(text):  # the limit cut it, maybe inside a word
        head = n.heads.match(noun)
        if head is None:
            return ""  # no noun
        noun = head.group(0)
    if lead and lead.group("keep"):
        noun = lead.group("keep") + noun
    return noun.strip()


def _trim(name: str) -> str:
    n = _naming()
    name = n.period.sub("", name)
    name = n.name_prefix.sub("", name.strip()).strip()
    return n.name_suffix.sub("", name).strip()  # 履约率为 -> 履约率


def _ends_with_head(name: str) -> bool:
    head = _naming().heads.match(name)
    return head is not None and head.end() == len(name)


def _unlisted(text: str, clause: int, before: str, mark: int) -> str:
    """``before`` without the examples listed before its 等 (at ``mark``): the list
    verb, then what the examples are of (引进织造、印染、成衣等上下游企业 -> 引进上下游企业)."""
    n = _naming()
    kind = before[mark + 1 :]
    kind = kind[kind.rfind("的") + 1 :]  # 以电子信息等为主题的|产业专题招商活动
    # the items are parted by 、 only: the list's verb is in the clause before them
    items = clause_start_of_list(text, clause, max(0, clause - REACH))
    verbs = list(n.list_verb.finditer(text, items, clause + len(before)))
    return (verbs[-1].group(0) if verbs else "") + kind


#: spaces that may stand between a figure and the words before it
_SPACES = " \u3000\u00a0"


def name_of(
    text: str, mention: QuantityMention, noun: str, previous: QuantityMention | None
) -> str:
    """The name of the metric whose number is ``mention`` and after which stands
    ``noun`` (:func:`noun_after`); ``previous`` is the metric mention before it, whose
    verb a second count of one clause shares."""
    n = _naming()
    at = mention.start
    while at > 0 and text[at - 1] in _SPACES:
        at -= 1  # 引进企业 120 家: a space before a figure does not end its clause
    start = clause_start(text, at)
    before = text[start:at]
    kind = mention.quantity.kind  # a property: read once
    if kind == "money":
        owner = n.owner_after.match(text, mention.end)  # 投资10亿元(的|建设)电动车制造项目
        if owner:
            return owner.group("owner") + ("投资" if before.endswith("投资") else "")
        money = n.money_noun_after.match(text, mention.end)  # 设立30亿元|专项发展基金
        if money:
            return money.group("noun")
        company = list(n.company.finditer(before))
        if before.endswith("投资") and company:
            verbs = [v for v in n.list_verb.finditer(before) if v.end() <= company[-1].start()]
            if verbs:  # 服务推进金茂钛业公司投资6亿元 -> 金茂钛业公司投资
                before = before[verbs[-1].end() :]
    listed = list(n.list_mark.finditer(before))
    if before.endswith("等") and listed:  # 服务推进甲、乙等18个项目: the verb before the list
        verb = n.list_verb.search(before)
        before = before[: verb.end()] if verb else ""
    elif listed:
        before = _unlisted(text, start, before, listed[-1].start())
    elif previous is not None and previous.end > start:
        # 精准对接63家企业和9家商协会: the second count shares the verb before the first
        before = text[start : previous.start]
    before = _trim(before)
    if kind == "count":
        if noun and not before.endswith(noun):
            return _trim(before + noun)  # 精准对接 + 企业
        if not noun and not _ends_with_head(before):
            counted = n.classifier_nouns.get(mention.quantity.unit_text, "")
            if before and counted and not before.endswith(counted):
                return before + counted  # 组织近300人 -> 组织人员
    if len(before) >= 2:
        return before
    name = _trim(before + noun)
    # 同比下降3.2%: the mention's own words (its fall or qualifier) name it
    return name or re.sub(r"[\d.,%％-].*$", "", mention.text)
