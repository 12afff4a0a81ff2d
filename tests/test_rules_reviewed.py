"""Sentences a hostile review wrote against the rules of issue 13, each read as GOLD.md
says: signing firms listed before 代表/负责人 are projects, boilerplate such as 服务项目建设
is none, kinds of firms are none, a deadline's stage holds no quote or amount, and a list
of firms that backtracking could blow up is read at once."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

import zsextract


def _projects(text: str) -> list[str]:
    return [p.name for p in zsextract.extract(text).projects]


def _stages(text: str) -> list[tuple[str | None, str, Decimal | None]]:
    return [
        (s.from_event, s.to_event, s.months or s.every_months)
        for t in zsextract.extract(text).timelines
        for s in t.stages
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "签约仪式上，华盛科技有限公司、鼎新材料有限公司等10家企业代表分别与县政府签订投资协议。",
            ["华盛科技有限公司", "鼎新材料有限公司"],
        ),
        ("金源集团、华立集团等企业负责人现场签约。", ["金源集团", "华立集团"]),
        ("金源集团、华立集团等企业前来考察，并签订投资协议。", ["金源集团", "华立集团"]),
        ("引进华为、中兴等企业。", ["华为", "中兴"]),
        (
            "吸引宁德时代、亿纬锂能、国轩高科等上下游企业落户。",
            ["宁德时代", "亿纬锂能", "国轩高科"],
        ),
        ("成功引进浙江华友钴业股份有限公司投资50亿元建设的三元前驱体项目。", ["三元前驱体项目"]),
    ],
)
def test_firms_that_sign_or_land_are_projects(text: str, names: list[str]) -> None:
    assert _projects(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "各级干部要主动服务项目建设。",
        "精心服务项目落地。",
        "县领导定期调度项目，协调解决问题。",
        "全年新引进上市公司3家。",
        "引进区域总部和分公司。",
        "搭建招商引资大数据中心。",
    ],
)
def test_boilerplate_and_kinds_of_firms_are_no_projects(text: str) -> None:
    assert _projects(text) == []


@pytest.mark.parametrize(
    ("text", "stages"),
    [
        ("确保项目从签约到开工用时不超过3个月。", [("签约", "开工", 3)]),
        ("每月梳理项目推进情况。", [(None, "梳理项目推进情况", 1)]),
        ("每年三月举办一次招商推介会。", [(None, "招商推介会", 12)]),
        ("签约后7日内完成“三个一”服务。", []),
        ("开工后6个月内完成投资5000万元。", []),
    ],
)
def test_timelines_the_review_tried(text: str, stages: list[tuple[str | None, str, int]]) -> None:
    assert _stages(text) == stages


def test_an_amount_a_deadline_does_not_take_stays_a_metric() -> None:
    values = [
        m.quantity.value for m in zsextract.extract("开工后6个月内完成投资5000万元。").metrics
    ]
    assert values == [Decimal("50000000")]


@pytest.mark.parametrize(
    ("text", "leader"),
    [("成立由县纪委书记任组长的督查组。", False), ("按产业组建招商专班，由市领导任组长。", True)],
)
def test_a_leader_heads_promotion_not_any_group(text: str, leader: bool) -> None:
    codes = {m.code for m in zsextract.extract(text).mechanisms}
    assert ("leader_led" in codes) is leader


def test_a_range_of_amounts_keeps_both() -> None:
    got = [m.quantity.value for m in zsextract.extract("到位资金30亿元至35亿元。").metrics]
    assert got == [Decimal("3000000000"), Decimal("3500000000")]


def test_three_yuan_before_a_noun_is_a_word() -> None:
    assert zsextract.extract("建设年产5万吨三元前驱体项目。").metrics == []


def test_a_long_list_of_firms_after_yinjin_is_read_without_backtracking() -> None:
    """The list pattern once read each firm two ways (科技有限|公司, 科技|有限公司): a
    list of 40 not followed by a break took longer than anyone waits. Run apart, with
    a bound far above the milliseconds it takes, so that a return of that fault fails
    instead of hanging."""
    firms = "、".join(f"甲{i:02d}科技有限公司" for i in range(40))
    code = (
        "import zsextract; "
        f"r = zsextract.extract('成功引进{firms}和乙。', backend='rules'); "
        "print(len(r.projects))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "0"  # 和乙 ends it: no list of firms only


# A second hostile review (of the rules changed from the fresh articles): each case it
# found, mended.


def _stages_of(text: str) -> list[tuple[str | None, str, object]]:
    return [
        (s.from_event, s.to_event, s.months if t.kind == "deadline" else s.every_months)
        for t in zsextract.extract(text).timelines
        for s in t.stages
    ]


def test_a_list_of_every_is_read_once_per_item() -> None:
    text = "每周调度项目进展、每月通报项目进展、每季度考核项目进展、每半年观摩项目进展。"
    assert [to for _, to, _ in _stages_of(text)] == [
        "调度项目进展",
        "通报项目进展",
        "考核项目进展",
        "观摩项目进展",
    ]
    text = "实行每周一调度、每月一通报、每季一讲评、每半年一考核、每年一总结工作机制。"
    assert [to for _, to, _ in _stages_of(text)] == ["调度", "通报", "讲评", "考核", "总结"]
    # a long list: one stage per item, not one per item and earlier 每 (was quadratic)
    assert len(zsextract.extract("每周报项目、" * 500).timelines) == 500


@pytest.mark.parametrize(
    "text",
    [
        "企业反映的问题包括用地、融资、用工等，已全部协调解决。",
        "为企业提供的服务包括工商注册、税务登记、环评审批等，实行全程代办。",
        "本次签约项目包括新能源、新材料、生物医药等，总投资50亿元。",
        "签约项目涵盖智能制造、新能源汽车、文旅康养等，",
    ],
)
def test_a_list_after_baokuo_of_fields_or_problems_is_no_projects(text: str) -> None:
    assert [p.name for p in zsextract.extract(text).projects] == []


@pytest.mark.parametrize(
    "text, names",
    [
        ("比亚迪、宁德时代等项目落户园区。", ["比亚迪项目", "宁德时代项目"]),
        ("引进比亚迪、宁德时代等重大项目。", ["比亚迪项目", "宁德时代项目"]),
        ("推进伊利乳业、蒙牛乳业等重点项目建设。", ["伊利乳业项目", "蒙牛乳业项目"]),
        ("紧盯比亚迪电池项目开工建设。", ["比亚迪电池项目"]),  # the verb cut, not the name
        ("万达又一城项目开业。", ["万达又一城项目"]),
        ("拼多多农产品产业园项目落户。", ["拼多多农产品产业园项目"]),
        ("美的集团智能家电项目签约。", ["美的集团智能家电项目"]),
        ("丰源湖旅游目的地项目开工。", ["丰源湖旅游目的地项目"]),
    ],
)
def test_short_firm_names_and_names_with_the_new_words_are_kept(
    text: str, names: list[str]
) -> None:
    assert [p.name for p in zsextract.extract(text).projects] == names


@pytest.mark.parametrize(
    "text",
    [
        "县级领导担任重大项目负责人。",
        "丰源湖成功创建省级旅游度假区。",
        "澄迈和文昌项目推进顺利。",
        "成功引进智能家居、木工机械等上下游项目。",
    ],
)
def test_roles_titles_places_and_chain_links_are_no_projects(text: str) -> None:
    assert [p.name for p in zsextract.extract(text).projects] == []


def test_a_count_of_chains_that_bring_in_firms_is_no_metric() -> None:
    values = [m.quantity.value for m in zsextract.extract("全市12条产业链引进企业86家。").metrics]
    assert values == [86]
    values = [m.quantity.value for m in zsextract.extract("签约项目32个+意向项目15个。").metrics]
    assert values == [32, 15]


@pytest.mark.parametrize(
    "text",
    [
        "6月30日须全部开工。",  # a date
        "项目签约后，6月30日须全部开工。",  # a date, even after an event
        "前6个月要签约落地项目3个以上。",  # a period and a target
        "第二季度排名靠前。",
        "二季度通报显示，进展良好。",
        "2023年度考核结果。",
        "下半年度考核。",
    ],
)
def test_dates_periods_and_targets_are_no_rules(text: str) -> None:
    assert _stages_of(text) == []


def test_a_signed_project_s_rule_keeps_its_event_and_a_yearly_event_its_name() -> None:
    assert _stages_of("已签约项目须在30日内完成注册。") == [("签约", "注册", 1)]
    assert _stages_of("一年一度的招商大会将于下月召开。") == [(None, "招商大会", 12)]


@pytest.mark.parametrize(
    "code, text, read",
    [
        ("leader_led", "县领导外出学习考察。", False),
        ("project_service", "该企业提供云计算服务。", False),
        ("business_referral", "毫不含糊地推进以商招商。", True),
        ("events_platforms", "举行招商引资签约仪式，现场签约项目15个。", True),
        ("assessment", "每月对各乡镇进行排名。", True),
    ],
)
def test_mechanisms_the_review_found_misread(code: str, text: str, read: bool) -> None:
    assert (code in [m.code for m in zsextract.extract(text).mechanisms]) is read
