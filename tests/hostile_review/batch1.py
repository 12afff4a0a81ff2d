"""Scripted wrong answers of the hostile review of issue 11 (written for this project)."""

from . import attack

A = (
    "柳江市招商引资工作综述\n"
    "1至9月，全市新签约项目88个，其中亿元以上项目31个，到位资金212.6亿元，同比增长12.4%。\n"
    "上半年，全市开工项目40个。\n"
    "鹿寨区新签约项目12个，融水区新签约项目20个。\n"
    "全市推行“一周一研判、一月一通报”机制。"
)

attack(
    "A1 name linked by shared 2-gram 项目: 新签约项目=31 (亿元以上项目)",
    A,
    {
        "metrics": [
            {
                "name": "新签约项目",
                "quote": "新签约项目88个，其中亿元以上项目31个",
                "value": 31,
                "unit": "count",
            }
        ]
    },
    lambda r: any(m.name == "新签约项目" and float(m.quantity.value) == 31 for m in r.metrics),
)

attack(
    "A2 growth percent of 到位资金 given to 新签约项目",
    A,
    {
        "metrics": [
            {
                "name": "新签约项目",
                "quote": "其中亿元以上项目31个，到位资金212.6亿元，同比增长12.4%",
                "value": 12.4,
                "unit": "percent",
            }
        ]
    },
    lambda r: any(m.name == "新签约项目" and m.quantity.unit == "percent" for m in r.metrics),
)

attack(
    "A3 period of another sentence (开工项目40 is 上半年, answer says 1至9月)",
    A,
    {
        "metrics": [
            {
                "name": "开工项目",
                "quote": "全市开工项目40个",
                "value": 40,
                "unit": "count",
                "period": "1至9月",
            }
        ]
    },
    lambda r: any(m.name == "开工项目" and m.period == "1至9月" for m in r.metrics),
)

attack(
    "A4 subject of the neighbouring clause (融水区 20 labelled 鹿寨区)",
    A,
    {
        "metrics": [
            {
                "name": "新签约项目",
                "quote": "融水区新签约项目20个",
                "value": 20,
                "unit": "count",
                "subject": "鹿寨区",
            }
        ]
    },
    lambda r: any(m.subject == "鹿寨区" and float(m.quantity.value) == 20 for m in r.metrics),
)

attack(
    "A5 top-level period invented",
    A,
    {
        "period": "2099年全年",
        "metrics": [
            {"name": "开工项目", "quote": "全市开工项目40个", "value": 40, "unit": "count"}
        ],
    },
    lambda r: r.period is not None and "2099" in r.period,
)

attack(
    "A6 region with a wrong suffix (柳江县 for 柳江市)",
    A,
    {"region": "柳江县", "metrics": []},
    lambda r: r.region == "柳江县",
)

attack(
    "A7 scope of another metric (其中亿元以上 on the 88 total)",
    A,
    {
        "metrics": [
            {
                "name": "新签约项目",
                "quote": "全市新签约项目88个",
                "value": 88,
                "unit": "count",
                "scope": "其中亿元以上",
            }
        ]
    },
    lambda r: any(m.scope and float(m.quantity.value) == 88 for m in r.metrics),
)

B = (
    "柳江市重大项目集中签约\n"
    "7月18日，全市集中签约项目两个。宏达集团投资的锂电池隔膜项目落户鹿寨区，总投资30亿元；星海公司投资的冷链物流园项目落户融水区，总投资8亿元。\n"
    "锂电池隔膜项目计划明年开工。远东纺织项目正在洽谈，海川食品加工项目已建成投产。青松药业项目总投资15亿元。"
)

attack(
    "B1 amount of the other project in the same sentence",
    B,
    {
        "projects": [
            {
                "name": "冷链物流园项目",
                "quote": "星海公司投资的冷链物流园项目落户融水区",
                "amount_quote": "总投资30亿元",
            }
        ]
    },
    lambda r: any(
        p.name == "冷链物流园项目" and p.investment and float(p.investment.value) == 3e9
        for p in r.projects
    ),
)

attack(
    "B2 amount of another project in the next sentence",
    B,
    {
        "projects": [
            {
                "name": "海川食品加工项目",
                "quote": "海川食品加工项目已建成投产",
                "amount_quote": "青松药业项目总投资15亿元",
            }
        ]
    },
    lambda r: any(p.name == "海川食品加工项目" and p.investment for p in r.projects),
)

attack(
    "B3 investor and location of the other project in the paragraph",
    B,
    {
        "projects": [
            {
                "name": "冷链物流园项目",
                "quote": "冷链物流园项目落户融水区",
                "investor": "宏达集团",
                "location": "鹿寨区",
            }
        ]
    },
    lambda r: any(
        p.name == "冷链物流园项目" and (p.investor or p.location == "鹿寨区") for p in r.projects
    ),
)

attack(
    "B4 status 'started' for a project planned to start next year",
    B,
    {
        "projects": [
            {"name": "锂电池隔膜项目", "quote": "锂电池隔膜项目计划明年开工", "status": "started"}
        ]
    },
    lambda r: any(p.status == "started" for p in r.projects),
)

attack(
    "B5 status of the other project in the same sentence",
    B,
    {
        "projects": [
            {"name": "远东纺织项目", "quote": "远东纺织项目正在洽谈", "status": "producing"}
        ]
    },
    lambda r: any(p.name == "远东纺织项目" and p.status == "producing" for p in r.projects),
)

attack(
    "B6 project name that is a noise word only",
    B,
    {"projects": [{"name": "项目", "quote": "全市集中签约项目两个", "status": "signed"}]},
    lambda r: any(p.name in ("项目", "") for p in r.projects),
)

attack(
    "B7 empty project name",
    B,
    {"projects": [{"name": "", "quote": "远东纺织项目正在洽谈"}]},
    lambda r: any(p.name.strip() == "" for p in r.projects),
)

attack(
    "B8 truncated project name 隔膜",
    B,
    {"projects": [{"name": "隔膜", "quote": "锂电池隔膜项目计划明年开工"}]},
    lambda r: any(p.name == "隔膜" for p in r.projects),
)
