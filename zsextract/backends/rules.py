"""The offline rules backend: no model, no key.

It finds metrics (money, percentages and counts, each named by the phrase it
measures, with the period in force), mechanisms (taxonomy terms and the patterns in
``data/rules.json``) and timeline rules (``timelines.py``). Projects are not
extracted yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .._data import load_data
from ..quantity import QuantityMention, find_quantities
from ..schema import Evidence, Mechanism, Metric
from ..textclean import CleanText
from . import Extraction
from .projects import find_projects
from .timelines import find_timelines

__all__ = ["RulesBackend", "evidence_for"]


def evidence_for(doc: CleanText, start: int, end: int) -> Evidence:
    """Evidence for the cleaned span ``doc.text[start:end]``, quoted from the raw text."""
    raw_start, raw_end = doc.to_raw(start, end)
    return Evidence(quote=doc.raw[raw_start:raw_end], start=raw_start, end=raw_end)


@dataclass(frozen=True)
class _Lexicon:
    data: dict[str, Any]
    clause_break: re.Pattern[str]
    period: re.Pattern[str]
    name_prefix: re.Pattern[str]
    mechanism_terms: list[tuple[str, re.Pattern[str]]]
    category_rules: list[tuple[str, re.Pattern[str]]]
    threshold_after: re.Pattern[str]


@cache
def _lexicon() -> _Lexicon:
    d = load_data("rules")
    taxonomy = load_data("taxonomy")
    terms: list[tuple[str, re.Pattern[str]]] = []
    for mech in taxonomy["mechanisms"]:
        words = [w for w in mech["zh"].split("/") if w] + list(mech["examples"])
        patterns = [re.escape(w) for w in words] + d["mechanism_patterns"].get(mech["code"], [])
        terms.append((mech["code"], re.compile("|".join(patterns))))
    return _Lexicon(
        data=d,
        clause_break=re.compile(d["clause_break"]),
        period=re.compile(d["period"]),
        name_prefix=re.compile(f"^(?:{d['name_prefix']})+"),
        mechanism_terms=terms,
        category_rules=[(c, re.compile(p)) for c, p in d["metric_categories"]],
        threshold_after=re.compile(d["threshold_after"]),
    )


class RulesBackend:
    """Deterministic extraction from lexicons and patterns kept as data files."""

    name = "rules"

    def extract(self, doc: CleanText) -> Extraction:
        return Extraction(
            metrics=self._metrics(doc),
            mechanisms=self._mechanisms(doc),
            timelines=find_timelines(doc.text, lambda a, b: evidence_for(doc, a, b)),
            projects=find_projects(doc.text, lambda a, b: evidence_for(doc, a, b)),
        )

    # -- metrics -----------------------------------------------------------------
    def _metrics(self, doc: CleanText) -> list[Metric]:
        text = doc.text
        out: list[Metric] = []
        for mention in find_quantities(text):
            q = mention.quantity
            if q.kind not in ("money", "percent", "count"):
                continue
            if q.kind == "count" and q.value == 1 and not mention.text[:1].isdigit():
                continue  # 一批, 一个: no number is being reported
            if q.low is not None:
                continue  # a range names a category (1-5亿元项目), it is no metric
            if (
                q.kind == "money"
                and q.qualifier.value in ("lower_bound", "upper_bound")
                and _lexicon().threshold_after.match(text, mention.end)
            ):
                continue  # a threshold (10亿元以上项目9个) is part of the counted metric's name
            name = self._name(text, mention)
            if not name:
                continue
            out.append(
                Metric(
                    name=name,
                    category=self._category(name, q.kind),
                    quantity=q,
                    period=self._period(text, mention.start),
                    evidence=evidence_for(doc, mention.start, mention.end),
                )
            )
        return out

    @staticmethod
    def _clause_start(text: str, pos: int) -> int:
        lex = _lexicon()
        start = pos
        while start > 0 and not lex.clause_break.match(text, start - 1):
            start -= 1
        return start

    def _name(self, text: str, mention: QuantityMention) -> str:
        lex = _lexicon()
        start = self._clause_start(text, mention.start)
        before = lex.period.sub("", text[start : mention.start])
        before = lex.name_prefix.sub("", before.strip()).strip()
        if len(before) >= 2:
            return before
        end = mention.end
        while end < len(text) and end - mention.end < 12 and not lex.clause_break.match(text, end):
            end += 1
        after = text[mention.end : end].strip()
        return (before + after).strip()

    @staticmethod
    def _category(name: str, kind: str) -> str:
        if kind == "percent" and ("增长" in name or "增幅" in name or "下降" in name):
            return "growth"
        for code, pattern in _lexicon().category_rules:
            if pattern.search(name):
                return code
        return "other"

    @staticmethod
    def _period(text: str, pos: int) -> str | None:
        """The last period stated before ``pos`` in the same paragraph."""
        lex = _lexicon()
        para_start = text.rfind("\n", 0, pos) + 1
        found = None
        for m in lex.period.finditer(text, para_start, pos):
            found = m.group(0)
        return found

    # -- mechanisms ----------------------------------------------------------------
    def _mechanisms(self, doc: CleanText) -> list[Mechanism]:
        out = []
        for code, pattern in _lexicon().mechanism_terms:
            m = pattern.search(doc.text)
            if m:
                out.append(Mechanism(code=code, evidence=evidence_for(doc, m.start(), m.end())))
        return out
