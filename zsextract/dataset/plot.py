"""A place's series as an interactive Plotly figure: cumulative figures as lines (one
per year), stated period figures as points, derived increments (of one month or more)
as hatched bars; hovering a point shows
its value as written and the documents and addresses it comes from. One panel per unit
(money in 亿元, counts, percentages). ``write_plot`` saves one self-contained HTML file
(Plotly's JavaScript inline, no network needed to open it).
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError, OutputError
from .series import SeriesPoint

__all__ = ["plot_series", "write_plot"]

#: how each unit is drawn: divisor and axis title
_AXES = {
    "CNY": (Decimal(100_000_000), "亿元"),
    "USD": (Decimal(100_000_000), "亿美元"),
    "count": (Decimal(1), "个"),
    "percent": (Decimal(1), "%"),
}
_MAX_SOURCES_SHOWN = 5


def _plotly() -> Any:
    try:
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots
    except ImportError:
        raise ConfigurationError('plots need Plotly: pip install "zsextract[dataset]"') from None
    return go, make_subplots


def _hover(point: SeriesPoint, shown: str) -> str:
    sources = list(point.addresses or point.documents)
    more = len(sources) - _MAX_SOURCES_SHOWN
    lines = [html.escape(s) for s in sources[:_MAX_SOURCES_SHOWN]]
    if more > 0:
        lines.append(f"… and {more} more")
    label = "derived increment" if point.derived else point.kind
    return (
        f"{html.escape(point.measure)} {point.period_start}..{point.period_end}<br>"
        f"{shown} ({label})<br>" + "<br>".join(lines)
    )


def plot_series(points: Iterable[SeriesPoint], place: str | None = None, title: str = "") -> Any:
    """A Plotly figure of the series of ``place`` (its division code, its name or a
    subject), or of every place when ``place`` is None."""
    go, make_subplots = _plotly()
    chosen = [p for p in points if place is None or place in (p.place, p.region, p.subject)]
    if not chosen:
        raise ValueError(f"no series point for place {place!r}")
    units = list(dict.fromkeys(p.unit for p in chosen))
    fig = make_subplots(
        rows=len(units),
        cols=1,
        shared_xaxes=True,
        subplot_titles=[_AXES.get(u, (1, u))[1] for u in units],
    )
    for row, unit in enumerate(units, start=1):
        divisor, axis = _AXES.get(unit, (Decimal(1), unit))
        lines: dict[tuple[Any, ...], list[SeriesPoint]] = {}
        for p in chosen:  # one line per year: a year's cumulative figures start again
            if p.unit == unit:
                line = (p.region or p.place, p.subject, p.measure, p.scope, p.kind)
                lines.setdefault((*line, p.period_end[:4]), []).append(p)
        for (where, subject, measure, scope, kind, year), run in lines.items():
            run.sort(key=lambda p: (p.period_end, p.period_start))
            named = (where if place is None else None, subject, measure, scope, year)
            name = " ".join(x for x in named if x)
            xs = [p.period_end for p in run]
            ys = [float(p.value / divisor) for p in run]
            hover = [_hover(p, f"{p.value / divisor:g}{axis}") for p in run]
            common = {"x": xs, "y": ys, "hovertext": hover, "hoverinfo": "text"}
            if kind == "increment":
                trace = go.Bar(
                    name=f"{name} (increment, derived)",
                    marker={"pattern": {"shape": "/"}, "opacity": 0.5},
                    **common,
                )
            elif kind == "cumulative":
                trace = go.Scatter(name=f"{name} (cumulative)", mode="lines+markers", **common)
            else:
                trace = go.Scatter(name=f"{name} (period)", mode="markers", **common)
            fig.add_trace(trace, row=row, col=1)
        fig.update_yaxes(title_text=axis, row=row, col=1)
    fig.update_xaxes(type="category", categoryorder="category ascending")
    fig.update_layout(
        title=title or (place or ""), height=320 * len(units) + 120, hovermode="closest"
    )
    return fig


def write_plot(figure: Any, path: str | os.PathLike[str]) -> None:
    """Write ``figure`` as one self-contained HTML file (Plotly's JavaScript inline)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        figure.write_html(partial, include_plotlyjs=True, full_html=True)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OutputError(f"cannot write the plot ({exc.strerror or exc})", path=path) from exc
