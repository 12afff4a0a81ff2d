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
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from ..backends import Extraction
from ..datafiles import alternation, load_data, mechanism_codes
from ..errors import QuantityParseError
from ..readers.evidence import evidence_for
from ..readers.mechanisms import describes
from ..readers.names import project_key
from ..readers.periods import resolve_period
from ..readers.places import place_base
from ..readers.quantities import QuantityMention, find_quantities, parse_chinese_number
from ..readers.timelines import find_timelines
from ..report.numbers import tidy
from ..report.schema import Evidence, Mechanism, Metric, Project, Quantity, Timeline, TimelineStage
from ..text.clean import CleanText
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

GROUNDING_VERSION = "3"

#: the longest quote a metric may have: one clause around its number, not a paragraph
MAX_METRIC_QUOTE = 80
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
    """Items that passed, and a message for every item that did not."""

    extraction: Extraction
    failures: list[str] = field(default_factory=list)


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
    each part of a list (甲集团、乙集团); a region without its place suffix (梧州市 ->
    梧州); a period without its event word (酒博会期间 -> 酒博会)."""
    value = fold(value).strip()
    if value in text:
        return True
    parts = [part for part in re.split(r"[、，,/]|和|与|及", value) if part]
    if len(parts) > 1 and all(len(part) >= 2 and part in text for part in parts):
        return True
    if name == "region":
        base = place_base(value)
        return base is not None and base in text
    if name == "period":
        words = load_data("periods")["event_suffixes"]
        stems = [value[: -len(w)] for w in words if value.endswith(w) and len(value) - len(w) >= 2]
        return any(stem in text for stem in stems)
    return False


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

    def _attached(
        self,
        name: str,
        quote_start: int,
        number: QuantityMention,
        stated: list[QuantityMention],
        offset: int,
    ) -> bool:
        """True when ``name`` (two characters of it in a row suffice) is the number's in
        the text: before it in the same sentence with no number of the same unit
        between (新签项目157个; 项目36个，占34%), or right after it in the same clause
        (5支专业招商小分队)."""
        text = self.doc.text
        at, after = offset + number.start, offset + number.end
        key = fold(name)
        grams = {key[i : i + 2] for i in range(len(key) - 1)} or {key}
        lo = max(self.window[0], quote_start - 30)
        breaks = [text.rfind(c, lo, at) for c in "。；;\n"]
        lo = max([lo, *(b + 1 for b in breaks if b >= 0)])
        # the mention may hold words of the name itself (同比下降3.2%)
        before = [p for g in grams if g for p in _find_all(text, g, lo, after)]
        unit = number.quantity.unit
        if before and not [
            q
            for q in find_quantities(text[max(before) : at])
            if q.quantity.unit == unit and max(before) + q.start < at
        ]:
            return True
        hi = min(self.window[1], after + 12)
        ends = [text.find(c, after, hi) for c in "。；;，,\n"]
        hi = min([hi, *(e for e in ends if e >= 0)])
        following = [p for g in grams if g for p in _find_all(text, g, after, hi)]
        return bool(following) and not [
            q for q in stated if after <= offset + q.start < min(following)
        ]

    def _unread(self, start: int, end: int, **fields: str | None) -> list[str]:
        """The names of the fields (period, scope, subject, investor …) that the text
        does not say: a period anywhere in the article (it is often stated once, in the
        opening), the others in the item's paragraph."""
        text = self.doc.text
        para_start = text.rfind("\n", 0, start) + 1
        para_end = text.find("\n", end)
        around = fold(text[para_start : len(text) if para_end == -1 else para_end])
        return [
            name
            for name, value in fields.items()
            if value
            and not _says(self._folded if name == "period" else around, name, value)
            and not (name == "period" and self._relative_period_said(value))
        ]

    def _relative_period_said(self, period: str) -> bool:
        """True when ``period`` is a relative period of the article with its year made
        explicit from the publish date, as the prompt asks (今年上半年 -> 2024年上半年)."""
        if self.published is None:
            return False
        text = self._folded
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

    def _sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence (between 。；; or line breaks) around ``text[start:end]``."""
        text = self.doc.text
        lo = max(text.rfind(c, 0, start) for c in "。；;\n") + 1
        his = [at for at in (text.find(c, end) for c in "。；;\n") if at != -1]
        return lo, min(his) if his else len(text)

    def _status_said(self, status: str, start: int, end: int) -> bool:
        """True when the sentence around the project says its status (签约, 开工, 投产 …:
        ``projects.status`` in data/rules.json)."""
        lo, hi = self._sentence(start, end)
        words = load_data("rules")["projects"]["status"][status]
        return any(word in self.doc.text[lo:hi] for word in words)

    @cached_property
    def _folded(self) -> str:
        """The article folded (Simplified, half-width), made when a field check needs it."""
        return fold(self.doc.text)

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
        region = answer.region
        out = Grounded(Extraction(region=region, period=answer.period))
        if region and not _says(self._folded, "region", region):
            out.failures.append(self.say("region_not_found", region=region))
            out.extraction.region = None
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
            said = self.doc.text[span[0] : span[1]]
            named = describes(mech.code, said)
            # unnamed, a quote must say enough, and not be another practice's words
            if not named and (
                len(_meaningful(said)) < MIN_PRACTICE_CHARS
                or any(describes(other, said) for other in codes if other != mech.code)
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
            if not self._attached(m.name, start, match, stated, start):
                out.failures.append(
                    self.say("not_attached", label=label, number=match.text, name=m.name)
                )
                continue
            fields = {"period": m.period, "scope": m.scope, "subject": m.subject}
            unread = self._unread(start, end, **fields)
            if unread:  # the item stays, without what the text does not say
                out.failures.append(self._unread_failure(label, unread, **fields))
            out.extraction.metrics.append(
                _metric(m, match.quantity, self.evidence(start, end, alignment), unread)
            )

    def _candidate_metrics(self, answer: CandidateExtraction, out: Grounded) -> None:
        for i, m in enumerate(answer.metrics):
            mention = self.candidates.get(m.candidate)
            if mention is None:
                label = self.say("item_label", item=f"metrics[{i}]", name=m.name)
                out.failures.append(self.say("no_candidate", label=label, candidate=m.candidate))
                continue
            out.extraction.metrics.append(
                _metric(m, mention.quantity, self.evidence(mention.start, mention.end))
            )

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
        if kind == "deadline":
            units = load_data("rules")["timelines"]["deadline_units"]
            return any(
                abs(float(months) - n) <= 0.01
                for at in _find_all(quote, _milestone(event), 0, len(quote))
                for months in _months_before(quote[max(0, at - 14) : at], units)
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

    def _timelines(self, answer: LLMExtraction | CandidateExtraction, out: Grounded) -> None:
        for i, t in enumerate(answer.timelines):
            label = self.say("item_label", item=f"timelines[{i}]", name=t.code or t.kind)
            span = self.align(t.quote, (t.code,))
            if span is None:
                out.failures.append(self._not_found(label, t.quote))
                continue
            quote = self.doc.text[span[0] : span[1]]
            read = self._read_stages(quote, t.kind)
            stages = []
            bad = []
            for s in t.stages:
                n = s.months if t.kind == "deadline" else s.every_months
                if n is None or not self._stage_stated(quote, t.kind, s.to_event, n, read):
                    bad.append(self.say("stage_value", event=s.to_event, months=n))
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
                    self.say(
                        "stages_unstated", label=label, stages=self.prompts.join(bad), quote=t.quote
                    )
                )
                continue
            out.extraction.timelines.append(
                Timeline(kind=t.kind, code=t.code, stages=stages, evidence=self.evidence(*span))
            )

    def _projects(self, answer: LLMExtraction | CandidateExtraction, out: Grounded) -> None:
        for i, p in enumerate(answer.projects):
            label = self.say("item_label", item=f"projects[{i}]", name=p.name)
            span = self.align(p.quote, (p.name,)) or self.align(p.name, (p.investor,))
            if span is None:
                out.failures.append(self._not_found(label, p.quote))
                continue
            if project_key(fold(p.name)) not in fold(self.doc.text[span[0] : span[1]]):
                out.failures.append(self.say("name_not_in_quote", label=label, quote=p.quote))
                continue
            # a field the text does not say is left out; the project stays
            fields = {"investor": p.investor, "industry": p.industry, "location": p.location}
            unread = self._unread(span[0], span[1], **fields)
            if unread:
                out.failures.append(self._unread_failure(label, unread, **fields))
            status = p.status
            if status and not self._status_said(status, span[0], span[1]):
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
            amount = self._project_amount(p, label, span, out)
            out.extraction.projects.append(
                Project(
                    name=fold(p.name),
                    investor=fold(p.investor) if p.investor and "investor" not in unread else None,
                    investment=amount,
                    industry=None if "industry" in unread else p.industry,
                    location=None if "location" in unread else p.location,
                    status=status,
                    evidence=self.evidence(*span),
                )
            )

    def _project_amount(
        self,
        p: LLMProject | CandidateProject,
        label: str,
        span: tuple[int, int, str],
        out: Grounded,
    ) -> Quantity | None:
        """The project's own amount: a cited money candidate, or the money in its
        ``amount_quote``, which must stand in the project's sentence or the next one.
        None (and a failure) otherwise."""
        cited = getattr(p, "amount_candidate", None)
        if cited:
            mention = self.candidates.get(cited)
            if mention is None or mention.quantity.kind != "money":
                out.failures.append(self.say("amount_not_money", label=label, candidate=cited))
                return None
            return mention.quantity
        quote = getattr(p, "amount_quote", None)
        if not quote:
            return None
        lo, hi = self._sentence(span[0], span[1])
        if hi < len(self.doc.text):
            hi = self._sentence(hi + 1, hi + 1)[1]
        window = self.window
        self.window = (max(lo, window[0]), min(hi, window[1]))
        try:
            found = self.align(quote, (p.name,))
        finally:
            self.window = window
        money = (
            [
                q
                for q in find_quantities(self.doc.text[found[0] : found[1]])
                if q.quantity.kind == "money"
            ]
            if found
            else []
        )
        if not money:
            out.failures.append(self.say("amount_unstated", label=label, quote=quote))
            return None
        return money[0].quantity
