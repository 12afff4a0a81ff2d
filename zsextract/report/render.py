"""A report as one self-contained HTML page: the article with every evidence span
highlighted and coloured by kind, the checks the report raised, tables of the items,
and the provenance.

Clicking a span shows its item in the tables, clicking a row highlights its spans,
clicking a check highlights the items it involves, hovering a span names its items.
No external assets: the CSS and the few lines of JavaScript are inline, so the file
opens offline and can be mailed.

Overlapping evidence is split at every boundary: each ``<mark>`` is one piece of text
with ``data-start``/``data-end`` (offsets into ``source.text``) and ``data-items`` (the
items whose evidence covers it).
"""

from __future__ import annotations

import html
import itertools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .parts import PARTS

if TYPE_CHECKING:  # the schema imports this module for PromotionReport._repr_html_
    from .schema import PromotionReport

__all__ = ["Highlight", "highlight_article", "render_report", "report_fragment"]

KINDS = {"metric": "#cfe3ff", "mechanism": "#d4f5dc", "timeline": "#ffe2c2", "project": "#ecdcff"}

STYLE = """
.zsx{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#222;
 max-width:1100px}
.zsx .article{white-space:pre-wrap;line-height:1.9;border:1px solid #ddd;padding:1rem;
 border-radius:6px;background:#fcfcfc}
.zsx mark{border-radius:3px;padding:0 1px;cursor:pointer;color:inherit}
.zsx mark.metric{background:#cfe3ff}.zsx mark.mechanism{background:#d4f5dc}
.zsx mark.timeline{background:#ffe2c2}.zsx mark.project{background:#ecdcff}
.zsx mark.on,.zsx tr.on{outline:2px solid #d33}
.zsx table{border-collapse:collapse;margin:.4rem 0 1.2rem;font-size:.92em}
.zsx td,.zsx th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
.zsx tr[data-item],.zsx tr[data-refs]{cursor:pointer}
.zsx .checks td{background:#fff4f4}
.zsx .legend span{padding:0 .4rem;margin-right:.5rem;border-radius:3px}
.zsx h2{font-size:1.1em;margin:1.2rem 0 .3rem}
"""

SCRIPT = """
(function(root){
  if(!root){return;}
  function marks(id){return root.querySelectorAll('mark[data-items~="'+id+'"]');}
  function clear(){root.querySelectorAll('.on').forEach(function(e){e.classList.remove('on');});}
  root.querySelectorAll('mark[data-items]').forEach(function(m){
    m.addEventListener('click',function(){
      clear();
      var ids=m.getAttribute('data-items').split(' ');
      ids.forEach(function(id){
        var row=root.querySelector('tr[data-item="'+id+'"]');
        if(row){row.classList.add('on');}
        marks(id).forEach(function(x){x.classList.add('on');});
      });
      var first=root.querySelector('tr[data-item="'+ids[0]+'"]');
      if(first&&first.scrollIntoView){first.scrollIntoView({block:'center'});}
    });
  });
  root.querySelectorAll('tr[data-refs]').forEach(function(row){
    row.addEventListener('click',function(){
      clear(); row.classList.add('on');
      row.getAttribute('data-refs').split(' ').forEach(function(id){
        var item=root.querySelector('tr[data-item="'+id+'"]');
        if(item){item.classList.add('on');}
        marks(id).forEach(function(x){x.classList.add('on');});
      });
    });
  });
  root.querySelectorAll('tr[data-item]').forEach(function(row){
    row.addEventListener('click',function(){
      clear(); row.classList.add('on');
      var ms=marks(row.getAttribute('data-item'));
      ms.forEach(function(x){x.classList.add('on');});
      if(ms.length&&ms[0].scrollIntoView){ms[0].scrollIntoView({block:'center'});}
    });
  });
})(document.getElementById(%s));
"""


@dataclass(frozen=True)
class Highlight:
    """One item's evidence to highlight: an id, a kind and a label for hovering."""

    item: str
    kind: str
    start: int
    end: int
    label: str


