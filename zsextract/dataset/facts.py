"""One fact from many reports: the figures of a collection folded into one row per place,
period, metric category, measure and scope, with every source and their agreement.

A figure's key is its place (the report's division code; else its region's name when
the gazetteer does not know the name; and the metric's subject), whether it is a
target, its category, its *measure* (the metric's name without its place and filler
words such as 全市, 累计, 实际 from ``data/consolidate.json``, so 全市实际到位资金 and 到位资金
meet), its scope, unit and months (``interval``: start, end, or the day a running
figure is counted to). A figure meets only the figures of its own article and its
copies when it has no place (no region, or a division name of several places such as
青山区), no months, or runs to the publish date (截至目前, 今年以来: a repost a day later
says the same, another article of that day may not). Two different figures one article
gives under the same key (a breakdown the key cannot tell apart) stay apart: a figure
meets the one it agrees with, else the n-th different figure of another article.

Copies of one article (:mod:`.copies`) are one source with several documents: a fact
counts articles, not reposts. Agreement is ``same``, ``rounding`` (one figure is the
other rounded, :mod:`.agreement`) or ``conflict``; a conflict keeps every value with
its sources and has no value of its own (nothing is averaged).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ..datafiles import alternation, load_data
from ..readers.gazetteer import division_names
from ..report.checks import is_target
from ..report.schema import Metric, PromotionReport
from ..report.tables import ReportsLike, iter_reports
from .agreement import Agreement, agree, agreement, significant_digits

if TYPE_CHECKING:
    from .copies import CopyFinder

__all__ = [
    "Consolidation",
    "Fact",
    "FactSource",
    "Statement",
    "consolidate",
    "fold",
    "measure_of",
    "statements",
]


@dataclass(frozen=True, slots=True)
class FactSource:
    """One statement of a fact: the document, its article (the first document of its
    copies), where the document was found, the value as stated and its evidence."""

    doc_id: str
    article: str
    address: str | None
    publish_date: str | None
    value: Decimal
    display: str
    qualifier: str
    name: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    """One figure about one place and period, as every report in the collection states it.

    ``value``, ``display`` and ``qualifier`` are the most precise statement's, or None in
    a conflict; ``values`` lists every distinct value stated, most precise first."""

    place: str | None
    region: str | None
    region_code: str | None
    subject: str | None
    target: bool  #: a target (力争…300亿元, 目标任务), never one fact with a figure achieved
    category: str
    measure: str
    scope: str | None
    unit: str
    period: str | None
    period_start: str | None
    period_end: str | None
    as_of: str | None
    agreement: Agreement
    value: Decimal | None
    display: str | None
    qualifier: str | None
    values: tuple[Decimal, ...]
    sources: tuple[FactSource, ...] = field(repr=False)

    @property
    def articles(self) -> list[str]:
        """The distinct articles stating the fact (copies count once), in order."""
        return list(dict.fromkeys(s.article for s in self.sources))

    def as_row(self) -> dict[str, Any]:
        """The fact as a flat row with ``sources`` as a list of dicts."""
        row = asdict(self)
        row["values"] = list(self.values)
        row["articles"] = len(self.articles)
        row["documents"] = len(self.sources)
        return row


@cache
def _fillers() -> re.Pattern[str]:
    words = load_data("consolidate")["measure_fillers"]
    return re.compile(rf"{alternation(words)}|[\s\W_]+")


def measure_of(metric: Metric, region: str | None) -> str:
    """The metric's name without its place, subject and filler words (全市, 累计 …)."""
    return _measure(metric.name, metric.subject, region)


@lru_cache(maxsize=4096)
def _measure(name: str, subject: str | None, region: str | None) -> str:
    bare = name
    for place in (subject, region):
        if place and len(place) > 1:
            bare = bare.replace(place, "")
    return _fillers().sub("", bare) or name


Key = tuple[Any, ...]


def _place(report: PromotionReport) -> str | None:
    """Where a report's figures are: its division code; else its region's name when the
    gazetteer does not know it (a zone, a new district); None for no region, or for a
    division name the gazetteer cannot pin to one place (青山区 is in several cities)."""
    if report.region_code:
        return report.region_code
    name = report.region
    return name if name and name not in division_names() else None


def _to_publish_date(metric: Metric, report: PromotionReport) -> bool:
    """Whether the figure runs to the day the article was published (截至目前, 今年以来):
    a repost a day later says the same, another article published that day may not."""
    interval, published = metric.interval, report.source.publish_date
    if interval is None or not published:
        return False
    if interval.as_of is not None:
        return interval.as_of == published
    return bool(metric.period and metric.period.endswith(_SINCE) and interval.end == published[:7])


#: the end of a period that runs to the publish date (2024年以来)
_SINCE = "以来"


