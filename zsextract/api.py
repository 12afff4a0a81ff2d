"""The one-call API: text in, :class:`PromotionReport` out."""

from __future__ import annotations

import time
from pathlib import Path

from .backends import get_backend
from .errors import EmptyInputError
from .schema import PromotionReport, Provenance, Source
from .textclean import clean_text
from .version import __version__

__all__ = ["extract"]


def extract(
    text: str,
    backend: str = "rules",
    *,
    path: str | Path | None = None,
    html: bool | None = None,
) -> PromotionReport:
    """Extract a :class:`PromotionReport` from one article.

    ``text`` is the article as scraped (plain text or a whole HTML page; Traditional
    or Simplified script). ``backend`` names a registered backend (``"rules"``, the
    offline default). ``path`` is recorded in the report's source. Evidence offsets
    index ``report.source.text``: the text itself, or for HTML the article body.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() takes a str, not {type(text).__name__}; decode bytes first")
    if not text.strip():
        raise EmptyInputError("the article text is empty", path=path)
    started = time.perf_counter()
    engine = get_backend(backend)
    doc = clean_text(text, html=html)
    if not doc.text.strip():
        raise EmptyInputError("nothing is left after removing page chrome", path=path)
    found = engine.extract(doc)
    return PromotionReport(
        region=found.region,
        period=found.period,
        source=Source(
            text=doc.raw,
            path=None if path is None else str(path),
            url=doc.url,
            title=doc.title,
            publish_date=doc.publish_date,
            from_html=doc.from_html,
        ),
        metrics=found.metrics,
        mechanisms=found.mechanisms,
        timelines=found.timelines,
        projects=found.projects,
        provenance=Provenance(
            backend=engine.name,
            zsextract_version=__version__,
            model=found.model,
            prompt_version=found.prompt_version,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 3),
            notes=found.notes,
        ),
    )
