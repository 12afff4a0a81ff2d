"""Timeline rules found by the rules backend, on phrasings written for these tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

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


# The grammar of issue 13: events and limits in other orders, chains, report words.


def test_a_limit_set_on_the_event_before_it() -> None:
    (t,) = _timelines("丰源县将工业项目审批时限压缩至15个工作日内，服务效率明显提升。")
    assert (t.kind, _stages(t)) == ("deadline", [(None, "工业项目审批", Decimal("0.75"))])
    assert t.evidence.quote == "工业项目审批时限压缩至15个工作日内"


def test_from_a_to_b_within_n_months() -> None:
    (t,) = _timelines("青山区推动工业项目从拿地到开工不超过3个月。")
    assert _stages(t) == [("拿地", "开工", 3)]
    (t,) = _timelines("從簽約到開工控制在6個月以內。")  # Traditional script, the same grammar
    assert _stages(t) == [("签约", "开工", 6)]


def test_an_obligation_after_the_number() -> None:
    (t,) = _timelines("项目签约后6个月内必须开工。")
    assert _stages(t) == [("签约", "开工", 6)]


def test_a_chain_of_one_unit_and_several_activities() -> None:
    (t,) = _timelines("县里对重点项目实行“一月一调度一通报一督查”。")
    assert _stages(t) == [(None, "调度", 1), (None, "通报", 1), (None, "督查", 1)]
    assert t.code == "一月一调度一通报一督查"


def test_a_list_of_report_words_without_quotes() -> None:
    (t,) = _timelines("建立重点项目周报、月通报、季考评制度。")
    assert _stages(t) == [(None, "报", Decimal("0.25")), (None, "通报", 1), (None, "考评", 3)]


def test_a_limit_already_read_as_a_deadline_is_not_read_twice() -> None:
    (t,) = _timelines("签约后2个月内完成注册。")
    assert _stages(t) == [("签约", "注册", 2)]


def test_what_did_not_happen_within_a_time_is_no_rule() -> None:
    assert _timelines("该项目在近两年内未履约，已依法清退。") == []


def test_a_chain_of_units_without_separators() -> None:
    (t,) = _timelines("园区坚持一月一调度一季一讲评半年一考核，确保进度。")
    assert t.code == "一月一调度一季一讲评半年一考核"
    assert _stages(t) == [(None, "调度", 1), (None, "讲评", 3), (None, "考核", 6)]


def test_reports_of_named_things_are_cadences() -> None:
    (t,) = _timelines("县里建立在谈项目周报、签约项目月報及招商成效季报制度，逐项盯办。")
    assert t.kind == "cadence"
    assert _stages(t) == [
        (None, "在谈项目周报", Decimal("0.25")),
        (None, "签约项目月报", 1),
        (None, "招商成效季报", 3),
    ]
    assert t.evidence.quote == "在谈项目周报、签约项目月報及招商成效季报"


def test_bare_reports_keep_their_period_in_the_name() -> None:
    (t,) = _timelines("推行周报、月报、年报制度。")
    assert [s.to_event for s in t.stages] == ["周报", "月报", "年报"]


def test_a_report_sent_every_month_is_no_list_of_reports() -> None:
    found = _timelines("各乡镇每月报送线索，年报表另行通知。")
    assert [s.to_event for t in found for s in t.stages] == ["报送线索"]


def test_every_few_months_and_every_week() -> None:
    found = _timelines("区长每两个月至少带队外出招商1次，招商专班每个星期碰头一次。")
    assert [_stages(t) for t in found] == [
        [(None, "区长带队外出招商", 2)],
        [(None, "碰头", Decimal("0.25"))],
    ]


def test_the_last_cadence_of_a_chain_before_the_word_for_the_system() -> None:
    (t,) = _timelines("全县建立每周一研判、每月一调度、每季一考核工作机制。")
    assert _stages(t) == [(None, "研判", Decimal("0.25")), (None, "调度", 1), (None, "考核", 3)]


def test_an_unquoted_list_with_review_words() -> None:
    (t,) = _timelines("各园区坚持周盘点、月讲评、季述职，比学赶超。")
    assert _stages(t) == [(None, "盘点", Decimal("0.25")), (None, "讲评", 1), (None, "述职", 3)]


def test_every_half_year_and_every_year_with_a_count() -> None:
    (t,) = _timelines("每半年召开一次全县招商引资工作推进会。")
    assert _stages(t) == [(None, "全县招商引资工作推进会", 6)]
    (t,) = _timelines("每年举办一次丰源县投资贸易洽谈会。")
    assert _stages(t) == [(None, "丰源县投资贸易洽谈会", 12)]


def test_a_yearly_budget_is_no_cadence() -> None:
    assert _timelines("每年安排招商引资专项资金。") == []


def test_a_weekly_thing_is_no_recurring_activity() -> None:
    assert _timelines("平台全面展现各部门每周招商工作推进情况及成效。") == []
    (t,) = _timelines("各乡镇每周报送招商信息。")
    assert _stages(t) == [(None, "报送招商信息", Decimal("0.25"))]


def test_a_limit_cut_from_an_old_one() -> None:
    (t,) = _timelines("工业项目审批时限由60个工作日压缩至30个工作日。")
    assert _stages(t) == [(None, "工业项目审批", Decimal("1.5"))]
    (t,) = _timelines("企业投资项目备案时间压减至5个工作日以内。")
    assert _stages(t) == [(None, "企业投资项目备案", Decimal("0.25"))]


def test_a_minimum_before_the_count_is_no_part_of_the_activity() -> None:
    (t,) = _timelines("各乡镇主要负责人每月外出招商不少于1次。")
    assert _stages(t) == [(None, "主要负责人外出招商", 1)]


def test_a_list_of_cadences_by_year() -> None:
    (t,) = _timelines("对驻外招商专员实行“季度述职、年度考评”。")
    assert _stages(t) == [(None, "述职", 3), (None, "考评", 12)]


def test_when_in_the_period_is_no_part_of_the_activity() -> None:
    (t,) = _timelines("每周一召开招商工作例会。")
    assert _stages(t) == [(None, "招商工作例会", Decimal("0.25"))]
    (t,) = _timelines("每季度末组织一次重点项目观摩。")
    assert _stages(t) == [(None, "重点项目观摩", 3)]
    (t,) = _timelines("每周一次例会。")
    assert _stages(t) == [(None, "例会", Decimal("0.25"))]


def test_every_few_months_inside_a_chain() -> None:
    (t,) = _timelines("实行“一月一对账、两月一调度、一季一考核”。")
    assert _stages(t) == [(None, "对账", 1), (None, "调度", 2), (None, "考核", 3)]


def test_a_milestone_after_the_closing_quote_is_not_the_one_to_reach() -> None:
    (t,) = _timelines("建立“签约后3个月内注册、6个月内开工”的落地机制。")
    assert _stages(t) == [("签约", "注册", 3), ("签约", "开工", 6)]


def test_a_deadline_for_work_that_is_no_milestone() -> None:
    (t,) = _timelines("重大项目签约后15日内召开首次协调会。")
    assert _stages(t) == [("签约", "召开首次协调会", Decimal("0.5"))]
    (t,) = _timelines("做到签约后一周内完成设立登记、三个月内供地。")
    assert _stages(t) == [("签约", "设立登记", Decimal("0.25")), ("签约", "供地", 3)]
    assert _timelines("签约后3个月内各部门要加强服务。") == []


def test_a_condition_on_what_did_not_happen_is_a_rule() -> None:
    (t,) = _timelines("项目签约后12个月内未开工建设的，不予奖励。")
    assert _stages(t) == [("签约", "开工", 12)]
    assert _timelines("该项目在签约后两年内未开工，已依法清退。") == []


def test_a_cadence_for_each_every_in_a_list() -> None:
    stages = [s for t in _timelines("坚持每周报项目、每月商项目、每季赛项目。") for s in _stages(t)]
    assert stages == [(None, "报项目", Decimal("0.25")), (None, "商项目", 1), (None, "赛项目", 3)]


def test_a_yearly_event_is_a_cadence() -> None:
    (t,) = _timelines("一年一度的丰源投资洽谈会，是客商了解丰源的窗口。")
    assert _stages(t) == [(None, "丰源投资洽谈会", 12)]


def test_work_named_by_the_period_it_recurs_in() -> None:
    stages = [s for t in _timelines("考核采用季度通报和年度考核相结合的方式。") for s in _stages(t)]
    assert stages == [(None, "通报", 3), (None, "考核", 12)]
    assert _timelines("对连续两个季度排名靠后的乡镇进行约谈。") == []
    (t,) = _timelines("每季度考核一次。")  # read once, by 每
    assert _stages(t) == [(None, "考核", 3)]


def test_an_obligation_without_within() -> None:
    (t,) = _timelines("项目签约后三个月必须开工。")
    assert _stages(t) == [("签约", "开工", 3)]
    assert _timelines("项目5月必须开工。") == []  # May, not five months
    assert _timelines("力争2025年内建成投产。") == []  # a year, not 2025 years


def test_parts_of_one_sentence_share_its_event() -> None:
    (a, b) = _timelines(
        "项目自签约之日起，使用存量土地的，三个月内必须拿到土地；使用标准厂房的，两个月内必须开工。"
    )
    assert _stages(a) + _stages(b) == [("签约", "拿地", 3), ("签约", "开工", 2)]
    (a, b) = _timelines("项目签约后三个月内拿地。两个月内开工。")
    assert _stages(b) == [(None, "开工", 2)]  # a new sentence does not inherit it


def test_a_termly_unit_that_does_not_end_in_du_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import copy

    from zsextract import datafiles
    from zsextract.readers import timelines

    rules = copy.deepcopy(datafiles.load_data("rules"))
    rules["timelines"]["termly_units"].append("每月")
    real = datafiles.load_data
    monkeypatch.setattr(
        timelines, "load_data", lambda name: rules if name == "rules" else real(name)
    )
    timelines._patterns.cache_clear()
    try:
        with pytest.raises(zsextract.DataFileError, match="termly_units"):
            timelines._patterns()
    finally:
        timelines._patterns.cache_clear()