def _key(report: PromotionReport, metric: Metric) -> Key:
    """The figure's key. Its last part says whether it meets only figures of its own
    article (and copies): when it has no place, no months, or runs to the publish date."""
    interval = metric.interval
    place = _place(report)
    running = _to_publish_date(metric, report)
    if interval is None:
        dates: tuple[str | None, ...] = (None, None, None)
    else:
        dates = (interval.start, interval.end, None if running else interval.as_of)
    subject = metric.subject if metric.subject != report.region else None
    return (
        place,
        subject,
        is_target(metric, report.source.text),
        metric.category,
        measure_of(metric, report.region),
        metric.scope,
        metric.quantity.unit,
        *dates,
        place is None or interval is None or running,
    )


def _bucket(value: Decimal) -> tuple[int, int]:
    """Figures that may be one rounded (484.46 and 484; 超480 and 484.5) share their
    order of magnitude and first digit; checking within a bucket keeps a key with
    thousands of figures linear."""
    if not value.is_finite() or value == 0:
        return (0, 0)
    return value.adjusted(), value.as_tuple().digits[0]


@dataclass(frozen=True, slots=True)
class Statement:
    """One figure of one document, ready to fold: its key, which of the document's
    different figures under that key it is (``cluster``), where it stands (``order``:
    document and metric number) and its source (``article`` is the document until
    copies are known)."""

    key: Key
    cluster: int
    order: tuple[Any, int]  #: (the document's rank: its number, or in Ray its id; metric number)
    source: FactSource
    region: str | None
    region_code: str | None
    period: str | None
    as_of: str | None

    @property
    def stated(self) -> tuple[Decimal, str]:
        return self.source.value, self.source.qualifier


@dataclass
class _Slot:
    first: Statement  #: the statement that opened the fact
    sources: list[FactSource] = field(default_factory=list)


@dataclass
class _Slots:
    """The facts under one key, and where to look for one a figure agrees with."""

    slots: list[_Slot] = field(default_factory=list)
    buckets: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    exact: dict[Decimal, list[int]] = field(default_factory=dict)


@cache
def _rounding() -> tuple[int, int]:
    d = load_data("consolidate")["rounding"]
    return int(d["min_significant_digits_in_one_article"]), int(d["candidates_per_bucket"])


def _restated(a: tuple[Decimal, str], b: tuple[Decimal, str]) -> bool:
    """Whether two exact figures of one article are one, once rounded (a title's 9433亿元
    and the body's 9433.27亿元): the coarser keeps three significant digits (1400 and 1407
    of a list are two figures); bounds are not (三个 10余家 are three figures)."""
    if a[1] != "exact" or b[1] != "exact":
        return False
    if a[0] == b[0]:
        return True
    coarse = min(significant_digits(a[0]), significant_digits(b[0]))
    return coarse >= _rounding()[0] and agree(a, b)


def _address(report: PromotionReport) -> str | None:
    return report.source.url or report.source.path or None


def statements(rank: Any, doc_id: str, report: PromotionReport) -> list[Statement]:
    """The figures of a document as statements to fold; ``rank`` orders the documents
    (its number in the collection, or anything comparable: the Ray path uses the id)."""
    out = []
    clusters: dict[tuple[Key, tuple[int, int]], list[tuple[Decimal, str, int]]] = {}
    count: dict[Key, int] = {}
    same: dict[tuple[Any, ...], int] = {}  # (key, value, qualifier) -> its cluster
    address, published = _address(report), report.source.publish_date
    for n, metric in enumerate(report.metrics):
        key = _key(report, metric)
        quantity = metric.quantity
        stated = (quantity.value, quantity.qualifier.value)
        cluster = same.get((key, *stated))
        if cluster is None:
            near = clusters.setdefault((key, _bucket(quantity.value)), [])
            limit = _rounding()[1]
            cluster = next((c for v, q, c in near[:limit] if _restated((v, q), stated)), None)
            if cluster is None:
                cluster = count.get(key, 0)
                count[key] = cluster + 1
                near.append((*stated, cluster))
            same[key, stated[0], stated[1]] = cluster
        ev = metric.evidence
        source = FactSource(
            doc_id=doc_id,
            article=doc_id,
            address=address,
            publish_date=published,
            value=quantity.value,
            display=quantity.display,
            qualifier=stated[1],
            name=metric.name,
            quote=ev.quote,
            start=ev.start,
            end=ev.end,
        )
        where = (rank, n)
        region, code = report.region, report.region_code
        as_of = metric.interval.as_of if metric.interval else None
        out.append(Statement(key, cluster, where, source, region, code, metric.period, as_of))
    return out


def _slot(keyed: _Slots, statement: Statement, taken: set[int]) -> int:
    """The fact (of those under one key) a document's figure belongs to: the first it
    agrees with; else the one in its place (the n-th different figure of an article
    meets the n-th of another, so that a changed figure is a conflict); else a new one."""
    slots, value = keyed.slots, statement.source.value
    for n in keyed.exact.get(value, ()):
        if n not in taken and agree(slots[n].first.stated, statement.stated):
            return n
    bucket = _bucket(value)
    for n in keyed.buckets.get(bucket, ())[: _rounding()[1]]:
        if n not in taken and agree(slots[n].first.stated, statement.stated):
            return n
    if statement.cluster < len(slots) and statement.cluster not in taken:
        return statement.cluster
    slots.append(_Slot(statement))
    keyed.buckets.setdefault(bucket, []).append(len(slots) - 1)
    keyed.exact.setdefault(value, []).append(len(slots) - 1)
    return len(slots) - 1


