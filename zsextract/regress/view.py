"""A regression run as one self-contained HTML page (no external assets)."""

from __future__ import annotations

import html

from .runner import RegressionResult

__all__ = ["render_regression"]

_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #ccc;padding:.3rem .6rem;vertical-align:top;text-align:left}
.same{color:#2a7}.changed,.new{color:#b70}.stale,.error,.no-cassette{color:#c33}
.added{background:#e9f8ee}.removed{background:#fdecec}.changed-row{background:#fff7e0}
code{font-size:.9em}
"""


def render_regression(result: RegressionResult) -> str:
    """The articles, their status and every change, as HTML."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>",
        f"<title>zsextract regress</title><style>{_STYLE}</style></head><body>",
        "<h1>zsextract regress</h1><table><tr><th>article</th><th>status</th></tr>",
    ]
    for a in result.articles:
        parts.append(
            f"<tr><td><a href='#{esc(a.article)}'>{esc(a.article)}</a></td>"
            f"<td class='{a.status}'>{a.status}</td></tr>"
        )
    parts.append("</table>")
    for a in result.articles:
        parts.append(
            f"<h2 id='{esc(a.article)}'>{esc(a.article)} "
            f"<small class='{a.status}'>{a.status}</small></h2>"
        )
        if a.reason:
            parts.append(f"<p>{esc(a.reason)}</p>")
        if a.command:
            parts.append(f"<p>record again: <code>{esc(a.command)}</code></p>")
        if a.changes:
            parts.append("<table><tr><th></th><th>field</th><th>before</th><th>after</th></tr>")
            for c in a.changes:
                row = "changed-row" if c.kind == "changed" else c.kind
                parts.append(
                    f"<tr class='{row}'><td>{c.kind}</td><td>{esc(c.path)}</td>"
                    f"<td>{esc(str(c.before) if c.before is not None else '')}</td>"
                    f"<td>{esc(str(c.after) if c.after is not None else '')}</td></tr>"
                )
            parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)
