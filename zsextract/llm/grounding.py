"""Check the model's answer against the article and turn it into report items.

- Every quote must be found in the chunk the model read: exactly, or (``alignment=
  "fuzzy"``) ignoring whitespace, punctuation, width and script; a quote found more
  than once is placed by the item's context, never silently at the first.
- A metric's number must equal a quantity parsed from its own short quote, attached to
  its name in the text: the parsed quantity (exact decimal, qualifier as written) is
  what the report keeps.
- Mechanism quotes must name or describe the practice; timeline stages must be stated
  for their own event (the shared timeline and quantity readers decide).
- An item whose core fails (quote, number, name, code, stages) is left out; a field
  the text does not say (period, scope, subject, investor, industry, location,
  status, a project's amount) is left out of an item that stays.

Every failure is returned, named by item, for the repair request and for
``provenance.dropped``; nothing is dropped silently here. Their wording is the prompt
version's (``messages.json``): the model reads them.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache, cached_property
from typing import Any

from ..backends import Extraction
from ..datafiles import alternation, load_data, mechanism_codes
from ..errors import QuantityParseError
from ..patterns import scanner
from ..readers.evidence import evidence_for
from ..readers.mechanisms import describes, mention_of
from ..readers.names import project_key
from ..readers.periods import resolve_period
from ..readers.places import find_places, main_place, place_base
from ..readers.quantities import QuantityMention, find_quantities, parse_chinese_number
from ..readers.spans import (
    CLAUSE_ENDS,
    SENTENCE_ENDS,
    clause_start,
    cover,
    label_before,
    negated,
    paragraph,
    previous_label,
    project_claim,
    sentence,
)
from ..readers.timelines import find_timelines
from ..report.numbers import tidy
from ..report.schema import Evidence, Mechanism, Metric, Project, Quantity, Timeline, TimelineStage
from ..text.clean import CleanText
from ..text.injection import dropped_note
from ..text.script import fold
from .prompts import PromptSet, load_prompts
from .wire import (
    CandidateExtraction,
    CandidateMetric,
    CandidateProject,
    LLMExtraction,
    LLMMetric,
    LLMProject,
)

__all__ = ["GROUNDING_VERSION", "Grounded", "Grounder"]

GROUNDING_VERSION = "4"

#: the longest quote a metric may have: one clause around its number, not a paragraph
MAX_METRIC_QUOTE = 80
#: the share of a metric name's two-character pieces that the words around its number
#: must hold (or of the clause before or after the number that the name must hold)
NAME_COVER = 0.4
#: the longest quote a mechanism may have: a sentence or two that describe it
MAX_MECHANISM_QUOTE = 120
#: a mechanism quote that names no practice must say this much (not counting function
#: words and punctuation) to count as a description of one
MIN_PRACTICE_CHARS = 8
"""Bump when a change of the checks below would change which answers pass."""


def _metric(
    m: LLMMetric | CandidateMetric,
    quantity: Quantity,
    evidence: Evidence,
    cleared: Sequence[str] = (),
) -> Metric:
    """The report's metric for an answered one, with the checked quantity and evidence,
    and without the fields in ``cleared`` (those the text does not say)."""
    return Metric(
        name=fold(m.name),
        quantity=quantity,
        period=None if "period" in cleared else m.period,
        scope=None if "scope" in cleared else m.scope,
        subject=None if "subject" in cleared else m.subject,
        evidence=evidence,
    )


@dataclass
class Grounded:
    """Items that passed, a message for every item that did not, and the items whose
    evidence touches text that addresses a model: those are left out without a repair
    (the article is data) and always named in ``provenance.dropped``."""

    extraction: Extraction
    failures: list[str] = field(default_factory=list)
    injected: list[str] = field(default_factory=list)


def _milestone(event: str) -> str:
    """The milestone word of an event as the text may write it (完成注册 -> 注册)."""
    milestones = load_data("rules")["timelines"]["milestones"]
    return next((word for word in milestones if word in event), event)


def _months_before(text: str, units: dict[str, str]) -> list[Decimal]:
    """Months of the deadlines written in ``text`` (2个月内, 一周内, 5个工作日)."""
    found = []
    for m in re.finditer(
        rf"(\d+(?:\.\d+)?|[一二两三四五六七八九十半]{{1,3}})({alternation(units)})", text
    ):
        try:
            number = (
                Decimal(m.group(1)) if m.group(1)[0].isdigit() else parse_chinese_number(m.group(1))
            )
        except (ArithmeticError, ValueError, QuantityParseError):
            continue
        found.append(Decimal(number) * Decimal(str(units[m.group(2)])))
    return found


def _says(text: str, name: str, value: str) -> bool:
    """True when folded ``text`` says the field ``name`` = ``value``: the value itself;
    each of several investors (甲集团、乙集团); a period without its event word
    (酒博会期间 -> 酒博会)."""
    value = fold(value).strip()
    if value in text:
        return True
    parts = [part for part in re.split(r"[、，,/]|和|与|及", value) if part]
    if name == "investor" and len(parts) > 1:
        return all(len(part) >= 2 and part in text for part in parts)
    if name == "period":
        words = load_data("periods")["event_suffixes"]
        stems = [value[: -len(w)] for w in words if value.endswith(w) and len(value) - len(w) >= 2]
        return any(stem in text for stem in stems)
    return False


@cache
def _relations() -> re.Pattern[str]:
    """``metrics.relation_words`` (同比, 增长, 占比 …) as one pattern, compiled once."""
    return re.compile(alternation(load_data("rules")["metrics"]["relation_words"]))


def _period_kind(period: str, words: dict[str, Any]) -> str:
    """``whole`` (全年, 今年以来), ``event`` (酒博会期间), ``span`` (上半年, 1至7月),
    ``year`` (2024年) or ``other``."""
    if period in words["whole_year"]:
        return "whole"
    if period.endswith(tuple(words["event_suffixes"])):
        return "event"
    if re.search(r"月|季度|半年", period):
        return "span"
    return "year" if re.search(r"\d{4}年|去年|今年", period) else "other"


def _meaningful(text: str) -> str:
    """The characters of ``text`` that carry meaning: no punctuation, space or 的地得了."""
    return "".join(ch for ch in text if not _is_noise(ch) and ch not in "的地得了和与及等")


def _find_all(text: str, part: str, start: int, end: int) -> list[int]:
    """Every start of ``part`` inside ``text[start:end]``."""
    found = []
    at = text.find(part, start, end)
    while at != -1:
        found.append(at)
        at = text.find(part, at + 1, end)
    return found


def _is_noise(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PZS"


def _close(a: Decimal, b: float, unit: str) -> bool:
    if not math.isfinite(b):
        return False
    if unit == "percent":
        return abs(float(a) - b) <= 0.01 + 1e-9
    return abs(float(a) - b) <= 1e-6 * max(abs(float(a)), abs(b), 1.0)


def _money_kinds(mention: QuantityMention) -> bool:
    return mention.quantity.kind in ("money", "percent", "count")


class Grounder:
    """Grounds model answers against one cleaned article."""

    def __init__(
        self, doc: CleanText, prompts: PromptSet | None = None, published: date | None = None
    ) -> None:
        self.doc = doc
        self.published = published
        self.prompts = prompts or load_prompts()
        self.say = self.prompts.say
        self.window: tuple[int, int] = (0, len(doc.text))
        self.last_problem = ""

    # built when first needed: most answers quote exactly and cite no candidates
    @cached_property
    def _normalized(self) -> tuple[str, array[int]]:
        """The text without noise characters, and where each of its characters was."""
        keep = [i for i, ch in enumerate(self.doc.text) if not _is_noise(ch)]
        return "".join(self.doc.text[i] for i in keep), array("l", keep)

    @cached_property
    def candidates(self) -> dict[str, QuantityMention]:
        """The numbered quantities of the text (Q1, Q2 …) that candidate mode cites;
        numbers in text that addresses a model are never offered."""
        offered = [
            m
            for m in find_quantities(self.doc.text)
            if _money_kinds(m) and not self.doc.in_instructions(m.start, m.end)
        ]
        return {f"Q{n}": m for n, m in enumerate(offered, start=1)}

    # -- alignment ------------------------------------------------------------------
    def align(self, quote: str, near: tuple[str | None, ...] = ()) -> tuple[int, int, str] | None:
        """``(start, end, alignment)`` of ``quote`` in the cleaned text, or None.

        Only the window being grounded (the chunk the model read) is searched. A quote
        found more than once is placed by context: the occurrence whose clause holds one
        of ``near`` (the item's name, subject …); if context does not decide, it is not
        placed (the problem is kept in :attr:`last_problem`) rather than put at the first.
        """
        self.last_problem = ""
        quote = quote.strip()
        if not quote:
            return None
        lo, hi = self.window
        spans = [(at, at + len(quote)) for at in _find_all(self.doc.text, quote, lo, hi)]
        alignment = "exact"
        if not spans:
            folded = "".join(ch for ch in fold(quote) if not _is_noise(ch))
            if not folded:
                return None
            norm, index = self._normalized
            n_lo = bisect.bisect_left(index, lo)
            n_hi = bisect.bisect_left(index, hi)
            spans = [
                (index[at], index[at + len(folded) - 1] + 1)
                for at in _find_all(norm, folded, n_lo, n_hi)
            ]
            alignment = "fuzzy"
        if not spans:
            return None
        if len(spans) > 1:
            spans = self._by_context(spans, near)
            if len(spans) != 1:
                self.last_problem = self.say("ambiguous")
                return None
        return spans[0][0], spans[0][1], alignment

    def _by_context(
        self, spans: list[tuple[int, int]], near: tuple[str | None, ...]
    ) -> list[tuple[int, int]]:
        """The occurrences whose sentence (up to 40 characters before, and the quote)
        holds the most hints, the nearest first; all of them when no hint decides."""
        hints = [fold(h) for h in near if h and h.strip()]
        if not hints:
            return spans[:1] if len({self.doc.text[a:b] for a, b in spans}) == 1 else spans
        text = self.doc.text
        scored = []
        for a, b in spans:
            start = max(self.window[0], a - 40)
            cut = max(text.rfind(c, start, a) for c in "。；;\n")
            clause = text[max(start, cut + 1) : b]
            found = [clause.rfind(h) for h in hints]
            hits = [len(clause) - at for at in found if at >= 0]
            scored.append(((len(hits), -sum(hits)), (a, b)))
        best = max(score for score, _ in scored)
        if not best[0]:
            return spans
        return [span for score, span in scored if score == best]

    def _attached(self, name: str, at: int, after: int) -> bool:
        """True when ``name`` names the number at ``text[at:after]``.

        The words that name a number are those of its own clause (新引进外资企业42家),
        or, when that clause says only how it relates (同比增长, 完成, 占比为:
        ``metrics.relation_words``), the words before it back to the quantity before
        it, and before that one for a relation (到位资金212.6亿元，同比增长12.4%). Either
        :data:`NAME_COVER` of the name is in those words and the rest of the clause after
        the number, or as much of those words is in the name (签约总金额674.56亿元 for
        酒博会期间签约总金额; 9家商协会). Two characters in common are not enough:
        新签约项目88个，其中亿元以上项目31个 gives 31 to 亿元以上项目, not 新签约项目."""
        text, key = self._visible, fold(name)
        window = self.window[0]

        def bare(words: str) -> bool:
            return len(_meaningful(_relations().sub("", words))) < 2

        lo, _ = label_before(text, at, window)
        near = clause = fold(text[clause_start(text, at, lo) : at])
        if bare(clause) or key[-2:] in clause:
            # the clause only relates, or holds the name's head (…公司投资45亿元 for
            # 储能电池项目投资): the name may stand before it, back to the last number
            clause = fold(text[lo:at])
            if bare(clause):  # 同比增长12.4%, 占比为34%: named before the number before
                growth = text[at:after].endswith(("%", "个百分点", "百分点"))
                start = previous_label(text, at, window, past_percent=growth)
                clause = fold(text[lo if start is None else start : at])
        mention = fold(text[at:after])  # 同比下降3.2%: the mention holds words of the name
        hi = min(self.window[1], after + 16)
        ends = [text.find(c, after, hi) for c in CLAUSE_ENDS]
        following = fold(text[after : min([hi, *(e for e in ends if e >= 0)])])
        if cover(key, f"{clause}{mention}|{following}") >= NAME_COVER:
            return True
        return any(
            not bare(words) and cover(words, key) >= NAME_COVER
            for words in (near, clause, following)
        )

    def _unread(
        self, start: int, end: int, near: tuple[int, int] | None = None, **fields: str | None
    ) -> list[str]:
        """The names of the fields that the text does not say for the item at
        ``text[start:end]`` (``near``: the words that name its number, or a project's
        own stretch of text; the item's paragraph when not given):

        - a period in the item's paragraph when the paragraph states one, else anywhere
          in the article (it is often stated once, in the opening);
        - a subject in ``near`` when that names a place, else in the paragraph;
        - a scope, investor, industry or location in ``near``.

        Text that addresses a model is never read (:attr:`CleanText.visible`)."""
        text = self._visible
        para = fold(text[slice(*paragraph(text, start, end))])
        close = fold(text[slice(*near)]) if near else para
        unread = []
        for name, value in fields.items():
            if not value:
                continue
            if name == "period":
                said = self._period_said(value, para)
            elif name == "subject":
                where = close if near and find_places(close) else para
                said = _says(where, name, value)
            else:
                said = _says(close, name, value)
            if not said:
                unread.append(name)
        return unread

    def _region_said(self, region: str) -> bool:
        """True when the article names ``region`` as the place it reports on: written
        in it (梧州市, or 梧州 when the text gives that name no other suffix), and in
        the title line, or the place the article names most, or named twice."""
        text, value = self._folded, fold(region).strip()
        base = place_base(value)
        if value not in text:
            if base is None or base not in text:
                return False
            suffix = value[len(base) :]
            if any(m["base"] == base and m["suffix"] != suffix for m in find_places(text)):
                return False  # 柳江县 where the text says 柳江市
        stem = base or value
        main = main_place(text)
        title = text.split("\n", 1)[0]
        return stem in title or main in (value, base) or text.count(stem) >= 2

    def _period_said(self, value: str, para: str) -> bool:
        """True when the article says ``value`` is the period of an item in ``para``: the
        paragraph says it, or the article says it somewhere (often once, in the opening)
        and the paragraph states no other period of its kind (上半年，全市开工项目40个
        is not 1至9月; 1至9月 in the paragraph rules out 招商会期间)."""
        if _says(para, "period", value) or self._relative_period_said(value, para):
            return True
        words = load_data("periods")
        folded = fold(value)
        kind = _period_kind(folded, words)
        for m in scanner(load_data("rules")["period"]).finditer(para):
            said = m.group()
            if said in folded or folded in said:
                continue
            if (kind, _period_kind(said, words)) in (
                ("span", "span"),
                ("year", "year"),
                ("event", "span"),
            ):
                return False
        return self._period_anywhere(value)

    def _period_anywhere(self, value: str) -> bool:
        """True when the article (what is visible of it) says the period ``value``."""
        text = self._folded
        return _says(text, "period", value) or self._relative_period_said(value, text)

    def _relative_period_said(self, period: str, text: str) -> bool:
        """True when ``period`` is a relative period of ``text`` with its year made
        explicit from the publish date, as the prompt asks (今年上半年 -> 2024年上半年)."""
        if self.published is None:
            return False
        words = load_data("periods")
        relative = [*words["as_of_now"], *words["this_year"], *words["last_year"]]
        relative += [
            *words["within_year"],
            *(m.group() for m in re.finditer(words["months_pattern"], text)),
        ]
        return any(
            resolve_period(said, self.published) == fold(period)
            for said in {w for w in relative if w in text}
        )

    def _unread_failure(self, label: str, unread: list[str], **fields: str | None) -> str:
        listed = [self.say("field_value", field=f, value=fields[f]) for f in unread]
        return self.say("fields_unread", label=label, fields=self.prompts.join(listed))

    def _status_said(self, status: str, claim: tuple[int, int]) -> bool:
        """True when the project's own text says its status (签约, 开工, 投产 …:
        ``projects.status`` in data/rules.json), not denied or only planned before it
        (尚未开工, 计划明年开工: ``projects.not_yet``)."""
        rules = load_data("rules")["projects"]
        text = self._visible
        not_yet = [] if status == "planned" else rules["not_yet"]
        return any(
            not negated(text, at, not_yet)
            for word in rules["status"][status]
            for at in _find_all(text, word, *claim)
        )

    @cached_property
    def _visible(self) -> str:
        """The cleaned text less what addresses a model: what fields are read from."""
        return self.doc.visible

    @cached_property
    def _folded(self) -> str:
        """The visible article folded (Simplified, half-width)."""
        return fold(self._visible)

    def _injected(self, label: str, span: tuple[int, int, str], quote: str, out: Grounded) -> bool:
        """True (and the item named in ``out.injected``) when its quote touches text that
        addresses a model."""
        if not self.doc.in_instructions(span[0], span[1]):
            return False
        out.injected.append(dropped_note(label, quote))
        return True

    def _not_found(self, label: str, quote: str) -> str:
        problem = self.last_problem or self.say("not_found")
        return self.say("quote_not_found", label=label, quote=quote, problem=problem)

    def evidence(self, start: int, end: int, alignment: str = "exact") -> Evidence:
        ev = evidence_for(self.doc, start, end)
        return ev if alignment == "exact" else ev.model_copy(update={"alignment": alignment})

    def candidate_list(self, window: tuple[int, int] | None = None, context: int = 12) -> str:
        """The numbered candidates (those in ``window``) with a little context."""
        lines = []
        start, end = window or (0, len(self.doc.text))
        for key, m in self.candidates.items():
            if not start <= m.start < end:
                continue
            before = self.doc.text[max(0, m.start - context) : m.start].replace("\n", " ")
            lines.append(self.say("candidate_line", id=key, before=before, text=m.text))
        return "\n".join(lines)

    # -- items ----------------------------------------------------------------------
    def ground(
        self,
        answer: LLMExtraction | CandidateExtraction,
        window: tuple[int, int] | None = None,
    ) -> Grounded:
        """Check ``answer`` against the text of ``window`` (the chunk the model read;
        the whole article by default)."""
        self.window = window or (0, len(self.doc.text))
        region, period = answer.region, answer.period
        out = Grounded(Extraction(region=region, period=period))
        if region and not self._region_said(region):
            out.failures.append(self.say("region_not_found", region=region))
            out.extraction.region = None
        if period and not self._period_anywhere(period):
            out.failures.append(self._unread_failure("period", ["period"], period=period))
            out.extraction.period = None
        if isinstance(answer, CandidateExtraction):
            self._candidate_metrics(answer, out)
        else:
            self._metrics(answer, out)
        codes = mechanism_codes()
        for i, mech in enumerate(answer.mechanisms):
            label = self.say("item_label", item=f"mechanisms[{i}]", name=mech.code)
            if mech.code not in codes:  # an item that fails, not the whole answer
                out.failures.append(
                    self.say("unknown_code", label=label, codes=self.prompts.join(list(codes)))
                )
                continue
            span = self.align(mech.quote)
            if span is None:
                out.failures.append(self._not_found(label, mech.quote))
                continue
            if self._injected(label, span, mech.quote, out):
                continue
            said = self._visible[span[0] : span[1]]
            mention = mention_of(mech.code, said)  # named, and not denied
            named = mention is not None
            if mention is not None:
                # the evidence is the sentence that names the practice, not the whole quote
                a, b = sentence(said, *mention)
                span = (span[0] + a, span[0] + b, span[2])
                said = said[a:b]
            if not named and any(word in said for word in load_data("rules")["negations"]):
                out.failures.append(self.say("negated", label=label, quote=mech.quote))
                continue
            # unnamed, a quote must say enough, not in figures (全市新签约项目88个…), and
            # not be another practice's words
            if span[1] - span[0] > MAX_MECHANISM_QUOTE or (
                not named
                and (
                    len(_meaningful(said)) < MIN_PRACTICE_CHARS
                    or any(_money_kinds(q) for q in find_quantities(said))
                    or any(describes(other, said) for other in codes if other != mech.code)
                )
            ):
                out.failures.append(self.say("no_practice", label=label, quote=mech.quote))
                continue
            out.extraction.mechanisms.append(
                Mechanism(code=mech.code, evidence=self.evidence(*span), verified=named)
            )
        self._timelines(answer, out)
        self._projects(answer, out)
        return out

    def _metrics(self, answer: LLMExtraction, out: Grounded) -> None:
        for i, m in enumerate(answer.metrics):
            label = self.say("item_label", item=f"metrics[{i}]", name=m.name)
            span = self.align(m.quote, (m.name, m.subject))
            if span is None:
                out.failures.append(self._not_found(label, m.quote))
                continue
            if self._injected(label, span, m.quote, out):
                continue
            start, end, alignment = span
            if end - start > MAX_METRIC_QUOTE:
                out.failures.append(
                    self.say("quote_too_long", label=label, length=end - start, name=m.name)
                )
                continue
            stated = [q for q in find_quantities(self.doc.text[start:end]) if _money_kinds(q)]
            match = next(
                (
                    q
                    for q in stated
                    if q.quantity.unit == m.unit and _close(q.quantity.value, m.value, m.unit)
                ),
                None,
            )
            if match is None:
                said = self.prompts.join([q.text for q in stated]) or self.say("no_quantity")
                out.failures.append(
                    self.say(
                        "value_not_stated",
                        label=label,
                        value=f"{m.value:g}",
                        unit=m.unit,
                        quote=m.quote,
                        stated=said,
                    )
                )
                continue
            number = QuantityMention(
                start + match.start, start + match.end, match.text, match.quantity
            )
            self._keep_metric(
                m, label, number, (start, end), self.evidence(start, end, alignment), out
            )

    def _keep_metric(
        self,
        m: LLMMetric | CandidateMetric,
        label: str,
        number: QuantityMention,
        span: tuple[int, int],
        evidence: Evidence,
        out: Grounded,
    ) -> None:
        """Keep ``m`` when its name names ``number`` (positions in the text), without the
        fields the text does not say; else a failure."""
        if not self._attached(m.name, number.start, number.end):
            out.failures.append(
                self.say("not_attached", label=label, number=number.text, name=m.name)
            )
            return
        fields = {"period": m.period, "scope": m.scope, "subject": m.subject}
        near = label_before(self._visible, number.start, self.window[0])
        unread = self._unread(span[0], span[1], (near[0], number.end), **fields)
        if unread:  # the item stays, without what the text does not say
            out.failures.append(self._unread_failure(label, unread, **fields))
        out.extraction.metrics.append(_metric(m, number.quantity, evidence, unread))

    def _candidate_metrics(self, answer: CandidateExtraction, out: Grounded) -> None:
        for i, m in enumerate(answer.metrics):
            label = self.say("item_label", item=f"metrics[{i}]", name=m.name)
            mention = self.candidates.get(m.candidate)
            if mention is None or not self.window[0] <= mention.start < self.window[1]:
                out.failures.append(self.say("no_candidate", label=label, candidate=m.candidate))
                continue
            span = (mention.start, mention.end)
            self._keep_metric(m, label, mention, span, self.evidence(*span), out)

    @staticmethod
    def _read_stages(quote: str, kind: str) -> list[tuple[str, Decimal]]:
        """(event, months) of every stage the shared timeline reader finds in ``quote``."""
        found = []
        for t in find_timelines(quote, lambda a, b: Evidence(quote=quote[a:b], start=a, end=b)):
            for s in t.stages:
                n = s.months if kind == "deadline" else s.every_months
                if t.kind == kind and n is not None:
                    found.append((s.to_event, Decimal(n)))
        return found

    def _stage_stated(
        self, quote: str, kind: str, event: str, n: float, read: list[tuple[str, Decimal]]
    ) -> bool:
        """True when ``quote`` states ``n`` months for this stage's own event.

        When the reader reads a stage of the same event, its number decides (签约后2个月内
        注册、6个月内开工 gives 开工 6, never 2). Otherwise a deadline's number must stand
        right before the event word, and a cadence needs a cadence word for that
        interval (每月, 一季一, 月报, 季度会商), never a date (6月30日)."""
        event = fold(event)
        same = [v for e, v in read if e in event or event in e]
        if same:
            return any(abs(float(v) - n) <= 0.01 for v in same)
        if kind == "deadline":  # 6个月内开工, 2个月内完成注册: in the clause right before
            units = load_data("rules")["timelines"]["deadline_units"]
            return any(
                abs(float(months) - n) <= 0.01
                for at in _find_all(quote, _milestone(event), 0, len(quote))
                for months in _months_before(
                    quote[clause_start(quote, at, max(0, at - 14)) : at], units
                )
            )
        cadence = load_data("rules")["timelines"]["cadence_units"]
        counts = [q.quantity.value for q in find_quantities(quote) if q.quantity.unit_text == "次"]
        for word, months in cadence.items():
            if not re.search(rf"(?:每|一){word}|{word}(?:报|度|例会|会商|调度|通报|考核)", quote):
                continue
            every = [Decimal(months), *(Decimal(months) / c for c in counts if c)]
            if any(abs(float(x) - n) <= 0.01 for x in every):
                return True
        return False

    def _event_said(self, event: str | None, quote: str) -> bool:
        """True when ``event`` is one event (two characters or more, not a list) named
        in ``quote`` (or its milestone word: 完成注册 -> 注册)."""
        event = fold(event or "").strip()
        if len(event) < 2 or re.search(r"[、，,/；;]|和|及", event):
            return False
        if event in quote or _milestone(event) in quote:
            return True
        return len(event) >= 4 and cover(event, quote) >= 0.6  # 一把手带队外出招商

    def _timelines(self, answer: LLMExtraction | CandidateExtraction, out: Grounded) -> None:
        negations = load_data("rules")["negations"]
        for i, t in enumerate(answer.timelines):
            label = self.say("item_label", item=f"timelines[{i}]", name=t.code or t.kind)
            span = self.align(t.quote, (t.code,))
            if span is None:
                out.failures.append(self._not_found(label, t.quote))
                continue
            if self._injected(label, span, t.quote, out):
                continue
            quote = fold(self._visible[span[0] : span[1]])
            if any(word in quote for word in negations):  # 已停止执行, 尚未建立
                out.failures.append(self.say("negated", label=label, quote=t.quote))
                continue
            read = self._read_stages(quote, t.kind)
            stages = []
            bad = []
            for s in t.stages:
                n = s.months if t.kind == "deadline" else s.every_months
                if (
                    n is None
                    or not self._event_said(s.to_event, quote)
                    or (s.from_event and not self._event_said(s.from_event, quote))
                    or not self._stage_stated(quote, t.kind, s.to_event, n, read)
                ):
                    bad.append(self.say("stage_value", event=s.to_event, months=n))
                    continue
                stages.append(
                    TimelineStage(
                        from_event=fold(s.from_event) if s.from_event else None,
                        to_event=fold(s.to_event),
                        months=tidy(Decimal(str(n))) if t.kind == "deadline" else None,
                        every_months=tidy(Decimal(str(n))) if t.kind == "cadence" else None,
                    )
                )
            if bad or not stages:
                out.failures.append(
                    self.say(
                        "stages_unstated", label=label, stages=self.prompts.join(bad), quote=t.quote
                    )
                )
                continue
            # the rule's short name (26211) must be written in its paragraph
            code = t.code
            if code and self._unread(span[0], span[1], code=code):
                out.failures.append(self._unread_failure(label, ["code"], code=code))
                code = None
            out.extraction.timelines.append(
                Timeline(kind=t.kind, code=code, stages=stages, evidence=self.evidence(*span))
            )

    def _projects(self, answer: LLMExtraction | CandidateExtraction, out: Grounded) -> None:
        heads = tuple(load_data("rules")["projects"]["heads"])
        for i, p in enumerate(answer.projects):
            label = self.say("item_label", item=f"projects[{i}]", name=p.name)
            span = self.align(p.quote, (p.name,)) or self.align(p.name, (p.investor,))
            if span is None:
                out.failures.append(self._not_found(label, p.quote))
                continue
            if self._injected(label, span, p.quote, out):
                continue
            name, key = fold(p.name).strip(), project_key(fold(p.name))
            at = self._folded.find(key, span[0], span[1]) if key else -1
            if at == -1:
                out.failures.append(self.say("name_not_in_quote", label=label, quote=p.quote))
                continue
            # a name names one project: not 项目 alone, not 隔膜 of 锂电池隔膜项目
            whole = self._folded.find(name, span[0], span[1])
            cut_short = (
                whole != -1
                and not name.endswith(heads)
                and self._folded.startswith(heads, whole + len(name))
            )
            if len(_meaningful(key)) < 2 or cut_short:
                out.failures.append(
                    self.say("name_incomplete", label=label, name=p.name, quote=p.quote)
                )
                continue
            claim = project_claim(self._visible, at, at + len(key))
            # a field the text does not say is left out; the project stays
            fields = {"investor": p.investor, "industry": p.industry, "location": p.location}
            unread = self._unread(span[0], span[1], claim, **fields)
            if unread:
                out.failures.append(self._unread_failure(label, unread, **fields))
            status = p.status
            if status and not self._status_said(status, claim):
                words = load_data("rules")["projects"]["status"][status][:3]
                out.failures.append(
                    self.say(
                        "status_unsaid",
                        label=label,
                        status=status,
                        examples=self.prompts.join(words),
                    )
                )
                status = None
            amount = self._project_amount(p, label, claim, out)
            out.extraction.projects.append(
                Project(
                    name=name,
                    investor=fold(p.investor) if p.investor and "investor" not in unread else None,
                    investment=amount,
                    industry=None if "industry" in unread else p.industry,
                    location=None if "location" in unread else p.location,
                    status=status,
                    evidence=self.evidence(*span),
                )
            )

    def _amount_reach(self, claim: tuple[int, int]) -> tuple[int, int]:
        """Where a project's amount may stand: its own text, and the next sentence up to
        another project's name (锂电池隔膜项目落户鹿寨区。该项目总投资30亿元)."""
        text = self._visible
        lo, hi = claim
        if hi < len(text) and text[hi] in SENTENCE_ENDS:
            after = sentence(text, hi + 1, hi + 1)[1]
            heads = load_data("rules")["projects"]["heads"]
            others = [at for h in heads if (at := text.find(h, hi + 1, after)) != -1]
            hi = clause_start(text, min(others), hi + 1) if others else after
        return max(lo, self.window[0]), min(hi, self.window[1])

    def _project_amount(
        self,
        p: LLMProject | CandidateProject,
        label: str,
        claim: tuple[int, int],
        out: Grounded,
    ) -> Quantity | None:
        """The project's own amount: a cited money candidate, or the money in its
        ``amount_quote``, standing in the project's own text or the next sentence
        (:meth:`_amount_reach`), and not registered capital, output or sales
        (``projects.not_investment``). None (and a failure) otherwise."""
        lo, hi = self._amount_reach(claim)
        cited = getattr(p, "amount_candidate", None)
        quote = getattr(p, "amount_quote", None)
        mention: QuantityMention | None = None
        if cited:
            found = self.candidates.get(cited)
            if found is None or found.quantity.kind != "money" or not lo <= found.start < hi:
                out.failures.append(self.say("amount_not_money", label=label, candidate=cited))
                return None
            mention, quote = found, found.text
        elif quote:
            window = self.window
            self.window = (lo, hi)
            try:
                span = self.align(quote, (p.name,))
            finally:
                self.window = window
            money = (
                [
                    QuantityMention(span[0] + q.start, span[0] + q.end, q.text, q.quantity)
                    for q in find_quantities(self._visible[span[0] : span[1]])
                    if q.quantity.kind == "money"
                ]
                if span
                else []
            )
            if not money:
                out.failures.append(self.say("amount_unstated", label=label, quote=quote))
                return None
            mention = money[0]
        if mention is None:
            return None
        before = self._visible[clause_start(self._visible, mention.start, lo) : mention.start]
        if any(word in before for word in load_data("rules")["projects"]["not_investment"]):
            out.failures.append(self.say("not_investment", label=label, quote=quote))
            return None
        return mention.quantity