def highlight_article(text: str, highlights: list[Highlight]) -> str:
    """``text`` as HTML with every highlight marked, overlaps split at boundaries."""
    cuts = sorted({0, len(text), *(h.start for h in highlights), *(h.end for h in highlights)})
    pieces = []
    for a, b in itertools.pairwise(cuts):
        covering = [h for h in highlights if h.start <= a and b <= h.end and h.start < h.end]
        chunk = html.escape(text[a:b])
        if not covering:
            pieces.append(chunk)
            continue
        inner = min(covering, key=lambda h: h.end - h.start)  # the most specific colour
        ids = " ".join(h.item for h in covering)
        title = html.escape(" | ".join(h.label for h in covering), quote=True)
        pieces.append(
            f'<mark class="{inner.kind}" data-items="{ids}" data-start="{a}" data-end="{b}" '
            f'title="{title}">{chunk}</mark>'
        )
    return "".join(pieces)


def _row(item: str, cells: list[Any]) -> str:
    tds = "".join(f"<td>{html.escape('' if c is None else str(c))}</td>" for c in cells)
    return f'<tr data-item="{item}">{tds}</tr>'


def _table(title: str, head: tuple[str, ...], rows: list[str]) -> str:
    if not rows:
        return f"<h2>{title}</h2><p>none</p>"
    ths = "".join(f"<th>{h}</th>" for h in head)
    return f"<h2>{title} ({len(rows)})</h2><table><tr>{ths}</tr>{''.join(rows)}</table>"


def _items(report: PromotionReport) -> tuple[list[Highlight], str]:
    highlights: list[Highlight] = []
    tables = []
    for part in PARTS:
        for n, item in enumerate(part.items(report)):
            ev = item.evidence
            highlights.append(
                Highlight(f"{part.prefix}{n}", part.kind, ev.start, ev.end, part.describe(item))
            )
        rows = [
            _row(f"{part.prefix}{n}", [row[c] for c in part.shown])
            for n, _, row in part.rows(report)
        ]
        tables.append(_table(part.title, part.shown, rows))
    return highlights, "".join(tables)


def _checks(report: PromotionReport) -> str:
    """The checks the report raised; clicking one marks the items it involves."""
    if not report.checks:
        return ""
    prefixes = {part.field: part.prefix for part in PARTS}
    rows = []
    for check in report.checks:
        refs = []
        for item in check.items:  # metrics[3] -> m3
            field, _, rest = item.partition("[")
            if field in prefixes and rest[:-1].isdigit():
                refs.append(f"{prefixes[field]}{rest[:-1]}")
        cells = [check.kind, check.message, " ".join(check.items)]
        tds = "".join(f"<td>{html.escape(c)}</td>" for c in cells)
        rows.append(f'<tr data-refs="{" ".join(refs)}">{tds}</tr>')
    head = "".join(f"<th>{h}</th>" for h in ("kind", "message", "items"))
    return (
        f'<h2>Checks ({len(rows)})</h2><table class="checks"><tr>{head}</tr>{"".join(rows)}</table>'
    )


def _provenance(report: PromotionReport) -> str:
    if report.provenance is None:
        return ""
    data = report.provenance.model_dump(mode="json", exclude_none=True)
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th>"
        f"<td>{html.escape(json.dumps(v, ensure_ascii=False))}</td></tr>"
        for k, v in data.items()
        if v not in ([], {})
    )
    return f"<h2>Provenance</h2><table>{rows}</table>"


def report_fragment(report: PromotionReport, root_id: str = "zsx-report") -> str:
    """The report as an HTML fragment (style and script inline) for notebooks and pages."""
    highlights, tables = _items(report)
    legend = "".join(f'<span style="background:{c}">{k}</span>' for k, c in KINDS.items())
    source = report.source
    heading = html.escape(source.title or source.path or "article")
    facts = " · ".join(html.escape(x) for x in (report.region, report.period) if x)
    return (
        f'<div class="zsx" id="{root_id}"><style>{STYLE}</style>'
        f'<h1>{heading}</h1><p>{facts}</p><p class="legend">{legend}</p>'
        f'<div class="article">{highlight_article(source.text, highlights)}</div>'
        f"{tables}{_checks(report)}{_provenance(report)}"
        f"<script>{SCRIPT % json.dumps(root_id)}</script></div>"
    )


def render_report(report: PromotionReport) -> str:
    """The report as one self-contained HTML page."""
    title = html.escape(report.source.title or report.source.path or "zsextract report")
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body>{report_fragment(report)}</body></html>"
    )
