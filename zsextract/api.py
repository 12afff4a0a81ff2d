"""The one-call API: text in, :class:`PromotionReport` out (sync and async)."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeGuard, runtime_checkable

from .backends import Backend, Extraction, build_backend
from .backends.shared import shared_backend
from .errors import EmptyInputError, InputError
from .events import Event, emit
from .options import LLMSettings, split_options
from .readers.gazetteer import division_named, find_region
from .readers.intervals import ArticleTime, PeriodIndex, interval_of, period_index, stated_period
from .readers.periods import has_year, is_relative, paragraph_year, resolve_period
from .report.checks import check_metrics
from .report.parts import PARTS
from .report.restated import merge_restated
from .report.schema import (
    ArticleMeta,
    Interval,
    Metric,
    PromotionReport,
    Provenance,
    Source,
    Usage,
)
from .text.clean import CleanText, clean_text
from .text.injection import dropped_note
from .version import __version__

__all__ = ["aextract", "extract"]

MetaLike = ArticleMeta | dict[str, Any] | None


def merged_settings(
    settings: LLMSettings | None, llm_options: dict[str, Any], where: str
) -> LLMSettings | None:
    """``settings`` with the keyword options merged into it (unknown names are a
    ``TypeError``)."""
    if not llm_options:
        return settings
    llm, _ = split_options(where, llm_options)
    return (settings or LLMSettings()).merged(**llm) if llm else settings


def engine_for(
    backend: str | Backend,
    settings: LLMSettings | None,
    client: Any,
    llm_options: dict[str, Any],
    where: str,
) -> Backend:
    """The backend for one call: ``settings`` with the keyword options merged into it
    (unknown names are a ``TypeError``); a backend named with the same settings before
    is reused (``backends/shared.py``)."""
    merged = merged_settings(settings, llm_options, where)
    if isinstance(backend, str):
        return shared_backend(backend, merged, client)
    return build_backend(backend, merged, client=client)


#: the longest article (in characters) that extract() takes unless told otherwise; the
#: readers run in linear time, so this bounds time (about a minute) and memory
MAX_CHARS = 20_000_000


def _check_input(text: str, path: str | Path | None, max_chars: int | None) -> None:
    if not isinstance(text, str):
        raise TypeError(f"extract() takes a str, not {type(text).__name__}; decode bytes first")
    if max_chars is not None and len(text) > max_chars:
        raise InputError(
            f"is {len(text):,} characters, over the limit of {max_chars:,}: split it, or "
            "pass max_chars=None (or a larger number) to extract()",
            path=path,
        )
    if not text.strip():
        raise EmptyInputError("the article text is empty", path=path)


def _prepare(text: str, path: str | Path | None, html: bool | None) -> CleanText:
    """The cleaned article (after :func:`_check_input`)."""
    doc = clean_text(text, html=html)
    if not doc.text.strip():
        raise EmptyInputError("nothing is left after removing page chrome", path=path)
    return doc


@runtime_checkable
class CachesReports(Protocol):
    """A backend that keeps finished reports by their raw input (the LLM backend).
    Told by :func:`_caches_reports`, a plain attribute check: ``isinstance`` with a
    protocol walks its members on every call, a noticeable share of a cache hit."""

    name: str

    def report_key(self, raw: str, options: dict[str, Any]) -> str | None: ...
    def cached_report(self, key: str) -> str | None: ...
    def store_report(self, key: str, report_json: str) -> None: ...


def _caches_reports(engine: Backend) -> TypeGuard[CachesReports]:
    return all(
        callable(getattr(engine, name, None))
        for name in ("report_key", "cached_report", "store_report")
    )


def _report_key(
    engine: Backend,
    text: str,
    path: str | Path | None,
    html: bool | None,
    metadata: MetaLike,
) -> str | None:
    """The key of this call's finished report, from the input as given (nothing cleaned),
    or None when the backend keeps none."""
    if not _caches_reports(engine):
        return None
    meta = ArticleMeta.model_validate(metadata or {}).model_dump(mode="json")
    return engine.report_key(
        text, {"html": html, "path": None if path is None else str(path), "metadata": meta}
    )


def _kept_report(engine: Backend, key: str | None, started: float) -> PromotionReport | None:
    """The finished report kept under ``key``, as a hit that cost nothing now."""
    if key is None or not _caches_reports(engine):
        return None
    stored = engine.cached_report(key)
    if stored is None:
        return None
    try:
        report = PromotionReport.model_validate_json(stored)
    except ValueError:
        return None  # written by another version of the schema: a miss
    if report.provenance is None:
        return None
    emit(Event("cache", backend=engine.name, model=report.provenance.model, reason="hit"))
    provenance = report.provenance.model_copy(
        update={
            "cache": "hit",
            "attempts": 0,
            "usage": Usage(),
            "elapsed_ms": round((time.perf_counter() - started) * 1000, 3),
        }
    )
    return report.model_copy(update={"provenance": provenance})


def _keep_report(engine: Backend, key: str | None, report: PromotionReport) -> PromotionReport:
    if key is not None and _caches_reports(engine):
        engine.store_report(key, report.model_dump_json())
    return report


def _meta(metadata: MetaLike, doc: CleanText) -> ArticleMeta:
    meta = ArticleMeta.model_validate(metadata or {})
    if meta.publish_date is None and doc.publish_date:
        try:
            meta = meta.model_copy(update={"publish_date": date.fromisoformat(doc.publish_date)})
        except ValueError:
            pass
    return meta


def _without_instructions(doc: CleanText, found: Extraction) -> Extraction:
    """``found`` less the items whose evidence lies in text that addresses a model
    (``忽略之前的所有指令…``): the article is data, never instructions. The items left out
    are named in ``provenance.dropped``."""
    if not doc.instructions:
        return found
    dropped = list(found.provenance.get("dropped", []))
    kept: dict[str, Any] = {}
    for part in PARTS:
        kept[part.field] = []
        for item in getattr(found, part.field):
            ev = item.evidence
            start = doc.to_clean(ev.start)
            end = max(start, doc.to_clean(max(ev.end - 1, ev.start)) + 1)
            if doc.in_instructions(start, end):
                dropped.append(dropped_note(f"{part.field}（{part.describe(item)}）", ev.quote))
            else:
                kept[part.field].append(item)
    return replace(found, **kept, provenance={**found.provenance, "dropped": dropped})


class _Dating:
    """Periods of one article's metrics resolved: its own (the backend's: from its
    clause, sentence or paragraph), else the period of its paragraph before its
    evidence (the LLM backend's answer may have none, or one grounding dropped), else
    the article's stated period; the year made explicit from the publish date; and the
    period as dates (:class:`Interval`). Each distinct period is resolved once."""

    def __init__(self, doc: CleanText, when: ArticleTime, context: PeriodIndex | None) -> None:
        self.doc, self.when, self.context = doc, when, context
        self.year = when.reported_year
        self.resolved: dict[tuple[str | None, int | None], tuple[str | None, Interval | None]] = {}

    def __call__(self, metric: Metric) -> Metric:
        period = metric.period
        at = self.doc.to_clean(metric.evidence.start)
        if period is None and self.context is not None:
            period = self.context.before(at)
        period = period or self.when.stated
        yearless = period and not has_year(period) and not is_relative(period)
        year = paragraph_year(self.doc.text, at) if yearless else None
        if (period, year) not in self.resolved:
            if year is None:
                resolved = resolve_period(period, self.when.published, self.year)
                dated = interval_of(period, self.when)
            else:  # the paragraph's year: 2025年，…力争全年…
                resolved = resolve_period(period, self.when.published, year)
                when = replace(self.when, stated=f"{year}年")
                dated = interval_of(resolved if resolved and has_year(resolved) else period, when)
            self.resolved[period, year] = (resolved, dated)
        resolved, interval = self.resolved[period, year]
        return metric.model_copy(
            update={
                "period": resolved,
                "interval": None if interval is None else interval.model_copy(),
            }
        )


def _report(
    doc: CleanText,
    found: Extraction,
    engine: Backend,
    meta: ArticleMeta,
    path: str | Path | None,
    started: float,
) -> PromotionReport:
    found = _without_instructions(doc, found)
    published = meta.publish_date
    when = ArticleTime(stated_period(doc.text), published)
    context = period_index(doc.text) if any(m.period is None for m in found.metrics) else None
    metrics = merge_restated(list(map(_Dating(doc, when, context), found.metrics)))
    region = found.region or meta.region
    division = (division_named(region) or find_region(region)) if region else None
    return PromotionReport(
        region=region,
        region_code=division.code if division else None,
        province=division.province.name if division else None,
        period=resolve_period(found.period, published, when.reported_year),
        source=Source(
            text=doc.raw,
            path=None if path is None else str(path),
            url=doc.url or meta.url,
            title=doc.title or meta.title,
            publish_date=published.isoformat() if published else doc.publish_date,
            from_html=doc.from_html,
        ),
        metrics=metrics,
        mechanisms=found.mechanisms,
        timelines=found.timelines,
        projects=found.projects,
        checks=check_metrics(
            metrics, doc.raw, published.isoformat() if published else doc.publish_date
        ),
        provenance=Provenance(
            backend=engine.name,
            zsextract_version=__version__,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 3),
            **found.provenance,
        ),
    )


def extract(
    text: str,
    backend: str | Backend = "rules",
    *,
    path: str | Path | None = None,
    html: bool | None = None,
    metadata: MetaLike = None,
    settings: LLMSettings | None = None,
    client: Any = None,
    max_chars: int | None = MAX_CHARS,
    **llm_options: Any,
) -> PromotionReport:
    """Extract a :class:`PromotionReport` from one article.

    ``text`` is the article as scraped (plain text or a whole HTML page; Traditional or
    Simplified). ``backend`` is a registered name (``"rules"``, the offline default, or
    ``"llm"``) or a backend instance. ``metadata`` (publish_date, region, title, url)
    resolves relative periods such as 今年 or 上半年. For ``backend="llm"``:
    ``settings`` is an :class:`~zsextract.LLMSettings`, ``llm_options`` are its fields by
    name (``model``, ``provider``, ``base_url`` …; another name is a ``TypeError``), and
    ``client`` is an ``openai.OpenAI`` client. A backend built once
    (``zsextract.LLMBackend(...)``) can be passed instead of a name and reused.
    A text longer than ``max_chars`` (:data:`MAX_CHARS`; None for no limit) is an
    :class:`~zsextract.InputError`. Evidence offsets index ``report.source.text``.
    """
    started = time.perf_counter()
    engine = engine_for(backend, settings, client, llm_options, "extract()")
    _check_input(text, path, max_chars)
    key = _report_key(engine, text, path, html, metadata)
    kept = _kept_report(engine, key, started)
    if kept is not None:
        return kept
    doc = _prepare(text, path, html)
    meta = _meta(metadata, doc)
    report = _report(doc, engine.extract(doc, meta), engine, meta, path, started)
    return _keep_report(engine, key, report)


async def aextract(
    text: str,
    backend: str | Backend = "rules",
    *,
    path: str | Path | None = None,
    html: bool | None = None,
    metadata: MetaLike = None,
    settings: LLMSettings | None = None,
    client: Any = None,
    max_chars: int | None = MAX_CHARS,
    **llm_options: Any,
) -> PromotionReport:
    """:func:`extract` for asyncio. ``client`` is an ``openai.AsyncOpenAI`` client; a
    backend with only a sync method runs in a worker thread."""
    started = time.perf_counter()
    engine = engine_for(backend, settings, client, llm_options, "aextract()")
    _check_input(text, path, max_chars)
    key = _report_key(engine, text, path, html, metadata)
    kept = _kept_report(engine, key, started)
    if kept is not None:
        return kept
    doc = _prepare(text, path, html)
    meta = _meta(metadata, doc)
    found = await engine.aextract(doc, meta)
    return _keep_report(engine, key, _report(doc, found, engine, meta, path, started))
