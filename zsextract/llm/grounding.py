"""Check the model's answer against the article and turn it into report items.

- Every quote must be found in the cleaned text: exactly, or (``alignment="fuzzy"``)
  ignoring whitespace, punctuation, width and script.
- Every number must equal a quantity parsed from its own quote: the parsed quantity
  (exact decimal, qualifier as written) is what the report keeps.
- Mechanism codes are checked by the response model; timeline stages must be stated
  in their quote (the shared timeline and quantity readers decide).

Failures are returned, named by item, for the repair request; nothing is dropped
silently here.
"""

from __future__ import annotations

import bisect
import unicodedata
from array import array
from dataclasses import dataclass, field
from decimal import Decimal

from ..backends import Extraction
from ..datafiles import load_data, mechanism_codes
from ..readers.evidence import evidence_for
from ..readers.quantities import QuantityMention, find_quantities
from ..readers.timelines import find_timelines
from ..report.numbers import tidy
from ..report.schema import Evidence, Mechanism, Metric, Project, Quantity, Timeline, TimelineStage
from ..text.clean import CleanText
from ..text.script import fold
from .wire import CandidateExtraction, CandidateMetric, LLMExtraction, LLMMetric

__all__ = ["GROUNDING_VERSION", "Grounded", "Grounder"]

GROUNDING_VERSION = "1"
"""Bump when a change of the checks below would change which answers pass."""


def _metric(m: LLMMetric | CandidateMetric, quantity: Quantity, evidence: Evidence) -> Metric:
    """The report's metric for an answered one, with the checked quantity and evidence."""
    return Metric(
        name=fold(m.name),
        quantity=quantity,
        period=m.period,
        scope=m.scope,
        subject=m.subject,
        evidence=evidence,
    )


@dataclass
class Grounded:
    """Items that passed, and a message for every item that did not."""

    extraction: Extraction
    failures: list[str] = field(default_factory=list)


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
    if unit == "percent":
        return abs(float(a) - b) <= 0.01 + 1e-9
    return abs(float(a) - b) <= 1e-6 * max(abs(float(a)), abs(b), 1.0)


def _money_kinds(mention: QuantityMention) -> bool:
    return mention.quantity.kind in ("money", "percent", "count")


