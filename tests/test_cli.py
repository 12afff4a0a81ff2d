from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zsextract.cli import app

from .conftest import CORPUS, EXAMPLES, GOLD, ROOT, needs_shared

runner = CliRunner()
ARTICLE = EXAMPLES / "qingshan_2024_h1.txt"


def test_extract_json_single_file() -> None:
    result = runner.invoke(app, ["extract", str(ARTICLE)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["provenance"]["backend"] == "rules"
    text = report["source"]["text"]
    assert any(m["quantity"]["value"] == 12680000000 for m in report["metrics"])
    for m in report["metrics"]:
        ev = m["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["quote"]


def test_extract_gold_format_to_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    traditional = EXAMPLES / "fengyuan_2023_traditional.txt"
    result = runner.invoke(
        app, ["extract", str(ARTICLE), str(traditional), "--format", "gold", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").splitlines()
    assert [json.loads(x)["doc"] for x in lines] == [ARTICLE.name, traditional.name]
    trad = json.loads(lines[1])
    assert any(m["value"] == 120000000 and m["unit"] == "USD" for m in trad["metrics"])
    assert all("(" not in m["name"] for m in trad["metrics"])  # names are cleaned Simplified


def test_extract_table() -> None:
    result = runner.invoke(app, ["extract", str(ARTICLE), "--format", "table"])
    assert result.exit_code == 0
    assert "metrics" in result.stdout and "126.8亿元" in result.stdout


def test_bad_files_get_one_line_each_and_the_rest_still_run(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 10)
    latin = tmp_path / "bad.txt"
    latin.write_bytes(b"\xff\xff\xff\xff")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("1至7月，全市新签项目157个。".encode("gb18030"))
    missing = tmp_path / "missing.txt"
    result = runner.invoke(
        app, ["extract", str(empty), str(binary), str(latin), str(missing), str(gbk), "-f", "gold"]
    )
    assert result.exit_code == 1
    errors = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert len(errors) == 4
    assert "is empty" in errors[0] and "binary" in errors[1]
    assert "no Chinese encoding reads it well" in errors[2] and "does not exist" in errors[3]
    gold = json.loads(result.stdout)
    assert gold["doc"] == "gbk.txt" and gold["metrics"][0]["value"] == 157


def test_an_unreadable_file_is_its_own_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("全市新签项目5个。", "utf-8")
    good = tmp_path / "good.txt"
    good.write_text("1至7月，全市新签项目157个。", "utf-8")
    read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:  # as for a file of another user, even when run as root
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = runner.invoke(app, ["extract", str(locked), str(good), "-f", "gold"])
    assert result.exit_code == 1
    errors = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert len(errors) == 1 and "locked.txt" in errors[0]
    assert "cannot be read (Permission denied)" in errors[0]
    assert json.loads(result.stdout)["metrics"][0]["value"] == 157


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no fifos here")
def test_a_fifo_among_the_files_is_skipped_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text("1至7月，全市新签项目157个。", "utf-8")
    result = runner.invoke(app, ["extract", str(fifo), str(good), "-f", "gold"])
    assert result.exit_code == 1
    assert "is not a regular file" in result.stderr
    assert json.loads(result.stdout)["metrics"][0]["value"] == 157


def test_unknown_backend() -> None:
    result = runner.invoke(app, ["extract", str(ARTICLE), "--backend", "nope"])
    assert result.exit_code == 2
    assert "unknown backend 'nope'" in result.stderr


@needs_shared
def test_eval_pred_gold_against_itself_json() -> None:
    result = runner.invoke(app, ["eval", "--gold", str(GOLD), "--pred", str(GOLD), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["mean_f1"] == 1.0
    assert set(scores["parts"]) == {"metrics", "mechanisms", "timelines", "projects"}


@needs_shared
def test_eval_backend_on_corpus_prints_table() -> None:
    result = runner.invoke(app, ["eval", "--gold", str(GOLD), "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    for word in ("metrics", "mechanisms", "timelines", "projects", "F1"):
        assert word in result.stdout


@needs_shared
def test_eval_scores_saved_reports(tmp_path: Path) -> None:
    pred = tmp_path / "pred"
    pred.mkdir()
    for article in sorted(CORPUS.glob("*.txt"))[:2]:
        r = runner.invoke(app, ["extract", str(article), "-o", str(pred / f"{article.stem}.json")])
        assert r.exit_code == 0
    result = runner.invoke(app, ["eval", "--gold", str(GOLD), "--pred", str(pred), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert len(scores["missing_predictions"]) == 3
    assert scores["parts"]["metrics"]["tp"] > 0


def test_eval_needs_corpus_or_pred(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"doc": "a.txt"}', "utf-8")
    result = runner.invoke(app, ["eval", "--gold", str(tmp_path)])
    assert result.exit_code == 2 and "--corpus" in result.stderr


def test_eval_reports_malformed_gold(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"doc": "a.txt", "metrics": [{"value": 1}]}', "utf-8")
    result = runner.invoke(app, ["eval", "--gold", str(tmp_path), "--pred", str(tmp_path)])
    assert result.exit_code == 2 and "gold format" in result.stderr


def test_schema_check_and_print(tmp_path: Path) -> None:
    assert runner.invoke(app, ["schema", "--check", str(ROOT / "schemas")]).exit_code == 0
    stale = runner.invoke(app, ["schema", "--check", str(tmp_path)])
    assert stale.exit_code == 1 and "zsextract schema --write" in stale.stderr
    printed = runner.invoke(app, ["schema"])
    assert json.loads(printed.stdout)["title"] == "PromotionReport"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("zsextract ")


def test_default_backend_is_said_on_stderr(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    result = runner.invoke(app, ["extract", str(ARTICLE), "-f", "gold"])
    assert result.exit_code == 0
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "zsextract: no LLM endpoint configured (OPENAI_API_KEY / OPENAI_BASE_URL); using rules"
    ]
    assert json.loads(result.stdout)["doc"] == ARTICLE.name
    named = runner.invoke(app, ["extract", str(ARTICLE), "-f", "gold", "--backend", "rules"])
    assert named.stderr == ""


def test_configured_endpoint_makes_llm_the_default(monkeypatch, tmp_path: Path) -> None:
    from zsextract.testing import FakeOpenAIServer, chat_completion

    answer = (
        '{"metrics": [{"name": "新签约项目", "quote": "新签约项目64个", '
        '"value": 64, "unit": "count"}]}'
    )
    with FakeOpenAIServer() as server:
        server.enqueue(chat_completion(tool_arguments=answer, tool_name="LLMExtraction"))
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("ZSEXTRACT_MODEL", "fake-model")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        result = runner.invoke(app, ["extract", str(ARTICLE)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["provenance"]["backend"] == "llm"
    assert [m["quantity"]["value"] for m in report["metrics"]] == [64]


class _BrokenOnEmptyLines:
    """A backend with a bug: it fails on articles that contain a blank line."""

    name = "broken-for-tests"

    def extract(self, doc, meta=None):  # type: ignore[no-untyped-def]
        if "\n\n" in doc.raw:
            raise RuntimeError("boom")
        from zsextract import Extraction

        return Extraction()


def test_an_internal_error_costs_only_its_own_file(tmp_path: Path, registered) -> None:
    registered("broken-for-tests", _BrokenOnEmptyLines)
    bad = tmp_path / "bad.txt"
    bad.write_text("新签项目5个。\n\n到位资金3亿元。", "utf-8")
    good = tmp_path / "good.txt"
    good.write_text("新签项目5个。", "utf-8")
    result = runner.invoke(
        app, ["extract", str(bad), str(good), "-f", "gold", "-b", "broken-for-tests"]
    )
    assert result.exit_code == 1
    assert "internal error in the broken-for-tests backend (RuntimeError: boom)" in result.stderr
    assert json.loads(result.stdout)["doc"] == "good.txt"


def test_llm_done_when(monkeypatch, tmp_path: Path, caplog) -> None:
    """OPENAI_BASE_URL at a local server: grounded report, the right retries, a cache
    hit on the second run with no request, and the key nowhere on disk or in logs."""
    import logging

    from zsextract.testing import FakeOpenAIServer, FakeResponse, chat_completion

    caplog.set_level(logging.DEBUG)
    key = "sk-cli-SECRET-987654321"
    answer = (
        '{"metrics": [{"name": "新签约项目", "quote": "新签约项目64个", "value": 64, '
        '"unit": "count"}, {"name": "到位资金", "quote": "到位资金126.8亿元", '
        '"value": 12680000000, "unit": "CNY"}]}'
    )
    cache = tmp_path / "cache"
    with FakeOpenAIServer() as server:
        server.enqueue(
            FakeResponse({"error": {"message": "busy"}}, status=429, headers={"Retry-After": "0"}),
            chat_completion(tool_arguments=answer, tool_name="LLMExtraction"),
        )
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", key)
        args = [
            "extract",
            str(ARTICLE),
            "--backend",
            "llm",
            "--model",
            "fake-model",
            "--cache-dir",
            str(cache),
        ]
        first = runner.invoke(app, args)
        second = runner.invoke(app, args)
        sent = list(server.requests)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert [m["quantity"]["value"] for m in one["metrics"]] == [64, 12680000000]
    for m in one["metrics"]:
        ev = m["evidence"]
        assert one["source"]["text"][ev["start"] : ev["end"]] == ev["quote"]
    assert len(sent) == 2  # the 429 and its retry; the second run sent nothing
    assert (one["provenance"]["cache"], two["provenance"]["cache"]) == ("miss", "hit")
    assert all(
        r.headers.get("authorization", r.headers.get("Authorization")) == f"Bearer {key}"
        for r in sent
    )
    for path in cache.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes()
    assert key not in first.output + second.output + caplog.text


def test_render_with_and_without_the_article(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    assert (
        runner.invoke(app, ["extract", str(ARTICLE), "-b", "rules", "-o", str(report)]).exit_code
        == 0
    )
    page = tmp_path / "r.html"
    done = runner.invoke(app, ["render", str(report), "-o", str(page)])
    assert done.exit_code == 0
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<mark" in html and "Provenance" in html
    assert "http://" not in html and "https://" not in html  # self-contained
    same = runner.invoke(app, ["render", str(report), "--article", str(ARTICLE), "-o", str(page)])
    assert same.exit_code == 0
    other = EXAMPLES / "fengyuan_2023_traditional.txt"
    wrong = runner.invoke(app, ["render", str(report), "--article", str(other), "-o", str(page)])
    assert wrong.exit_code == 2 and "is --article the article" in wrong.stderr
