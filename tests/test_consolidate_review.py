"""The hostile review of the consolidation (issue 15): each finding as a test, on
sentences written for it. Each was seen failing without its fix."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zsextract
from zsextract.cli import app
from zsextract.dataset import CopyFinder, agreement, plot_series, series
from zsextract.dataset.copies import similar
from zsextract.errors import OutputError

SERIES = Path(__file__).resolve().parent.parent / "examples" / "series"


def _report(text: str, published: str, **meta: str) -> zsextract.PromotionReport:
    return zsextract.extract(text, metadata={"publish_date": published, **meta})


def _fold(*docs: tuple[str, zsextract.PromotionReport]) -> zsextract.Consolidation:
    return zsextract.consolidate(list(docs), copies=False)


def test_the_ray_estimate_of_similarity_is_the_local_one() -> None:
    finder = CopyFinder()
    a = (SERIES / "tongchuan_2024_h1.txt").read_text("utf-8")
    b = a.replace("围绕新能源、新材料两条产业链精准招商", "聚焦主导产业开展精准招商")
    sa, sb = finder.signature(a), finder.signature(b)
    as_bytes = finder.signature_bytes
    assert similar(as_bytes(sa), as_bytes(sb)) == sa.jaccard(sb) < 0.9


def test_reports_without_a_place_or_with_a_name_of_several_places_do_not_meet() -> None:
    a = _report("1—6月，全市招商引资实际到位资金132.7亿元。", "2024-07-10")
    b = _report("1—6月，全市招商引资实际到位资金88.4亿元。", "2024-07-12")
    assert a.region is None and _fold(("a", a), ("b", b)).conflicts == []
    wuhan = _report("青山区2024年上半年\n1—6月，青山区到位资金32.7亿元。", "2024-07-10")
    baotou = _report("青山区2024年上半年\n1—6月，青山区到位资金18.4亿元。", "2024-07-12")
    assert wuhan.region == "青山区" and wuhan.region_code is None  # in several cities
    assert _fold(("wuhan", wuhan), ("baotou", baotou)).conflicts == []
    # a name the gazetteer does not know (a zone, a new district) is a place
    one = _report("桐川新区2024年上半年\n1—6月，桐川新区到位资金32.7亿元。", "2024-07-10")
    two = _report("桐川新区2024年上半年\n1—6月，桐川新区到位资金18.4亿元。", "2024-07-12")
    assert len(_fold(("one", one), ("two", two)).conflicts) == 1


def test_figures_without_months_meet_only_their_own_article() -> None:
    text = "桐川市招商引资成效显著\n桐川市新签约项目{n}个。"
    may = _report(text.format(n=61), "2023-05-10")
    august = _report(text.format(n=70), "2024-08-10")
    assert may.metrics[0].interval is None
    assert _fold(("may", may), ("august", august)).conflicts == []


def test_running_figures_to_the_publish_date_meet_only_their_copies() -> None:
    now = _report("桐川市招商引资取得新进展\n截至目前，桐川市到位资金205亿元。", "2024-10-17")
    month_end = _report("桐川市10月招商\n截至10月底，桐川市到位资金215亿元。", "2024-11-05")
    assert _fold(("now", now), ("end", month_end)).conflicts == []
    # a repost a day later, whose original had a date line, is the same figure
    body = (
        "桐川市招商引资取得新进展\n{line}截至目前，桐川市到位资金205.3亿元。全市坚持招大引强，"
        "围绕新能源、新材料两条产业链开展精准招商，推动签约项目早落地、早投产、早见效。"
        "下一步，全市将实行重点项目一月一调度、一季一通报，市领导带队赴长三角、珠三角"
        "开展驻点招商，力争引进更多延链补链强链项目。"
    )
    original = _report(body.format(line="2024年10月17日\n"), "2024-10-17")
    repost = _report("首页 > 要闻\n" + body.format(line=""), "2024-10-18")
    result = zsextract.consolidate([("original", original), ("repost", repost)])
    assert result.copies == [["original", "repost"]]
    (fact,) = result.facts
    assert [s.doc_id for s in fact.sources] == ["original", "repost"]
    assert fact.as_of == "2024-10-17"
    # 今年以来 in mid-October is not 1—10月
    since = _report("桐川市招商引资再创佳绩\n今年以来，桐川市到位资金205亿元。", "2024-10-17")
    october = _report("桐川市2024年1—10月简报\n1—10月，桐川市到位资金215亿元。", "2024-11-10")
    assert _fold(("since", since), ("october", october)).conflicts == []


def test_the_most_precise_figure_is_the_one_with_most_digits() -> None:
    assert agreement([(Decimal(480), "exact"), (Decimal("484.5"), "approx")]) == ("rounding", 1)


def test_a_lower_and_an_upper_bound_at_one_value_conflict() -> None:
    assert agreement([(Decimal(300), "lower_bound"), (Decimal(300), "upper_bound")])[0] == (
        "conflict"
    )
    assert agreement([(Decimal(300), "lower_bound"), (Decimal(300), "lower_bound")])[0] == "same"


def test_no_increment_is_derived_from_a_bound() -> None:
    meta = {"region": "桐川市"}
    june = _report("2024年1—6月，桐川市到位资金突破130亿元。", "2024-07-10", **meta)
    july = _report("2024年1—7月，桐川市到位资金158.2亿元。", "2024-08-10", **meta)
    points = series(_fold(("june", june), ("july", july)).facts)
    assert [p.qualifier for p in points if p.kind == "cumulative"] == ["lower_bound", "exact"]
    assert [p for p in points if p.kind == "increment"] == []


def test_a_farm_of_near_copies_keeps_the_index_small() -> None:
    base = (SERIES / "tongchuan_2024_q3.txt").read_text("utf-8") * 3
    finder = CopyFinder()
    for n in range(300):  # each differs in a few characters: similar, not identical
        finder.add(f"d{n}", base.replace("全市", f"全{n}市", 1).replace("88个", f"{n}个"))
    assert len(finder.groups()) == 1
    assert finder.indexed() <= 8


def test_a_place_is_plotted_by_its_name_when_its_code_is_known() -> None:
    texts = {
        "june": "铜川市2024年1—6月招商引资简报\n1—6月，全市招商引资实际到位资金132.7亿元。",
        "july": "铜川市2024年1—7月招商引资简报\n1—7月，全市招商引资实际到位资金158.2亿元。",
    }
    reports = [(k, _report(t, "2024-08-05")) for k, t in texts.items()]
    assert reports[0][1].region_code is not None
    points = zsextract.consolidate(reports).series()
    figure = plot_series(points, "铜川市")
    assert any("cumulative" in trace.name for trace in figure.data)


def test_each_year_is_its_own_line() -> None:
    meta = {"region": "桐川市"}
    reports = [
        ("y23", _report("2023年，桐川市到位资金250亿元。", "2024-01-10", **meta)),
        ("q1", _report("2024年1—3月，桐川市到位资金60亿元。", "2024-04-10", **meta)),
        ("h1", _report("2024年1—6月，桐川市到位资金130亿元。", "2024-07-10", **meta)),
    ]
    figure = plot_series(zsextract.consolidate(reports).series(), "桐川市")
    lines = [t for t in figure.data if "cumulative" in t.name]
    assert sorted(len(t.x) for t in lines) == [1, 2]
    assert not any("monthly" in t.name for t in figure.data)


def test_a_text_too_short_to_compare_is_no_copy() -> None:
    finder = CopyFinder()
    for doc_id, text in [("empty", ""), ("punct", "，。！？"), ("latin", "Hello world")]:
        finder.add(doc_id, text)
    assert finder.groups() == [["empty"], ["punct"], ["latin"]]


def test_a_figure_too_large_for_parquet_is_a_clear_error(tmp_path: Path) -> None:
    report = _report("2024年1—6月，全市到位资金20000000000亿元。", "2024-07-10")
    result = zsextract.consolidate([("big", report)])
    with pytest.raises(OutputError, match="does not fit Parquet"):
        result.write(tmp_path / "facts.parquet")
    assert result.write(tmp_path / "facts.csv") == 1  # CSV keeps every digit


def _line(doc_id: str, report: zsextract.PromotionReport, **extra: object) -> str:
    row = {"id": doc_id, "status": "ok", "report": report.model_dump(mode="json"), **extra}
    return json.dumps(row, ensure_ascii=False) + "\n"


def test_the_cli_says_which_lines_it_left_out(tmp_path: Path) -> None:
    report = _report("2024年1—6月，桐川市到位资金130亿元。", "2024-07-10")
    good = tmp_path / "a.jsonl"
    good.write_text(
        _line("a", report)
        + "[1, 2]\n"
        + json.dumps({"id": "gone", "status": "error", "error": {}})
        + "\n"
        + '{"id": "half", "status": "ok", "rep',
        "utf-8",
    )
    runner = CliRunner()
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["consolidate", str(good), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"skipped {good}:2: not a batch line" in result.output
    assert f"skipped {good}:4: not JSON" in result.output
    assert "left out 1 documents that failed" in result.output
    # the output must not be an input
    same = runner.invoke(app, ["consolidate", str(good), "-o", str(good)])
    assert same.exit_code == 2 and "is an input" in same.output
    # an id in two files names both
    other = tmp_path / "b.jsonl"
    other.write_text(_line("a", report), "utf-8")
    twice = runner.invoke(app, ["consolidate", str(good), str(other), "-o", str(out)])
    assert twice.exit_code == 2 and str(good) in twice.output and str(other) in twice.output
    # facts given as input are no reports
    facts = tmp_path / "facts.jsonl"
    zsextract.consolidate([("a", report)]).write(facts)
    none = runner.invoke(app, ["consolidate", str(facts), "-o", str(out)])
    assert none.exit_code == 2 and "no reports in" in none.output


def test_one_article_states_a_figure_twice_only_when_rounding_keeps_three_digits() -> None:
    from zsextract.dataset import statements

    title = "桐川市1—9月签约金额9433亿元\n1—9月，桐川市签约金额9433.27亿元。"
    twice = _report(title, "2024-10-10", region="桐川市")
    assert len({s.cluster for s in statements(0, "t", twice)}) == 1
    listed = "桐川市2024年1—9月\n1—9月，桐川市签约项目1400个。\n1—9月，桐川市签约项目1407个。"
    two = _report(listed, "2024-10-10", region="桐川市")
    assert len(two.metrics) == 2
    assert len({s.cluster for s in statements(0, "l", two)}) == 2
