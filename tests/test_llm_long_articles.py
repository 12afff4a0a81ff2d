"""A long article (60,000 characters, many chunks) read by an honest model: every
distinct fact survives the merge, each pointing inside its own paragraph, also when the
same short quote ("9个") stands in every paragraph (issue 11: occurrence by context,
merge by identity)."""

from __future__ import annotations

import json
import re
from typing import Any

from zsextract import extract
from zsextract.testing import FakeOpenAIServer, FakeResponse, RecordedRequest, chat_completion

NAMES = "甲乙丙丁戊己庚辛壬癸"


def _district(n: int) -> str:
    return f"{NAMES[n % 10]}{NAMES[n // 10 % 10]}{NAMES[n // 100 % 10]}园区"


def _article(paragraphs: int) -> str:
    lines = [
        f"{_district(n)}上半年新签项目{n + 100}个，到位资金{n + 10}.5亿元，新增企业9个。"
        f"园区坚持项目为王，持续优化营商环境，推动招商引资工作提质增效。"
        for n in range(paragraphs)
    ]
    return "\n".join(lines)


def _facts_in(text: str) -> dict[str, Any]:
    """What a careful model answers for ``text``: each paragraph's three figures, the
    repeated "9个" quoted alone with its district as subject."""
    metrics = []
    for m in re.finditer(
        rf"([{NAMES}]{{3}}园区)上半年新签项目(\d+)个，到位资金([\d.]+)亿元，新增企业9个", text
    ):
        district, projects, funds = m.group(1), int(m.group(2)), float(m.group(3))
        metrics += [
            {
                "name": "新签项目",
                "quote": f"新签项目{projects}个",
                "value": projects,
                "unit": "count",
                "subject": district,
            },
            {
                "name": "到位资金",
                "quote": f"到位资金{m.group(3)}亿元",
                "value": round(funds * 1e8),
                "unit": "CNY",
                "subject": district,
            },
            {"name": "新增企业", "quote": "9个", "value": 9, "unit": "count", "subject": district},
        ]
    return {"metrics": metrics}


def test_a_long_article_keeps_every_fact_in_its_own_paragraph(tmp_path) -> None:
    text = _article(900)
    assert len(text) >= 60_000
    sent: list[str] = []

    def respond(request: RecordedRequest) -> FakeResponse:
        article = request.body["messages"][-1]["content"]
        sent.append(article)
        return chat_completion(
            tool_arguments=json.dumps(_facts_in(article), ensure_ascii=False),
            tool_name="LLMExtraction",
        )

    with FakeOpenAIServer(respond) as server:
        report = extract(text, backend="llm", base_url=server.base_url, model="m", use_cache=False)
    assert report.provenance.chunks >= 10 and len(sent) == report.provenance.chunks
    paragraphs = []
    at = 0
    for line in text.split("\n"):
        paragraphs.append((at, at + len(line)))
        at += len(line) + 1
    found = {(m.subject, m.name, m.quantity.value) for m in report.metrics}
    expected = {(f["subject"], f["name"], f["value"]) for f in _facts_in(text)["metrics"]}
    assert len(expected) == 900 * 3 and found == expected  # nothing lost, nothing added
    assert len(report.metrics) == len(expected)  # each fact once, the overlaps merged
    for m in report.metrics:
        n = next(i for i, (a, b) in enumerate(paragraphs) if a <= m.evidence.start < b)
        assert text[paragraphs[n][0] : paragraphs[n][1]].startswith(m.subject), m
