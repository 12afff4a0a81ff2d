"""Mechanisms read from descriptions, not only from their names (issue 13): each
taxonomy code from sentences written for this project that describe the practice in
other words, and sentences that use the same words for something else."""

from __future__ import annotations

import pytest

import zsextract
from zsextract.readers.mechanisms import describes

DESCRIBED = {
    "leader_led": [
        "县长亲自带队赴深圳对接客商。",
        "州长挂帅上阵，逐一推进签约项目。",
        "按产业组建招商专班，由市领导任组长。",
        "县领导赴浙江、福建等地开展招商考察。",
        "今年以来党政主要领导外出招商4次。",
        "县长、县招商引资工作领导小组组长主持会议。",
    ],
    "industry_chain": [
        "围绕新能源汽车产业链精准补位，引进电池和电机企业。",
        "沿着产业链上下游招引配套项目。",
        "坚持以链引链，引进配套企业10家。",
        "瞄准钢铁产业链上下游储备项目。",
    ],
    "business_referral": [
        "通过以企引企，落户一家带来一批。",
        "请已投产企业牵线上游供应商来园区考察。",
        "坚持以台引台，推动台企增资扩产。",
    ],
    "resident_teams": ["选派干部常驻上海对接长三角企业。"],
    "small_teams": ["组建3个招商小组常年在外对接。", "组建12个产业招商团分赴各地。"],
    "associations": ["发动在外乡贤和异地商会牵线搭桥。"],
    "events_platforms": [
        "借助农博会等展会平台签约项目12个。",
        "在省投洽会上集中签约项目20个。",
        "组团参加进博会，意向金额12亿元。",
        "举办重点项目集中签约仪式，签约项目15个。",
        "今年已开展云签约活动6场。",
        "举行产业园第二批入园企业签约仪式。",
    ],
    "capital_fund": ["设立10亿元产业引导基金以投促引。"],
    "targeted": [
        "紧盯500强企业开展敲门招商。",
        "梳理目标企业清单，逐一上门对接。",
        "依托线上平台向重点企业定向推介。",
    ],
    "task_force": [
        "对重大项目实行一个项目、一名领导、一个专班推进。",
        "坚持一个项目一个工作组，全程盯办。",
        "对三个重大项目分别成立推进领导小组。",
        "项目签约后即成立项目指挥部，全程推进。",
    ],
    "assessment": [
        "每季度对各乡镇招商实绩进行晾晒排名。",
        "对招商引资实行重奖重罚。",
        "开展招商比武，形成比学赶超的氛围。",
    ],
    "reinvestment": ["鼓励本地龙头企业扩大在本县投资，追加投资5亿元。"],
    "resource_swap": ["以场景开放吸引企业落户。", "用好丰富的矿产资源吸引企业投资开发。"],
    "overseas": [
        "组团赴德国开展出国招商。",
        "赴新加坡、马来西亚开展经贸交流活动。",
        "在香港举办投资推介会，签约项目12个。",
    ],
    "all_staff": [
        "坚持管行业必须管招商，形成全社会参与的大招商格局。",
        "动员全县干部群众人人参与招商，提供项目线索。",
        "充分调动各部门招商积极性。",
    ],
    "professional": ["聘请招商顾问，推行市场化招商。", "委托第三方机构开展产业招商。"],
    "project_service": [
        "为每个项目配备服务专员全程跟踪。",
        "及时协调解决企业用地难题。",
        "为落地项目提供最快捷的审批服务。",
    ],
    "regional_cooperation": [
        "主动承接沿海产业转移，与对口协作城市共建园区。",
        "主动融入长三角一体化发展。",
    ],
    "digital": ["疫情期间通过视频签约和直播招商不断线。"],
    "talent": [
        "坚持引资与引才并重，集聚高层次人才团队。",
        "实施人才引进计划，柔性引进博士5名。",
    ],
}

