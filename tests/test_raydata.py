"""The Ray Data integration on a local Ray with 2 CPUs (no network: usage stats off)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

import pandas as pd  # noqa: E402

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
