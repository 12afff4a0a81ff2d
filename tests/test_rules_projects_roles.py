"""Who a project belongs to, and who only attends (issue 13), in sentences written for
this project: firms listed as visitors are no projects; the firm that invests is the
investor even when the sentence names the government it signed with, or says 由…投资的,
or puts the firm before the verb that builds."""

from __future__ import annotations

import pytest

import zsextract


def _projects(text: str) -> list[tuple[str, str | None]]:
    return [(p.name, p.investor) for p in zsextract.extract(text).projects]


@pytest.mark.parametrize(
    "text",
    [
        "星河控股集团、远洋建材集团等企业负责人应邀参加推介会。",
        "青禾科技、丰泰物流等企业代表出席了座谈会。",
        "恒远集团、华岭股份等企业的高管一行来丰源县考察。",
    ],
)
def test_firms_listed_as_visitors_are_no_projects(text: str) -> None:
    assert _projects(text) == []


def test_a_list_of_firms_that_land_is_still_read() -> None:
    text = "新引进星河控股集团、远洋建材集团等企业落户丰源县。"
    assert [name for name, _ in _projects(text)] == ["星河控股集团", "远洋建材集团"]


def test_the_firm_not_the_government_it_signed_with_invests() -> None:
    text = "签约仪式上，中衡建设集团与县政府签约总投资15亿元的文旅综合体项目。"
    assert _projects(text) == [("文旅综合体项目", "中衡建设集团")]


def test_a_firm_as_partner_is_still_the_investor() -> None:
    text = "丰源县与中衡建设集团签约总投资15亿元的文旅综合体项目。"
    assert _projects(text) == [("文旅综合体项目", "中衡建设集团")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("由青禾医药投资建设的创新药生产基地项目于3月开工。", ("创新药生产基地项目", "青禾医药")),
        ("投资额最大的是由远洋集团投资的远洋风电项目。", ("远洋风电项目", "远洋集团")),
    ],
)
def test_invested_by_names_the_investor(text: str, expected: tuple[str, str]) -> None:
    assert _projects(text) == [expected]


def test_the_firm_before_the_verb_that_builds_is_the_investor() -> None:
    text = "今年，星河控股集团投资建设的星河氢能装备产业园项目正式开工。"
    assert _projects(text) == [("星河氢能装备产业园项目", "星河控股集团")]


def test_a_firm_that_carries_out_a_project_is_its_investor() -> None:
    text = "推动星河控股集团实施氢能装备项目。"
    assert _projects(text) == [("氢能装备项目", "星河控股集团")]


def test_firms_met_for_talks_are_no_projects() -> None:
    assert _projects("与远洋集团、青禾科技等企业进行了座谈交流。") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "华岭股份在我县投资5亿元建设智能装备制造基地。",
            ("智能装备制造基地", "华岭股份", 500000000),
        ),
        (
            "星河控股集团拟投资30亿元在丰源县建设新能源电池生产基地。",
            ("新能源电池生产基地", "星河控股集团", 3000000000),
        ),
    ],
)
def test_a_firm_that_invests_somewhere_is_the_investor(
    text: str, expected: tuple[str, str, int]
) -> None:
    (p,) = zsextract.extract(text).projects
    assert (p.name, p.investor, p.investment and int(p.investment.value)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会见中，双方就光伏产业园项目合作进行了交流。", ["光伏产业园项目"]),
        ("重点推介了丰源县文旅康养项目。", ["丰源县文旅康养项目"]),
    ],
)
def test_words_before_a_name_are_not_part_of_it(text: str, expected: list[str]) -> None:
    assert [name for name, _ in _projects(text)] == expected


def test_a_verb_that_is_a_noun_inside_a_name_does_not_cut_it() -> None:
    text = "对丰源精工叉车及后服务项目、青禾医药产业园等重点意向项目将及时跟进。"
    assert [name for name, _ in _projects(text)] == ["丰源精工叉车及后服务项目", "青禾医药产业园"]


def test_kinds_of_breaches_are_no_projects() -> None:
    assert _projects("对圈地、占地行为等违规违约项目坚决依法处置。") == []


