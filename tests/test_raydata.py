"""The Ray Data integration on a local Ray with 2 CPUs (no network: usage stats off)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

import pandas as pd  # noqa: E402

import zsextract  # noqa: E402
from zsextract import raydata  # noqa: E402
from zsextract.testing import FakeOpenAIServer, chat_completion  # noqa: E402

from .conftest import ROOT  # noqa: E402

ARTICLES = ROOT / "tests" / "data" / "articles"


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory: pytest.TempPathFactory):
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    # Ray puts the driver's current folder on its workers' sys.path: started from the
    # repository, they would import the source tree instead of the installed package.
    here = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("ray"))
    try:
        _init()
    finally:
        os.chdir(here)
    yield
    ray.shutdown()


def _init() -> None:
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        ignore_reinit_error=True,
    )


def test_folder_to_parquet_with_rules(local_ray, tmp_path: Path) -> None:
    counts = raydata.run(ARTICLES, tmp_path / "out", concurrency=2)
    assert counts == {"documents": 4, "failed": 0}
    reports = pd.read_parquet(tmp_path / "out" / "reports")
    assert sorted(reports["id"]) == sorted(p.name for p in ARTICLES.iterdir())
    first = json.loads(reports.sort_values("id")["report"].iloc[0])
    assert first["region"] == "临川县"
    rows = pd.read_parquet(tmp_path / "out" / "rows")
    assert set(rows["part"]) == {"metric", "mechanism", "timeline_stage", "project"}
    assert rows["doc_id"].nunique() == 4


def test_jsonl_with_the_llm_backend_and_a_failure(local_ray, tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(
        "\n".join(
            json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False)
            for i, t in enumerate(["全县新签项目26个。", "到位资金5亿元。", " "])
        ),
        "utf-8",
    )
    answer = '{"metrics": []}'
    with FakeOpenAIServer(
        lambda r: chat_completion(tool_arguments=answer, tool_name="LLMExtraction")
    ) as server:
        ds = raydata.extract_dataset(
            raydata.read_documents(src),
            "llm",
            concurrency=2,
            batch_size=1,
            base_url=server.base_url,
            model="m",
            use_cache=False,
        )
        out = ds.to_pandas().set_index("id")
        asked = len(server.requests)
    assert asked == 2
    assert out.loc["d0", "status"] == "ok" and out.loc["d2", "status"] == "error"
    assert "EmptyInputError" in out.loc["d2", "error"]
    assert json.loads(out.loc["d1", "report"])["provenance"]["backend"] == "llm"


def test_consolidation_on_ray_agrees_with_the_local_one(local_ray) -> None:
    from .collection import collection

    c = collection()
    reports = [(i, r) for i, r in c.reports() if i.split("~")[0] in c.originals[:8]]
    local = zsextract.consolidate(reports)
    done = raydata.consolidate_dataset(raydata.reports_dataset(reports))
    assert sorted(map(sorted, done.copies)) == sorted(map(sorted, local.copies))
    assert len(local.copies) == 8

    def facts(rows):  # type: ignore[no-untyped-def]
        return sorted(
            (r["measure"], r["period_end"] or "", r["agreement"], json.dumps(sorted(r["docs"])))
            for r in rows
        )

    on_ray = done.facts.take_all()
    for row in on_ray:
        row["docs"] = [s["doc_id"] for s in json.loads(row["sources"])]
    mine = [fact.as_row() | {"docs": [s.doc_id for s in fact.sources]} for fact in local.facts]
    assert facts(on_ray) == facts(mine)
    assert sum(r["agreement"] == "conflict" for r in on_ray) == len(local.conflicts) >= 1
