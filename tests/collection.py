"""A collection as users gather one (issue 15): the 29 real articles of ../shared
(corpus and corpus-extra), and copies of each made the way outlets make them.

- a repost: the same text under other site chrome (a breadcrumb, a date line, print and
  close links, a copyright line), published a day later;
- a mirror: the text in Traditional script (OpenCC s2t) with pinyin glosses after some
  characters, as spam mirrors print it (網(wǎng));
- a rounded reprint: amounts in 亿元 with two or more decimals rounded (484.46亿元 ->
  484亿元, 3.58亿元 -> 3.6亿元), so that at least two significant digits stay;
- for three articles, a garbled repost: one exact count changed to another number (the
  planted contradiction).

Everything is made by the code below from the shared texts; nothing is kept in the
repository.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import opencc

import zsextract

from .conftest import CORPUS, SHARED

EXTRA = SHARED / "corpus-extra"
PUBLISHED = "2024-12-20"
REPOSTED = "2024-12-21"
GLOSSES = {"网": "wǎng", "资": "zī", "投": "tóu", "项": "xiàng", "目": "mù", "业": "yè"}
CHROME_HEAD = "首页 > 新闻中心 > 本地要闻\n发布时间：2024-12-21 09:30  浏览次数：1234\n"
CHROME_TAIL = "\n【打印本页】【关闭窗口】\n版权所有：某某信息网 备案号：京ICP备00000000号\n"
GARBLED = 3


def repost(text: str) -> str:
    return CHROME_HEAD + text + CHROME_TAIL


def mirror(text: str, seed: int) -> str:
    chance = random.Random(seed)
    to_traditional = opencc.OpenCC("s2t")
    out = []
    for ch in text:
        out.append(to_traditional.convert(ch))
        if ch in GLOSSES and chance.random() < 0.5:
            out.append(f"({GLOSSES[ch]})")
    return "".join(out)


_AMOUNT = re.compile(r"(\d+)\.(\d{2,})(?=亿元)")


def _rounded(m: re.Match[str]) -> str:
    value = Decimal(f"{m.group(1)}.{m.group(2)}")
    step = Decimal(1) if len(m.group(1)) >= 2 else Decimal("0.1")
    return str(value.quantize(step, rounding="ROUND_HALF_UP"))


def rounded(text: str) -> str:
    return _AMOUNT.sub(_rounded, text)


@dataclass
class Planted:
    """A garbled repost: which document, the metric changed, its old and new value."""

    doc_id: str
    original: str
    name: str
    old: Decimal
    new: Decimal


@dataclass
class Collection:
    documents: list[tuple[str, str, dict[str, str]]]  #: id, text, metadata
    originals: list[str]
    copies_of: dict[str, list[str]]  #: original id -> its copies' ids
    rounded_changed: set[str] = field(default_factory=set)  #: rounded copies that differ
    planted: list[Planted] = field(default_factory=list)

    def reports(self) -> list[tuple[str, zsextract.PromotionReport]]:
        return [(i, _extract(t, tuple(sorted(m.items())))) for i, t, m in self.documents]


@cache
def _extract(text: str, meta: tuple[tuple[str, str], ...]) -> zsextract.PromotionReport:
    return zsextract.extract(text, metadata=dict(meta))


def _garble(doc_id: str, text: str) -> tuple[str, Planted] | None:
    """Change the first exact count of two or more digits that the article states once."""
    report = _extract(text, (("publish_date", PUBLISHED),))
    names = [m.name for m in report.metrics]
    for m in report.metrics:
        q = m.quantity
        if q.unit != "count" or q.qualifier.value != "exact" or names.count(m.name) > 1:
            continue
        number = str(q.value)
        quote = m.evidence.quote
        if len(number) < 2 or quote.count(number) != 1 or text.count(quote) != 1:
            continue
        new = str(int(number) + 7)
        changed = quote.replace(number, new)
        return text.replace(quote, changed), Planted(
            f"{doc_id}~garbled", doc_id, m.name, q.value, Decimal(new)
        )
    return None


@cache
def collection() -> Collection:
    paths = sorted(CORPUS.glob("*.txt")) + sorted(EXTRA.glob("c*.txt"))
    documents: list[tuple[str, str, dict[str, str]]] = []
    originals, copies_of = [], {}
    rounded_changed: set[str] = set()
    planted: list[Planted] = []
    for n, path in enumerate(paths):
        doc_id, text = path.stem, path.read_text("utf-8")
        originals.append(doc_id)
        made = {
            f"{doc_id}~repost": repost(text),
            f"{doc_id}~mirror": mirror(text, n),
            f"{doc_id}~rounded": rounded(text),
        }
        if made[f"{doc_id}~rounded"] != text:
            rounded_changed.add(f"{doc_id}~rounded")
        if len(planted) < GARBLED and n % 4 == 1:
            garbled = _garble(doc_id, text)
            if garbled is not None:
                made[f"{doc_id}~garbled"] = repost(garbled[0])
                planted.append(garbled[1])
        documents.append((doc_id, text, {"publish_date": PUBLISHED}))
        documents += [(i, t, {"publish_date": REPOSTED}) for i, t in made.items()]
        copies_of[doc_id] = list(made)
    return Collection(documents, originals, copies_of, rounded_changed, planted)
