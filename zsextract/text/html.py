"""Take the article body out of a whole HTML page (trafilatura)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import EmptyInputError

_PAGE_SIGNS = re.compile(r"<(?:html|body)\b", re.I)
_HTML_SIGNS = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|article|meta)\b", re.I)


@dataclass(frozen=True)
class Article:
    """The body text of a page and what its metadata says."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None


def looks_like_html(raw: str) -> bool:
    """True when the text is an HTML page or fragment rather than plain text."""
    head = raw[:4096]
    return len(_HTML_SIGNS.findall(head)) >= 2 or head.lstrip().lower().startswith(
        ("<!doctype html", "<html")
    )


def extract_article(html: str) -> Article:
    """The main text of ``html``, paragraphs on their own lines, with page metadata.

    A whole page (it has ``<html>`` or ``<body>``) has its article body picked out of
    the navigation and footers; a fragment is all article, so all its text is kept.
    """
    import trafilatura

    if not _PAGE_SIGNS.search(html[:4096]):
        text = trafilatura.html2txt(f"<html><body>{html}</body></html>") or ""
        if not text.strip():
            raise EmptyInputError("the HTML fragment has no text")
        return Article(text=text)
    options: dict[str, Any] = {
        "include_comments": False,
        "include_tables": True,
        "deduplicate": False,
    }
    # Precision first (drops navigation bars); plain settings, then the page's whole
    # text, when that finds nothing.
    text = (
        trafilatura.extract(html, favor_precision=True, **options)
        or trafilatura.extract(html, **options)
        or trafilatura.html2txt(html)
        or ""
    )
    if not text.strip():
        raise EmptyInputError(
            "the HTML page has no article text: pass the page's full HTML or its plain text"
        )
    meta = trafilatura.extract_metadata(html)
    return Article(
        text=text,
        title=getattr(meta, "title", None) if meta else None,
        date=getattr(meta, "date", None) if meta else None,
        url=getattr(meta, "url", None) if meta else None,
    )