def test_firms_listed_before_one_project_have_one_project_each() -> None:
    text = "推动星河控股集团、远洋建材集团实施氢能装备项目和华岭集团实施新能源汽车项目。"
    assert _projects(text) == [
        ("星河控股集团氢能装备项目", "星河控股集团"),
        ("远洋建材集团氢能装备项目", "远洋建材集团"),
        ("新能源汽车项目", "华岭集团"),
    ]


def test_firms_that_came_to_look_are_no_projects() -> None:
    text = "今年以来，先后有丰泰汽配、海锐科技等60余家企业来丰源县考察对接。"
    assert _projects(text) == []


def test_firms_that_came_and_signed_are_still_read() -> None:
    text = "青禾科技、丰泰汽配等企业来丰源县考察后签约落户。"
    assert [name for name, _ in _projects(text)] == ["青禾科技", "丰泰汽配"]


def test_a_verb_inside_a_firms_name_does_not_cut_it() -> None:
    text = "丰源市鑫宏包装有限公司年产5亿平方米瓦楞纸板项目已投产。"
    assert _projects(text) == [
        ("丰源市鑫宏包装有限公司年产5亿平方米瓦楞纸板项目", "丰源市鑫宏包装有限公司")
    ]


@pytest.mark.parametrize(
    ("text", "investor", "amount"),
    [
        ("该公司投资5.8亿元建设的功率半导体封测项目于今年3月签约。", None, 580000000),
        (
            "青禾智能装备有限公司去年在丰源投资9.5亿元建设高端数控机床项目。",
            "青禾智能装备有限公司",
            950000000,
        ),
        ("今年初，华陶窑业集团又追加投资6亿元建设高端釉料基地。", "华陶窑业集团", 600000000),
        ("签约磷酸锰铁锂项目，计划总投资32亿元，分两期建设。", None, 3200000000),
    ],
)
def test_the_firm_and_amount_of_a_project(text: str, investor: str | None, amount: int) -> None:
    (p,) = zsextract.extract(text).projects
    assert p.investor == investor
    assert p.investment is not None and int(p.investment.value) == amount


def test_an_investor_noted_in_brackets_after_the_name() -> None:
    text = (
        "此外，西南调味品智能工厂项目（蜀味源食品集团投资建设）、"
        "川东冷链物流中心项目合计投资11.2亿元。"
    )
    assert _projects(text) == [
        ("西南调味品智能工厂项目", "蜀味源食品集团"),
        ("川东冷链物流中心项目", None),
    ]


def test_a_bracket_inside_a_firms_name_ends_no_project() -> None:
    text = "丰源县与航宇新材料智能制造研究院（山西）有限公司签订了14.1亿元的精密铝材项目。"
    assert [name for name, _ in _projects(text)] == ["精密铝材项目"]


@pytest.mark.parametrize(
    "text", ["目前一期已经投产。", "对重大项目实行「一个项目、一个专班」跟踪推进。"]
)
def test_a_bare_phase_or_a_quoted_slogan_is_no_project(text: str) -> None:
    assert _projects(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("今年成功引进星河控股集团。", ["星河控股集团"]),
        (
            "全年新引进远洋建材有限公司、青禾科技股份有限公司。",
            ["远洋建材有限公司", "青禾科技股份有限公司"],
        ),
    ],
)
def test_firms_brought_in_are_projects(text: str, names: list[str]) -> None:
    assert [name for name, _ in _projects(text)] == names


def test_a_firm_brought_in_for_what_it_has_is_no_project() -> None:
    assert _projects("引进华岭集团先进管理经验。") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("星河物流华中区域分拨中心正式开业。", "星河物流华中区域分拨中心"),
        ("丰源科技园二期工程开工建设。", "丰源科技园二期工程"),
        ("总投资8亿元的丰源汽车城开工建设。", "丰源汽车城"),
        ("华润风电场项目并网发电。", "华润风电场项目"),
    ],
)
def test_more_kinds_of_project_heads_and_what_follows_them(text: str, name: str) -> None:
    assert [n for n, _ in _projects(text)] == [name]


