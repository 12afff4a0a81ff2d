"""Record the scripted cassettes and snapshots of the library's own regression corpus.

The corpus is tests/data/articles (written for this project). Each cassette is
recorded against the local fake server answering with the article's gold annotation
(tests/data/gold) as a correct model would; cassettes say so in their source header.

    .venv/bin/python tests/regression/record_scripted.py
"""

from __future__ import annotations

import json
from pathlib import Path

from zsextract.regress.cassettes import cassette_source
from zsextract.regress.runner import record_cassette, run_regression
from zsextract.testing import FakeOpenAIServer, answer_from_gold, chat_completion

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
CORPUS = DATA / "articles"
CASSETTES = HERE / "cassettes"
SNAPSHOTS = HERE / "snapshots"


def main() -> None:
    for article in sorted(CORPUS.iterdir()):
        gold = json.loads((DATA / "gold" / f"{article.stem}.json").read_text("utf-8"))
        reply = json.dumps(answer_from_gold(gold, article.read_text("utf-8")), ensure_ascii=False)
        with FakeOpenAIServer(
            lambda request, reply=reply: chat_completion(
                tool_arguments=reply,
                tool_name="LLMExtraction",
                prompt_tokens=3000,
                completion_tokens=900,
            )
        ) as server:
            record_cassette(
                article,
                CASSETTES / f"{article.stem}.yaml",
                source=cassette_source() + " (answer built from tests/data/gold)",
                base_url=server.base_url,
                model="fake-model",
                api_key="sk-record",
                on_ungrounded="drop",
            )
        print("recorded", article.name)
    result = run_regression(CORPUS, CASSETTES, SNAPSHOTS, update=True)
    print({a.article: a.status for a in result.articles})


if __name__ == "__main__":
    main()