NOT_DESCRIBED = [
    ("reinvestment", "要坚定不移扩大有效投资。"),  # a macro policy, not a firm expanding
    ("leader_led", "领导小组办公室设在商务局。"),
    ("talent", "本地人才市场供需两旺。"),
    ("talent", "人才公寓项目已开工，新引进工业项目3个。"),
    ("business_referral", "尚未开展以商招商。"),  # denied
    ("reinvestment", "奖励新引进的制造类项目（不含增资扩产项目）。"),  # excluded
    ("targeted", "企业名单另行公布。"),
    ("all_staff", "全体干部参加了招商政策培训。"),
    ("resource_swap", "以市场化方式吸引社会资本。"),
    ("task_force", "一个项目建成后由工作组验收。"),
    ("overseas", "在全县推广先进经验。"),
    ("business_referral", "坚持以链引链，引进配套企业。"),  # that is chain promotion
    ("overseas", "市领导带队赴粤港澳、京津冀开展招商活动。"),  # a region at home
    ("overseas", "德国专家在丰源调研农业技术。"),
    ("events_platforms", "县政府与某集团举行项目签约仪式。"),  # one project's ceremony
    ("assessment", "该市到位资金总量排名全省第三。"),  # a rank, not a ranking of units
    ("professional", "项目包括第三方检测中心。"),
    ("small_teams", "组建驻深圳、驻上海两个招商工作组。"),
    ("leader_led", "县领导到项目现场考察施工进度。"),
    ("leader_led", "县领导外出学习考察。"),  # study, not promotion
    ("project_service", "该企业提供云计算服务。"),  # the firm's own business
    ("business_referral", "奖励新引进的项目（不含以商招商引进的项目）。"),
]


@pytest.mark.parametrize(
    "code, sentence", [(code, s) for code, ss in DESCRIBED.items() for s in ss]
)
def test_a_practice_described_in_other_words_is_read(code: str, sentence: str) -> None:
    assert describes(code, sentence), (code, sentence)


@pytest.mark.parametrize("code, sentence", NOT_DESCRIBED)
def test_the_same_words_for_something_else_are_not(code: str, sentence: str) -> None:
    assert not describes(code, sentence)


def test_every_code_has_a_description_written_for_it() -> None:
    assert set(DESCRIBED) == set(zsextract.mechanism_codes())


def test_a_mechanism_quotes_its_clause_not_one_word() -> None:
    text = "2024年，全县新签项目12个。县长亲自带队赴深圳对接客商，走访企业30家。"
    report = zsextract.extract(text)
    (mech,) = [m for m in report.mechanisms if m.code == "leader_led"]
    assert mech.evidence.quote == "县长亲自带队赴深圳对接客商"
    assert text[mech.evidence.start : mech.evidence.end] == mech.evidence.quote


def test_a_description_does_not_reach_across_clauses() -> None:
    assert not describes("leader_led", "县长出席会议，企业代表亲自讲解项目。")


def test_patterns_split_by_first_word_find_what_the_written_ones_find() -> None:
    """Each code's regex opens every alternative with a word (so the engine can skip
    positions); the matches must be those of the patterns as written in rules.json."""
    import re
    from pathlib import Path

    from zsextract.datafiles import alternation, load_data
    from zsextract.readers import mechanisms

    rules = load_data("rules")
    lists, gap = rules["mechanism_lists"], int(rules["mechanism_frame_gap"])
    between = f"[^{re.escape(mechanisms.CLAUSE_ENDS)}]{{0,{gap}}}?"
    texts = [s for ss in DESCRIBED.values() for s in ss] + [s for _, s in NOT_DESCRIBED]
    folder = Path(__file__).resolve().parent.parent / "examples" / "articles"
    texts += [zsextract.clean_text(p.read_text("utf-8")).text for p in sorted(folder.iterdir())]
    built = {t.code: t.pattern for t in mechanisms._mechanism_terms()}
    for mech in load_data("taxonomy")["mechanisms"]:
        own = rules["mechanisms"].get(mech["code"], {})
        words = [w for w in mech["zh"].split("/") if w] + list(mech["examples"])
        words += own.get("words", [])
        frames = [
            between.join(f"(?:{alternation(lists[p[1:]] if isinstance(p, str) else p)})" for p in f)
            for f in own.get("frames", [])
        ]
        written = re.compile("|".join([alternation(words), *own.get("patterns", []), *frames]))
        for text in texts:
            got = [m.span() for m in built[mech["code"]].finditer(text)]
            assert got == [m.span() for m in written.finditer(text)], (mech["code"], text)
