"""zsextract regress: replay cassettes, compare snapshots, name stale cassettes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from zsextract.cli import app
from zsextract.regress.runner import diff_snapshots, run_regression

from .conftest import ROOT

pytest_plugins = ["pytester"]

CORPUS = ROOT / "tests" / "data" / "articles"
REGRESSION = ROOT / "tests" / "regression"
runner = CliRunner()


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    cassettes = tmp_path / "cassettes"
    snapshots = tmp_path / "snapshots"
    shutil.copytree(REGRESSION / "cassettes", cassettes)
    shutil.copytree(REGRESSION / "snapshots", snapshots)
    return cassettes, snapshots


def test_the_librarys_own_regression_corpus_is_unchanged() -> None:
    result = run_regression(CORPUS, REGRESSION / "cassettes", REGRESSION / "snapshots")
    assert [a.status for a in result.articles] == ["same"] * 4, [
        (a.article, a.status, a.reason, [str(c) for c in a.changes]) for a in result.articles
    ]


def test_changes_are_reported_field_by_field_and_accepted_with_update(workspace) -> None:
    cassettes, snapshots = workspace
    path = snapshots / "a01_county_summary.json"
    old = json.loads(path.read_text("utf-8"))
    old["metrics"][0]["quantity"]["value"] = 45  # was 46
    removed = old["mechanisms"].pop()  # the report now has one more
    old["metrics"].append(
        {
            **old["metrics"][1],
            "evidence": {**old["metrics"][1]["evidence"], "quote": "不再有的数字"},
        }
    )
    path.write_text(json.dumps(old, ensure_ascii=False), "utf-8")

    args = [
        "regress",
        "--corpus",
        str(CORPUS),
        "--cassettes",
        str(cassettes),
        "--snapshots",
        str(snapshots),
        "--html",
        str(snapshots.parent / "diff.html"),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "a01_county_summary" in result.stdout and "changed" in result.stdout
    assert "quantity.value: 45 -> 46" in result.stdout
    assert f"mechanisms[{removed['code']}]" in result.stdout
    assert "- metrics[不再有的数字]" in result.stdout
    page = (snapshots.parent / "diff.html").read_text("utf-8")
    assert "<!DOCTYPE html>" in page and "a01_county_summary" in page and "http" not in page

    assert runner.invoke(app, [*args[:-2], "--update"]).exit_code == 0
    assert runner.invoke(app, args[:-2]).exit_code == 0


def _edit_first_request(cassette: Path, edit) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(cassette.read_text("utf-8"))
    body = json.loads(data["interactions"][0]["request"]["body"])
    edit(body)
    data["interactions"][0]["request"]["body"] = json.dumps(body, ensure_ascii=False)
    cassette.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def test_stale_cassettes_are_named_with_the_reason_and_the_record_command(workspace) -> None:
    cassettes, snapshots = workspace

    def old_prompt(body: dict) -> None:  # as if recorded with an older system prompt
        body["messages"][0]["content"] = "旧的系统提示"

    def old_schema(body: dict) -> None:
        body["tools"][0]["function"]["parameters"]["properties"].pop("region")

    _edit_first_request(cassettes / "a02_zone_traditional.yaml", old_prompt)
    _edit_first_request(cassettes / "a03_city_page.yaml", old_schema)
    (cassettes / "a04_forum_repost.yaml").unlink()
    result = run_regression(CORPUS, cassettes, snapshots)
    by_name = {a.article: a for a in result.articles}
    assert by_name["a01_county_summary"].status == "same"
    assert by_name["a02_zone_traditional"].status == "stale"
    assert by_name["a02_zone_traditional"].reason == "system prompt changed"
    assert by_name["a03_city_page"].reason == "response schema changed"
    assert by_name["a04_forum_repost"].status == "no-cassette"
    for name in ("a02_zone_traditional", "a03_city_page", "a04_forum_repost"):
        command = by_name[name].command or ""
        assert command.startswith("zsextract regress ") and f"--record {name}" in command
    cli = runner.invoke(
        app,
        [
            "regress",
            "--corpus",
            str(CORPUS),
            "--cassettes",
            str(cassettes),
            "--snapshots",
            str(snapshots),
        ],
    )
    assert cli.exit_code == 1 and "system prompt changed" in cli.stdout


def test_diff_of_identical_snapshots_is_empty() -> None:
    snap = json.loads((REGRESSION / "snapshots" / "a03_city_page.json").read_text("utf-8"))
    assert diff_snapshots(snap, snap) == []


def test_pytest_plugin_in_a_users_suite(pytester: pytest.Pytester, workspace) -> None:
    cassettes, snapshots = workspace
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        f"""
        def test_unchanged(zsextract_regress):
            result = zsextract_regress({str(CORPUS)!r}, {str(cassettes)!r}, {str(snapshots)!r})
            assert len(result.articles) == 4
        """
    )
    assert pytester.runpytest("-p", "no:cacheprovider").ret == 0
    path = snapshots / "a04_forum_repost.json"
    snap = json.loads(path.read_text("utf-8"))
    snap["region"] = "别的县"
    path.write_text(json.dumps(snap, ensure_ascii=False), "utf-8")
    failed = pytester.runpytest("-p", "no:cacheprovider")
    assert failed.ret == 1
    failed.stdout.fnmatch_lines(["*a04_forum_repost: changed*", "*region*别的县*"])
    assert pytester.runpytest("-p", "no:cacheprovider", "--zsextract-update").ret == 0
    assert pytester.runpytest("-p", "no:cacheprovider").ret == 0


def test_record_again_from_an_endpoint(workspace, monkeypatch) -> None:
    """--record stale records the stale cassettes from the configured endpoint (here a
    local fake server standing in for a live one) and labels them with its URL."""
    from zsextract.testing import FakeOpenAIServer, chat_completion

    cassettes, snapshots = workspace
    (cassettes / "a04_forum_repost.yaml").unlink()
    answer = (
        '{"metrics": [{"name": "新开工项目", "quote": "新开工项目21个", '
        '"value": 21, "unit": "count"}]}'
    )
    with FakeOpenAIServer(
        lambda request: chat_completion(tool_arguments=answer, tool_name="LLMExtraction")
    ) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-live-SECRET")
        result = runner.invoke(
            app,
            [
                "regress",
                "--corpus",
                str(CORPUS),
                "--cassettes",
                str(cassettes),
                "--snapshots",
                str(snapshots),
                "--record",
                "stale",
                "--model",
                "live-model",
            ],
        )
        requests = len(server.requests)
    assert requests == 1
    text = (cassettes / "a04_forum_repost.yaml").read_text("utf-8")
    assert f"recorded from {server.base_url} (model live-model)" in text
    assert "SECRET" not in text and "Bearer" not in text
    # the new recording answers differently: the snapshot comparison shows it
    assert result.exit_code == 1 and "a04_forum_repost: changed" in result.stdout


def test_a_transient_500_in_the_recording_replays_as_it_happened(workspace) -> None:
    cassettes, snapshots = workspace
    path = cassettes / "a01_county_summary.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    failed = json.loads(json.dumps(data["interactions"][0]))
    failed["response"]["status"] = {"code": 500, "message": "Internal Server Error"}
    failed["response"]["body"] = {"string": '{"error": {"message": "oops"}}'}
    data["interactions"].insert(0, failed)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = run_regression(CORPUS, cassettes, snapshots)
    assert {a.article: a.status for a in result.articles}["a01_county_summary"] == "same"


def test_a_grounding_change_is_a_change_with_its_items_not_a_stale_cassette(
    workspace, monkeypatch
) -> None:
    from zsextract.llm import grounding

    real = grounding._close

    def stricter(a, b, unit):  # type: ignore[no-untyped-def]
        return unit != "percent" and real(a, b, unit)  # today's grounding refuses percentages

    monkeypatch.setattr(grounding, "_close", stricter)
    cassettes, snapshots = workspace
    result = run_regression(CORPUS, cassettes, snapshots)
    statuses = {a.article: a for a in result.articles}
    a01 = statuses["a01_county_summary"]
    assert a01.status == "changed", (a01.status, a01.reason)
    removed = [c for c in a01.changes if c.kind == "removed"]
    assert removed and all(c.before["quantity"]["unit"] == "percent" for c in removed)
    assert all(a.status != "stale" for a in result.articles)
