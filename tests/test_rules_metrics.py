"""Metrics found by the rules backend, on phrasings written for these tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

import zsextract


def _metrics(text: str) -> list[tuple[str, Decimal, str, str, str | None]]:
    report = zsextract.extract(text)
    for m in report.metrics:
        assert report.source.text[m.evidence.start : m.evidence.end] == m.evidence.quote
    return [
        (m.name, m.quantity.value, m.quantity.unit, m.quantity.qualifier.value, m.period)
        for m in report.metrics
    ]


def test_names_values_and_period() -> None:
    assert _metrics("前三季度，全县实际到位资金56.2億元，同比增長9.8%；新簽約項目31個。") == [
        ("实际到位资金", Decimal("5620000000"), "CNY", "exact", "前三季度"),
        ("实际到位资金同比增长", Decimal("9.8"), "percent", "exact", "前三季度"),  # what grew
        ("新签约项目", Decimal("31"), "count", "exact", "前三季度"),
    ]


def test_threshold_in_a_category_is_not_a_metric() -> None:
    got = _metrics("今年以来，新签约5亿元以上项目12个，引进投资1-5亿元项目20个。")
    assert [(v, u) for _, v, u, _, _ in got] == [(Decimal("12"), "count"), (Decimal("20"), "count")]


def test_counts_with_qualifiers_stay() -> None:
    got = _metrics("上半年走访客商60余家，带动配套企业30多家落户。")
    assert [(v, q) for _, v, _, q, _ in got] == [
        (Decimal("60"), "lower_bound"),
        (Decimal("30"), "lower_bound"),
    ]


def test_dates_ordinals_physical_and_vague_counts_are_skipped() -> None:
    got = _metrics(
        "2024年3月，第五届博览会在园区举行，一批项目集中签约，年产20万吨项目开工，签约项目8个。"
    )
    assert [(v, u) for _, v, u, _, _ in got] == [(Decimal("8"), "count")]


def test_region_period_scope_and_subject() -> None:
    report = zsextract.extract(
        "白河县上半年招商引资稳步推进\n"
        "上半年，白河县新签约项目26个，到位资金18.4亿元，其中制造业项目到位资金11.2亿元。"
        "我县还组织招商活动9场。"
    )
    assert (report.region, report.period) == ("白河县", "上半年")
    funds = [m for m in report.metrics if m.quantity.unit == "CNY"]
    assert [(m.scope, m.subject) for m in funds] == [(None, "白河县"), ("制造业项目", "白河县")]
    assert report.metrics[-1].subject is None  # 我县 is no place name


@pytest.mark.parametrize(
    "text, name",
    [
        ("全县成功签约80个项目。", "签约项目"),  # 签约 keeps its 约; 成功 is no name
        ("今年截至9月15日，全省签约央企投资项目165个。", "签约央企投资项目"),
        ("今年截至9月15日全省签约央企投资项目165个。", "签约央企投资项目"),  # 15日 is a date
        ("其中，协议项目有79个。", "协议项目"),
        ("力争引进亿元以上项目20个。", "引进亿元以上项目"),
        # a noun after a count ends at its head, not where the length limit cuts it
        ("推介会上，20多家知名协会及珠三角龙头企业负责人参会。", "知名协会"),
        ("全市共促成120个亿元以上外向型产业项目签约。", "促成亿元以上外向型产业项目"),
        ("梳理120个“一网通办”事项，压缩审批时限。", "梳理一网通办事项"),
        ("今年新引进的项目中，有15个为“4+2”产业项目。", "4+2产业项目"),
        # a head inside a longer word does not cut it (a noun that ends cleanly is whole)
        ("座谈会邀请30名企业家参加。", "座谈会邀请企业家"),
        ("全县发展120家会员单位。", "发展会员单位"),
        ("新建2个会展中心。", "新建会展中心"),
        # 等 that lists no examples leaves the name alone
        ("新增高等院校3所。", "新增高等院校"),
        ("县委书记带队赴广东、福建等地招商8次。", "福建等地招商次数"),
        # a count with no noun is named by what its measure word counts
        ("今年组织近200人赴杭州开展招商。", "组织人员"),
        ("县长带队外出招商12次。", "县长带队外出招商次数"),
        # an investor's amount starts at the company, without 由 or the verb before it
        ("引进新材料项目，由江南智造科技有限公司投资12亿元建设。", "江南智造科技有限公司投资"),
        ("服务推进青禾食品公司投资3亿元扩建生产线。", "青禾食品公司投资"),
        # listed examples give way to what they are examples of
        ("引进纺纱、织布、印染等上下游企业12家。", "引进上下游企业"),
        ("举办以新能源、新材料等为主题的专题招商活动20余场。", "专题招商活动"),
        ("全年签约工作成效明显，纺纱、织布、印染等上下游企业12家相继落户。", "上下游企业"),
        # tails are no part of a name; a fund after its amount names it
        ("实际到位资金仅30亿元。", "实际到位资金"),
        ("县里设立了规模20亿元的产业投资基金。", "产业投资基金"),
        # money before the money it names: the noun after it, not the verb before
        ("丰源县整合财政资源设立20亿元产业引导基金。", "产业引导基金"),
        ("全力完成引进1200亿元省外到位资金的年度目标。", "省外到位资金"),
        ("累计争取35亿元银行贷款用于项目建设。", "银行贷款"),
    ],
)
def test_metric_names_read_as_names(text: str, name: str) -> None:
    assert zsextract.extract(text).metrics[0].name == name


def test_counts_of_a_plan_structure_before_their_head_are_no_metrics() -> None:
    text = "聚焦“3+5”产业集群及12条重点产业链和6条特色农业产业链精准招商。新签项目9个。"
    assert [v for _, v, _, _, _ in _metrics(text)] == [Decimal("9")]


def test_counts_of_the_parts_of_an_index_are_no_metrics() -> None:
    text = "活跃指数由签约、开工、拜访等6个专项指数构成，根据8项指标权重计算。新签项目9个。"
    assert [v for _, v, _, _, _ in _metrics(text)] == [Decimal("9")]


def test_a_growth_is_named_by_what_grew_not_by_a_target() -> None:
    got = _metrics(
        "1至4月，全市到位资金344亿元，完成全年5360亿元目标任务的25%，同比增长15.9%。"
        "新签项目70个。同比增长8%。"
    )
    names = {(v, n) for n, v, _, _, _ in got}
    assert (Decimal("15.9"), "到位资金同比增长") in names  # not the target's name
    assert (Decimal("8"), "同比增长") in names  # another sentence: nothing to name it by


def test_amounts_that_set_a_reward_s_condition_are_no_metrics() -> None:
    text = (
        "引进内资项目：实际到位资金5000万元（含）至1亿元的，奖励10万元；"
        "实际到位外资500万美元以上的，按到位外资的1%给予奖励。"
    )
    assert [v for _, v, _, _, _ in _metrics(text)] == [Decimal("100000"), Decimal("1")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "签约项目履约率、开工率、资金到位率分别达到92%、85%和61%。",
            ["签约项目履约率", "开工率", "资金到位率"],
        ),
        ("上半年，全县新签项目和到位资金分别为32个、45.6亿元。", ["全县新签项目", "到位资金"]),
        ("到位资金、实际利用外资分别增长12.5%和8.3%。", ["到位资金增长", "实际利用外资增长"]),
    ],
)
def test_figures_listed_after_fenbie_take_the_names_listed_before_it(
    text: str, names: list[str]
) -> None:
    assert [m.name for m in zsextract.extract(text).metrics] == names


def test_gongyou_leads_no_name() -> None:
    assert zsextract.extract("全县共有规上工业企业210家。").metrics[0].name == "规上工业企业"


def test_fenbie_far_from_its_figures_names_none_of_them() -> None:
    text = "两个园区分别引进了不少优质企业，签约项目12个、到位资金30亿元。"
    names = [m.name for m in zsextract.extract(text).metrics]
    assert names[-2:] == ["签约项目", "到位资金"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("引进企业 120 家，到位资金 3.5 亿元。", ["引进企业", "到位资金"]),
        ("全年引进项目\u300045 个。", ["引进项目"]),
    ],
)
def test_a_space_before_a_figure_does_not_end_its_clause(text: str, names: list[str]) -> None:
    assert [m.name for m in zsextract.extract(text).metrics] == names


def _values(text: str) -> list[tuple[str, Decimal]]:
    return [(m.name, m.quantity.value) for m in zsextract.extract(text).metrics]


def test_what_a_plant_makes_is_no_metric() -> None:
    assert _values("投资4亿元，兴建年产30万台智能终端项目。") == [("投资", Decimal("400000000"))]
    assert _values("项目建成后年加工木材10万立方米、年产家具5000套。") == []


def test_a_formula_or_the_make_up_of_a_team_is_no_metric() -> None:
    assert _values("任务完成率=实际完成数/目标任务数×100%。") == []
    assert _values("组建“1名项目管家+1名联络员”的服务小组。") == []


def test_a_count_of_meetings_on_a_structure_is_a_metric() -> None:
    assert _values("成功召开2次重点产业招商推介会。") == [("召开重点产业招商推介会", 2)]
    assert _values("全县12个产业招商团要立即行动起来。") == [("产业招商团", 12)]
    assert _values("全县培育8个重点产业。") == []  # the structure itself


def test_figures_after_fenbie_without_names_to_take_share_the_first_s() -> None:
    values = _values("甲市、乙州、丙地区到位资金排名靠前，分别占总量的18.06%、17.21%和15.13%。")
    assert [v for _, v in values] == [Decimal("18.06"), Decimal("17.21"), Decimal("15.13")]
    assert len({n for n, _ in values}) == 1


def test_a_count_of_administrative_units_is_no_metric() -> None:
    assert _values("全区14个地州市均完成任务。") == []


def test_a_count_of_ways_of_working_is_no_metric() -> None:
    assert _values("创新以商招商、场景招商等4种招商方式。") == []
