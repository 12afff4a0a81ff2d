"""Request and response size per article for the LLM backend, and what candidate mode saves.

For each article of ../shared/corpus the backend runs against the local fake server,
which answers with what a correct model would return: the article's gold annotation
(../shared/eval/gold) written in the response model, with quotes copied (plain mode) or
numbers cited by candidate id (candidate mode). The request and response bodies are
measured exactly as they cross the wire.

No tokenizer is available offline, so tokens are an estimate: one per CJK character and
one per four other characters. Real tokenizers differ (often 0.6-1.5 tokens per CJK
character); the byte counts are exact.

    python benchmarks/llm_cost.py
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import zsextract
from zsextract.llm.grounding import Grounder
from zsextract.testing import (
    FakeOpenAIServer,
    RecordedRequest,
    answer_from_gold,
    chat_completion,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def tokens(text: str) -> int:
    cjk = len(CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


def candidate_answer(plain: dict[str, Any], doc: zsextract.CleanText) -> dict[str, Any]:
    grounder = Grounder(doc)
    by_text: dict[str, str] = {}
    for key, mention in grounder.candidates.items():
        by_text.setdefault(mention.text, key)
    metrics = []
    for m in plain["metrics"]:
        key = next((k for t, k in by_text.items() if t in (m["quote"] or "")), "Q1")
        metrics.append({"candidate": key, "name": m["name"], "period": m["period"]})
    return {**plain, "metrics": metrics}


def measure(article: Path, gold: dict[str, Any], candidates: bool) -> tuple[int, int, int, int]:
    text = article.read_text("utf-8")
    doc = zsextract.clean_text(text)
    plain = answer_from_gold(gold, text)
    answer = candidate_answer(plain, doc) if candidates else plain
    reply = json.dumps(answer, ensure_ascii=False)
    sent: list[RecordedRequest] = []
    with FakeOpenAIServer() as server, tempfile.TemporaryDirectory() as cache:
        server.enqueue(chat_completion(tool_arguments=reply, tool_name="LLMExtraction"))
        try:
            zsextract.extract(
                text,
                backend="llm",
                base_url=server.base_url,
                model="m",
                candidates=candidates,
                repair_attempts=0,
                on_ungrounded="drop",
                cache_dir=cache,
            )
        except zsextract.ZsExtractError:
            pass  # sizes are what we measure; a grounding miss does not change them
        sent = list(server.requests)
    request = json.dumps(sent[0].body, ensure_ascii=False)
    return len(request.encode()), tokens(request), len(reply.encode()), tokens(reply)


def main() -> None:
    articles = sorted((SHARED / "corpus").glob("*.txt"))
    if not articles:
        raise SystemExit("needs ../shared/corpus and ../shared/eval/gold beside the repository")
    rows = []
    print(f"{'article':<10}{'mode':<11}{'request B':>10}{'≈tok':>7}{'response B':>11}{'≈tok':>7}")
    for article in articles:
        gold = json.loads((SHARED / "eval" / "gold" / f"{article.stem}.json").read_text("utf-8"))
        for candidates in (False, True):
            row = measure(article, gold, candidates)
            rows.append((candidates, row))
            mode = "candidates" if candidates else "plain"
            print(f"{article.name[:8]:<10}{mode:<11}{row[0]:>10}{row[1]:>7}{row[2]:>11}{row[3]:>7}")
    for candidates in (False, True):
        picked = [r for c, r in rows if c == candidates]
        mean = [sum(r[i] for r in picked) / len(picked) for i in range(4)]
        mode = "candidates" if candidates else "plain"
        print(
            f"{'mean':<10}{mode:<11}{mean[0]:>10.0f}{mean[1]:>7.0f}{mean[2]:>11.0f}{mean[3]:>7.0f}"
        )
    plain = [r for c, r in rows if not c]
    cand = [r for c, r in rows if c]
    saved_out = 1 - sum(r[3] for r in cand) / sum(r[3] for r in plain)
    saved_in = 1 - sum(r[1] for r in cand) / sum(r[1] for r in plain)

    def change(saved: float) -> str:
        return f"{abs(saved):.0%} {'fewer' if saved > 0 else 'more'}"

    print(
        f"candidate mode: response ≈tokens {change(saved_out)}; request ≈tokens "
        f"{change(saved_in)} (it lists the numbered quantities but sends no few-shot example)"
    )


if __name__ == "__main__":
    main()
