"""The HTML evidence view in a real headless Chromium (Debian's, started by the tests,
with no network): no console errors, spans exactly where the offsets say, clicks that
link spans and rows, and a screenshot."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import zsextract
from zsextract.report.render import render_report

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# CI installs Chromium (.ci/run): there the browser tests never skip
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is not installed"
)
playwright_api = pytest.importorskip("playwright.sync_api")

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, html_path: Path):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1200, "height": 1600})
    problems: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def guard(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(html_path.as_uri())
    return page, problems, outside


def test_report_page(browser, tmp_path: Path) -> None:
    article = ROOT / "tests" / "data" / "articles" / "a02_zone_traditional.txt"
    report = zsextract.extract(article.read_text("utf-8"), path=article.name)
    page_path = tmp_path / "report.html"
    page_path.write_text(render_report(report), "utf-8")
    page, problems, outside = _open(browser, page_path)

    marks = page.eval_on_selector_all(
        "mark[data-items]",
        "ms => ms.map(m => [m.dataset.start, m.dataset.end, m.textContent, m.dataset.items])",
    )
    text = report.source.text
    assert marks
    for start, end, shown, _ in marks:
        assert shown == text[int(start) : int(end)]  # the raw text, glosses and all
    items = {f"m{i}": m.evidence for i, m in enumerate(report.metrics)}
    items |= {f"p{i}": p.evidence for i, p in enumerate(report.projects)}
    for item, evidence in items.items():
        pieces = [shown for _, _, shown, ids in marks if item in ids.split()]
        assert "".join(pieces) == evidence.quote, item

    first = page.locator('mark[data-items~="m0"]').first
    first.click()
    assert "on" in page.locator('tr[data-item="m0"]').get_attribute("class")
    page.locator('tr[data-item="p0"]').click()
    assert "on" in page.locator('mark[data-items~="p0"]').first.get_attribute("class")

    # numbers as people write them (issue 18): the metrics table's display column
    heads = page.eval_on_selector_all("table:first-of-type th", "hs => hs.map(h => h.textContent)")
    shown = page.eval_on_selector_all(
        f'tr[data-item^="m"] td:nth-child({heads.index("display") + 1})',
        "cells => cells.map(c => c.textContent)",
    )
    assert shown and shown[0] == report.metrics[0].quantity.display
    assert all(re.fullmatch(r"-?[\d.]+(?:-[\d.]+)?\D+", cell) for cell in shown), shown
    assert not any("e+" in cell or "CNY" in cell for cell in shown)

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert problems == [] and outside == []
    page.close()


def test_checks_link_to_their_metrics(browser, tmp_path: Path) -> None:
    text = "1—6月，全县新签约项目61个，其中工业项目67个。"
    report = zsextract.extract(text)
    ((check,),) = [report.checks]
    page_path = tmp_path / "checks.html"
    page_path.write_text(render_report(report), "utf-8")
    page, problems, outside = _open(browser, page_path)
    row = page.locator("table.checks tr[data-refs]")
    assert row.count() == 1 and check.message in row.inner_text()
    assert row.get_attribute("data-refs") == "m0 m1"
    row.click()
    for item in ("m0", "m1"):
        assert "on" in page.locator(f'tr[data-item="{item}"]').get_attribute("class")
        assert "on" in page.locator(f'mark[data-items~="{item}"]').first.get_attribute("class")
    assert problems == [] and outside == []
    page.close()


def test_eval_page(browser, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from zsextract.cli import app

    data = ROOT / "tests" / "data"
    out = tmp_path / "eval.html"
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "--gold",
            str(data / "gold"),
            "--corpus",
            str(data / "articles"),
            "-b",
            "rules",
            "--html",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    page, problems, outside = _open(browser, out)
    summary = json.loads(page.eval_on_selector("#zsx-eval", "e => e.dataset.summary"))
    assert set(summary) == {"matched", "missed", "spurious"} and summary["matched"] > 50
    assert page.locator("section.doc").count() == 4
    assert page.locator("mark.gold").count() > 0 and page.locator("mark.pred").count() > 0
    page.screenshot(path=str(tmp_path / "eval.png"), full_page=True)
    assert problems == [] and outside == []
    page.close()


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True)
    return bool(found.stdout.strip())


def test_chinese_is_drawn_as_glyphs_not_boxes(browser) -> None:
    """The screenshots show Chinese: two different characters draw differently, and
    unlike a code point no font has (boxes would all look the same)."""
    if not _has_cjk_font() and not os.environ.get("CI"):
        pytest.skip("no CJK font (Debian: fonts-noto-cjk; .ci/run installs it)")
    page = browser.new_page()
    page.set_content('<canvas id="c" width="48" height="48"></canvas>')
    drawn = page.evaluate(
        r"""() => {
          const c = document.getElementById("c").getContext("2d");
          c.font = '36px "Noto Sans CJK SC", sans-serif';
          return ["招", "商", "\u{F0000}"].map((t) => {
            c.clearRect(0, 0, 48, 48);
            c.fillText(t, 4, 40);
            return Array.from(c.getImageData(0, 0, 48, 48).data).join(",");
          });
        }"""
    )
    page.close()
    zhao, shang, missing = drawn
    assert len({zhao, shang, missing}) == 3, "Chinese characters are drawn as boxes"
