"""The hostile review of issue 11: 54 scripted wrong answers (``attack``), each with a
check of what would be wrong in the report, and odd answers (``crash``) that must give
a report or a zsextract error. Articles and answers were written for this project by
the reviewer; the batches are kept as the reviewer wrote them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ARTICLE_A = (Path(__file__).parent / "article_a.txt").read_text("utf-8")


@dataclass
class Case:
    title: str
    article: str
    answer: str
    wrong: Callable[[Any], bool] | None
    tool: str = "LLMExtraction"
    options: dict[str, Any] = field(default_factory=dict)


CASES: list[Case] = []


def attack(
    title: str, article: str, answer: Any, wrong: Callable[[Any], bool], **options: Any
) -> None:
    import json

    tool = options.pop("tool", "LLMExtraction")
    CASES.append(Case(title, article, json.dumps(answer, ensure_ascii=False), wrong, tool, options))


def crash(
    title: str, reply: str, article: str = ARTICLE_A, tool: str = "LLMExtraction", **options: Any
) -> None:
    CASES.append(Case(title, article, reply, None, tool, options))


from . import batch1, batch2, batch3, batch4, batch5, batch6  # noqa: E402,F401  (they fill CASES)