def fold(
    items: Iterable[Statement], article_of: Mapping[str, str] | None = None
) -> list[tuple[tuple[Any, int], Fact]]:
    """The facts the statements make, each with where it was first stated; statements
    are taken in their order. ``article_of`` maps a document to the first document of
    its copies (a document not in it is its own article). A statement whose key says so
    meets only statements of its own article."""
    article_of = article_of or {}
    facts: dict[Key, _Slots] = {}
    # (document, key) -> (its clusters -> their facts, the facts it has taken)
    taken: dict[tuple[str, Key], tuple[dict[int, int], set[int]]] = {}
    for statement in sorted(items, key=lambda s: s.order):
        source = statement.source
        article = article_of.get(source.doc_id, source.doc_id)
        key = (*statement.key, article) if statement.key[-1] else statement.key
        keyed = facts.setdefault(key, _Slots())
        mine, used = taken.setdefault((source.doc_id, key), ({}, set()))
        if statement.cluster not in mine:
            mine[statement.cluster] = _slot(keyed, statement, used)
            used.add(mine[statement.cluster])
        if article != source.article:
            source = FactSource(**(asdict(source) | {"article": article}))
        keyed.slots[mine[statement.cluster]].sources.append(source)
    made = [(slot.first.order, _fact(slot)) for keyed in facts.values() for slot in keyed.slots]
    made.sort(key=lambda pair: pair[0])
    return made


@dataclass
class Consolidation:
    """The facts of a collection and the copies found in it.

    ``facts`` in the order first stated; ``copies`` lists each group of two or more
    documents that are one article (ids in input order, the original first)."""

    facts: list[Fact]
    copies: list[list[str]]
    documents: int

    @property
    def conflicts(self) -> list[Fact]:
        return [f for f in self.facts if f.agreement == "conflict"]

    def rows(self) -> Iterator[dict[str, Any]]:
        """One flat row per fact (:meth:`Fact.as_row`)."""
        for fact in self.facts:
            yield fact.as_row()

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per fact (needs ``zsextract[tables]``)."""
        from .output import facts_frame

        return facts_frame(self)

    def write(self, path: str | Any) -> int:
        """Write the facts as Parquet, CSV or JSONL (by the suffix); return the count."""
        from .output import write_facts

        return write_facts(self, path)

    def series(self) -> list[Any]:
        """The series per place and measure (:func:`zsextract.dataset.series.series`)."""
        from .series import series

        return series(self.facts)


def consolidate(
    reports: ReportsLike, *, copies: bool = True, threshold: float | None = None
) -> Consolidation:
    """Fold the metrics of ``reports`` into facts (one per place, period, category,
    measure and scope), grouping copies of one article first.

    ``reports``: reports, ``(id, report)`` pairs, batch results, parsed JSONL lines, or
    the path of the JSONL a batch run wrote. ``copies=False`` counts every document as
    its own article; ``threshold`` overrides the Jaccard similarity that makes two
    documents copies."""
    if copies:
        from .copies import CopyFinder

        finder: CopyFinder | None = CopyFinder(threshold)
    else:
        finder = None
    stated: list[Statement] = []
    seen: set[str] = set()
    documents = 0
    for doc_id, report in iter_reports(reports):
        if doc_id in seen:
            raise ValueError(f"document id {doc_id!r} is given twice; ids must be unique")
        seen.add(doc_id)
        if finder is not None:
            finder.add(doc_id, report.source.text)
        stated += statements(documents, doc_id, report)
        documents += 1
    groups = [g for g in finder.groups() if len(g) > 1] if finder is not None else []
    article_of = {doc_id: group[0] for group in groups for doc_id in group[1:]}
    facts = [fact for _, fact in fold(stated, article_of)]
    return Consolidation(facts=facts, copies=groups, documents=documents)


def _fact(slot: _Slot) -> Fact:
    first = slot.first
    place, subject, target, category, measure, scope, unit, start, end, _, _ = first.key
    sources = tuple(slot.sources)
    stated = [(s.value, s.qualifier) for s in sources]
    kind, best = agreement(stated)
    values = tuple(dict.fromkeys([sources[best].value, *(s.value for s in sources)]))
    chosen = sources[best] if kind != "conflict" else None
    return Fact(
        place=place,
        region=first.region,
        region_code=first.region_code,
        subject=subject,
        target=target,
        category=category,
        measure=measure,
        scope=scope,
        unit=unit,
        period=first.period,
        period_start=start,
        period_end=end,
        as_of=first.as_of,
        agreement=kind,
        value=chosen.value if chosen else None,
        display=chosen.display if chosen else None,
        qualifier=chosen.qualifier if chosen else None,
        values=values,
        sources=sources,
    )
