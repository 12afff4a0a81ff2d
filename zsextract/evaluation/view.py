"""``zsextract eval --html``: gold against prediction, article by article.

Matched, missed (gold only) and spurious (prediction only) items side by side, and the
article with the gold quotes and the predicted quotes highlighted. One self-contained
page; the totals are also in ``#zsx-eval[data-summary]`` for scripts.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..report.gold import GoldDoc
from ..report.render import STYLE, Highlight, highlight_article
from .scoring import PARTS, EvalResult

__all__ = ["render_eval"]

_EXTRA = """
.zsx mark.gold{background:#fff1a8}.zsx mark.pred{background:#cfe3ff}
.zsx td.matched{color:#1a7f37}.zsx td.missed{color:#b35900}.zsx td.spurious{color:#c62828}
.zsx section.doc{border-top:2px solid #ddd;margin-top:1.5rem}
"""


def _describe(part: str, item: Any) -> str:
    if part == "metrics":
        return f"{item.name}: {item.value:g} {item.unit} ({item.qualifier})"
    if part == "timelines":
        kind, stage = item
        n = stage.months if kind == "deadline" else stage.every_months
        return f"{kind}: {stage.from_event or '·'} → {stage.to_event} ({n})"
    if part == "projects":
        return str(item.name) + (f" / {item.investor}" if item.investor else "")
    return str(item)


def _rows(
    part: str, gold: list[Any], pred: list[Any], pairs: list[tuple[int, int]]
) -> list[tuple[str, str, str]]:
    matched_g = {j for _, j in pairs}
    matched_p = {i for i, _ in pairs}
    rows = [("matched", _describe(part, gold[j]), _describe(part, pred[i])) for i, j in pairs]
    rows += [("missed", _describe(part, g), "") for j, g in enumerate(gold) if j not in matched_g]
    rows += [("spurious", "", _describe(part, p)) for i, p in enumerate(pred) if i not in matched_p]
    return rows


def _stages(doc: GoldDoc) -> list[tuple[str, Any]]:
    return [(t.kind, s) for t in doc.timelines for s in t.stages]


def _quotes(doc: GoldDoc) -> list[str]:
    return [q for q in [m.quote for m in doc.metrics] + [t.quote for t in doc.timelines] if q]


def _find(text: str, quotes: list[str], kind: str) -> list[Highlight]:
    out = []
    for n, quote in enumerate(quotes):
        at = text.find(quote)
        if at != -1:
            out.append(Highlight(f"{kind}{n}", kind, at, at + len(quote), f"{kind}: {quote}"))
    return out


def render_eval(
    result: EvalResult,
    golds: dict[str, GoldDoc],
    preds: dict[str, GoldDoc],
    articles: dict[str, str],
) -> str:
    totals = {"matched": 0, "missed": 0, "spurious": 0}
    sections = []
    for doc_score in result.docs:
        key = next(k for k, g in golds.items() if g.doc == doc_score.doc)
        gold = golds[key]
        pred = preds.get(key) or GoldDoc(doc=gold.doc)
        tables = []
        for part in PARTS:
            if part == "mechanisms":
                g_set, p_set = set(gold.mechanisms), set(pred.mechanisms)
                rows = [("matched", c, c) for c in sorted(g_set & p_set)]
                rows += [("missed", c, "") for c in sorted(g_set - p_set)]
                rows += [("spurious", "", c) for c in sorted(p_set - g_set)]
            elif part == "timelines":
                rows = _rows(part, _stages(gold), _stages(pred), doc_score.matches["timelines"])
            else:
                rows = _rows(
                    part, getattr(gold, part), getattr(pred, part), doc_score.matches[part]
                )
            for status, *_ in rows:
                totals[status] += 1
            body = "".join(
                f'<tr><td class="{s}">{s}</td><td>{html.escape(g)}</td>'
                f"<td>{html.escape(p)}</td></tr>"
                for s, g, p in rows
            )
            score = doc_score.parts[part]
            tables.append(
                f"<h3>{part}: P {score.precision:.2f} · R {score.recall:.2f} · "
                f"F1 {score.f1:.2f}</h3>"
                f"<table><tr><th></th><th>gold</th><th>prediction</th></tr>{body}</table>"
            )
        text = articles.get(key, "")
        marked = (
            highlight_article(
                text, _find(text, _quotes(gold), "gold") + _find(text, _quotes(pred), "pred")
            )
            if text
            else "<p>(article text not given)</p>"
        )
        sections.append(
            f'<section class="doc"><h2>{html.escape(gold.doc)}</h2>'
            f'<p class="legend"><mark class="gold">gold quote</mark> '
            f'<mark class="pred">predicted quote</mark></p>'
            f'<div class="article">{marked}</div>{"".join(tables)}</section>'
        )
    parts = " · ".join(f"{p} F1 {result.parts[p].f1:.3f}" for p in PARTS)
    summary = html.escape(json.dumps(totals), quote=True)
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>zsextract eval</title>'
        f'</head><body><div class="zsx" id="zsx-eval" data-summary="{summary}">'
        f"<style>{STYLE}{_EXTRA}</style><h1>zsextract eval</h1><p>{parts} · "
        f"mean F1 {result.mean_f1:.3f}</p>{''.join(sections)}</div></body></html>"
    )
