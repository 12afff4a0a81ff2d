"""Timeline rules found by the rules backend, on phrasings written for these tests."""

from __future__ import annotations

from decimal import Decimal

import zsextract


def _timelines(text: str) -> list[zsextract.Timeline]:
    report = zsextract.extract(text)
    for t in report.timelines:
        assert report.source.text[t.evidence.start : t.evidence.end] == t.evidence.quote
    return report.timelines


def _stages(t: zsextract.Timeline) -> list[tuple[str | None, str, Decimal | None]]:
    return [(s.from_event, s.to_event, s.months or s.every_months) for s in t.stages]


def test_deadline_code_with_its_stages() -> None:
    (t,) = _timelines(
        "全区推行项目落地“3612”机制：项目签约后3个月内完成注册，6个月内开工建设，开工后12个月内实现投产。"
    )
    assert (t.kind, t.code) == ("deadline", "3612")
    assert _stages(t) == [("签约", "注册", 3), ("签约", "开工", 6), ("开工", "投产", 12)]


def test_deadline_in_weeks_and_traditional_script() -> None:
    (t,) = _timelines("對簽約項目實行清單管理，簽約後2周內完成註冊，開工後6個月內納統入庫。")
    assert _stages(t) == [("签约", "注册", Decimal("0.5")), ("开工", "入库", 6)]
    assert t.code is None


def test_no_invented_stages_from_a_bare_code() -> None:
    assert _timelines("全市推行“26211”管理机制，项目建设提速明显。") == []


def test_enumerated_cadence_keeps_the_text_as_code() -> None:
    (t,) = _timelines("县里实行“一周一调度、一月一通报、一季一考评”制度，压实责任。")
    assert t.kind == "cadence" and t.code == "一周一调度、一月一通报、一季一考评"
    assert _stages(t) == [(None, "调度", Decimal("0.25")), (None, "通报", 1), (None, "考评", 3)]


def test_every_period_with_count_and_role() -> None:
    timelines = _timelines("各园区主要负责人每月带队外出招商2次以上，招商局每季度召开项目推进会。")
    assert [_stages(t) for t in timelines] == [
        [(None, "主要负责人带队外出招商", Decimal("0.5"))],
        [(None, "项目推进会", 3)],
    ]


def test_rates_are_not_cadences() -> None:
    assert _timelines("开发区每月新增企业10家，每月引进项目3个。") == []