class Grounder:
    """Grounds model answers against one cleaned article."""

    def __init__(self, doc: CleanText) -> None:
        self.doc = doc
        self.window: tuple[int, int] = (0, len(doc.text))
        self.last_problem = ""
        keep = [i for i, ch in enumerate(doc.text) if not _is_noise(ch)]
        self._norm = "".join(doc.text[i] for i in keep)
        self._norm_index = array("l", keep)
        # numbers in text that addresses a model are never offered as candidates
        offered = [
            m
            for m in find_quantities(doc.text)
            if _money_kinds(m) and not doc.in_instructions(m.start, m.end)
        ]
        self.candidates = {f"Q{n}": m for n, m in enumerate(offered, start=1)}

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
            n_lo = bisect.bisect_left(self._norm_index, lo)
            n_hi = bisect.bisect_left(self._norm_index, hi)
            spans = [
                (self._norm_index[at], self._norm_index[at + len(folded) - 1] + 1)
                for at in _find_all(self._norm, folded, n_lo, n_hi)
            ]
            alignment = "fuzzy"
        if not spans:
            return None
        if len(spans) > 1:
            spans = self._by_context(spans, near)
            if len(spans) != 1:
                self.last_problem = "在文章中出现多次，无法确定是哪一处，请给出更长的原文片段"
                return None
        return spans[0][0], spans[0][1], alignment

    def _by_context(
        self, spans: list[tuple[int, int]], near: tuple[str | None, ...]
    ) -> list[tuple[int, int]]:
        """The occurrences whose clause (up to 40 characters before, and the quote) holds
        the most of the hints; all of them when no hint helps."""
        hints = [fold(h) for h in near if h and h.strip()]
        if not hints:
            return spans[:1] if len({self.doc.text[a:b] for a, b in spans}) == 1 else spans
        text = self.doc.text
        scored = []
        for a, b in spans:
            start = max(self.window[0], a - 40)
            clause = text[start:b]
            cut = max(clause.rfind(c, 0, a - start) for c in "。；;\n")
            scored.append((sum(h in clause[cut + 1 :] for h in hints), (a, b)))
        best = max(score for score, _ in scored)
        return [span for score, span in scored if score == best] if best else spans

    def _not_found(self) -> str:
        return self.last_problem or "在文章中找不到"

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
            lines.append(f"{key}: …{before}【{m.text}】")
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
        out = Grounded(Extraction(region=answer.region, period=answer.period))
        if isinstance(answer, CandidateExtraction):
            self._candidate_metrics(answer, out)
        else:
            self._metrics(answer, out)
        codes = mechanism_codes()
        for i, mech in enumerate(answer.mechanisms):
            if mech.code not in codes:  # an item that fails, not the whole answer
                out.failures.append(
                    f"mechanisms[{i}]（{mech.code}）：未知的机制代码，只能使用：{'、'.join(codes)}"
                )
                continue
            span = self.align(mech.quote)
            if span is None:
                out.failures.append(
                    f"mechanisms[{i}]（{mech.code}）：quote“{mech.quote}”{self._not_found()}"
                )
                continue
            out.extraction.mechanisms.append(
                Mechanism(code=mech.code, evidence=self.evidence(*span))
            )
        self._timelines(answer, out)
        self._projects(answer, out)
        return out

    def _metrics(self, answer: LLMExtraction, out: Grounded) -> None:
        for i, m in enumerate(answer.metrics):
            label = f"metrics[{i}]（{m.name}）"
            span = self.align(m.quote, (m.name, m.subject))
            if span is None:
                out.failures.append(f"{label}：quote“{m.quote}”{self._not_found()}")
                continue
            start, end, alignment = span
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
                said = "、".join(f"{q.text}" for q in stated) or "没有数量"
                out.failures.append(
                    f"{label}：数值 {m.value:g} {m.unit} 与 quote“{m.quote}”"
                    f"中写明的数量（{said}）不符"
                )
                continue
            out.extraction.metrics.append(
                _metric(m, match.quantity, self.evidence(start, end, alignment))
            )

    def _candidate_metrics(self, answer: CandidateExtraction, out: Grounded) -> None:
        for i, m in enumerate(answer.metrics):
            mention = self.candidates.get(m.candidate)
            if mention is None:
                out.failures.append(f"metrics[{i}]（{m.name}）：没有编号为 {m.candidate} 的数量")
                continue
            out.extraction.metrics.append(
                _metric(m, mention.quantity, self.evidence(mention.start, mention.end))
            )

    def _stated_months(self, quote: str, kind: str) -> set[Decimal]:
        """Stage numbers a quote states, as the rules backend reads it."""
        found: set[Decimal] = set()
        for t in find_timelines(quote, lambda a, b: Evidence(quote=quote[a:b], start=a, end=b)):
            for s in t.stages:
                n = s.months if kind == "deadline" else s.every_months
                if n is not None and t.kind == kind:
                    found.add(Decimal(n))
        if kind == "deadline":
            units = {"month": Decimal(1), "week": Decimal("0.25"), "year": Decimal(12)}
            for q in find_quantities(quote):
                if q.quantity.unit in units:
                    found.add(q.quantity.value * units[q.quantity.unit])
            if "即" in quote:
                found.add(Decimal(0))
        else:
            counts = [
                q.quantity.value for q in find_quantities(quote) if q.quantity.unit_text == "次"
            ]
            for word, months in load_data("rules")["timelines"]["cadence_units"].items():
                if word in quote:
                    found.add(Decimal(months))
                    found.update(Decimal(months) / c for c in counts if c)
        return found

    def _timelines(self, answer: LLMExtraction | CandidateExtraction, out: Grounded) -> None:
        for i, t in enumerate(answer.timelines):
            label = f"timelines[{i}]（{t.code or t.kind}）"
            span = self.align(t.quote, (t.code,))
            if span is None:
                out.failures.append(f"{label}：quote“{t.quote}”{self._not_found()}")
                continue
            stated = self._stated_months(self.doc.text[span[0] : span[1]], t.kind)
            stages = []
            bad = []
            for s in t.stages:
                n = s.months if t.kind == "deadline" else s.every_months
                if n is None or not any(abs(float(x) - n) <= 0.01 for x in stated):
                    bad.append(f"{s.to_event}（{n}）")
                    continue
                stages.append(
                    TimelineStage(
                        from_event=s.from_event,
                        to_event=fold(s.to_event),
                        months=tidy(Decimal(str(n))) if t.kind == "deadline" else None,
                        every_months=tidy(Decimal(str(n))) if t.kind == "cadence" else None,
                    )
                )
            if bad:
                out.failures.append(
                    f"{label}：阶段 {'、'.join(bad)} 的时间在 quote“{t.quote}”中没有写明"
                )
                continue
            out.extraction.timelines.append(
                Timeline(kind=t.kind, code=t.code, stages=stages, evidence=self.evidence(*span))
            )

    def _projects(self, answer: LLMExtraction | CandidateExtraction, out: Grounded) -> None:
        for i, p in enumerate(answer.projects):
            label = f"projects[{i}]（{p.name}）"
            span = self.align(p.quote, (p.name,)) or self.align(p.name, (p.investor,))
            if span is None:
                out.failures.append(f"{label}：quote“{p.quote}”{self._not_found()}")
                continue
            amount: Quantity | None = None
            cited = getattr(p, "amount_candidate", None)
            if cited:
                mention = self.candidates.get(cited)
                if mention is None or mention.quantity.kind != "money":
                    out.failures.append(f"{label}：金额编号 {cited} 不是文章中的金额")
                    continue
                amount = mention.quantity
            elif p.amount_quote:
                amount_span = self.align(p.amount_quote, (p.name,))
                money = (
                    [
                        q
                        for q in find_quantities(self.doc.text[amount_span[0] : amount_span[1]])
                        if q.quantity.kind == "money"
                    ]
                    if amount_span
                    else []
                )
                if not money:
                    out.failures.append(f"{label}：金额 quote“{p.amount_quote}”中没有写明金额")
                    continue
                amount = money[0].quantity
            out.extraction.projects.append(
                Project(
                    name=fold(p.name),
                    investor=fold(p.investor) if p.investor else None,
                    investment=amount,
                    industry=p.industry,
                    location=p.location,
                    status=p.status,
                    evidence=self.evidence(*span),
                )
            )