def test_fields_given_as_examples_are_no_projects() -> None:
    assert _projects("投资涵盖了智能制造、星河数据中心、商贸物流等多个领域。") == []


def test_a_kind_of_centre_is_no_project() -> None:
    assert _projects("鼓励发展企业总部结算中心。") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（1）星河新能源电池项目，总投资20亿元，已开工。", ("星河新能源电池项目", 2000000000)),
        ("1.青禾医药产业园项目：总投资15亿元，占地300亩。", ("青禾医药产业园项目", 1500000000)),
        ("②远洋食品加工项目于3月签约。", ("远洋食品加工项目", None)),
    ],
)
def test_the_number_of_an_item_is_no_part_of_its_name(
    text: str, expected: tuple[str, int | None]
) -> None:
    (p,) = zsextract.extract(text).projects
    assert (p.name, p.investment and int(p.investment.value)) == expected


def test_investor_then_amount_after_the_name() -> None:
    (p,) = zsextract.extract("其中，星河电池项目由星河控股集团投资建设，总投资20亿元。").projects
    assert (p.investor, p.investment and int(p.investment.value)) == ("星河控股集团", 2000000000)


def test_a_firm_that_plans_to_build_at_a_place_is_the_investor() -> None:
    text = "星河集团计划在丰源投资建设新能源电池项目。"
    assert _projects(text) == [("新能源电池项目", "星河集团")]


def test_a_counted_list_after_what_it_is() -> None:
    text = "此次签约的丰泰冷链物流、远洋食品加工、青禾医药3个项目总投资25亿元。"
    assert [name for name, _ in _projects(text)] == [
        "丰泰冷链物流项目",
        "远洋食品加工项目",
        "青禾医药项目",
    ]


def test_kinds_of_firms_after_the_verb_are_no_projects() -> None:
    assert _projects("围绕纺织服装产业链，引进织造、印染、成衣等上下游企业17家。") == []


@pytest.mark.parametrize(
    "text",
    [
        "推动青禾电子、丰泰精密等本土关联企业做大做强。",
        "远洋筑美、华岭动力等列入省级标杆示范项目培育对象。",
    ],
)
def test_local_firms_and_firms_listed_for_a_programme_are_no_projects(text: str) -> None:
    assert _projects(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "车间里，一条条自动化生产线正满负荷运转。",
        "此后不到一年，正负极材料、隔膜、电解液等上下游企业纷至沓来。",
        "在丰源五金产业园，龙头企业东宏实业主动当起招商员。",
        "有企业反映一个项目前期手续要跑十多个部门。",
        "青禾汽车零部件有限公司等企业获评优秀投资企业。",
        "1.引进内资项目：实际到位资金1亿元以上的，奖励10万元。",
    ],
)
def test_what_only_looks_like_a_project(text: str) -> None:
    assert _projects(text) == []


def test_upstream_firms_named_as_firms_are_still_read() -> None:
    text = "青禾电子、丰泰精密等上下游企业纷纷落户。"
    assert [name for name, _ in _projects(text)] == ["青禾电子", "丰泰精密"]


def test_a_firm_that_raises_its_capital_for_a_project() -> None:
    text = "签约项目中，日本丸和化学株式会社增资6000万美元的电子化学品扩产项目顺利签约。"
    (p,) = zsextract.extract(text).projects
    assert (p.name, p.investor) == ("电子化学品扩产项目", "日本丸和化学株式会社")
    assert p.investment is not None and p.investment.value == 60000000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "去年，该公司投资15亿元的智能手机整机制造项目落户三江新区。",
            ("智能手机整机制造项目", 1500000000),
        ),
        (
            "丰源开发区与星河远达科技有限公司签订了总投资56亿元的智能终端产业园项目合同。",
            ("智能终端产业园项目", 5600000000),
        ),
    ],
)
def test_this_firm_and_a_contract_after_the_name(text: str, expected: tuple[str, int]) -> None:
    (p,) = zsextract.extract(text).projects
    assert (p.name, p.investment and int(p.investment.value)) == expected
