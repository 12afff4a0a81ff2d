"""The examples run as written: the quickstart notebook (nbclient), the service
function, the batch script."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT

EXAMPLES = ROOT / "examples"


def _run_notebook(name: str) -> list[Any]:
    """Every output of the example notebook ``name``, run in the examples folder."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(EXAMPLES / name, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return outputs


def test_quickstart_notebook_runs() -> None:
    outputs = _run_notebook("quickstart.ipynb")
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<mark" in h and "data-items" in h for h in html)  # the report's evidence view


def test_dataset_notebook_shows_a_consolidated_table_and_a_series_plot() -> None:
    outputs = _run_notebook("dataset.ipynb")
    data = [o.get("data", {}) for o in outputs]
    copies = next(d["text/plain"] for d in data if "mirror_of_h1" in d.get("text/plain", ""))
    assert "tongchuan_2024_h1" in copies and "repost_of_q3" in copies
    tables = [d["text/html"] for d in data if "<table" in d.get("text/html", "")]
    assert any("agreement" in t and "rounding" in t and "conflict" in t for t in tables)
    assert any("increment" in t and "True" in t for t in tables)  # derived increments
    plots = [d for d in data if "application/vnd.plotly.v1+json" in d]
    assert len(plots) == 1
    traces = plots[0]["application/vnd.plotly.v1+json"]["data"]
    assert any("cumulative" in t["name"] for t in traces)
    assert any("derived" in t["name"] and t["type"] == "bar" for t in traces)


def _service():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("service", EXAMPLES / "service.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_service_function(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    service = _service()
    article = (EXAMPLES / "articles" / "qingshan_2024_h1.txt").read_text("utf-8")
    ok = service.handle({"text": article, "format": "gold"})
    assert ok["status"] == 200 and ok["report"]["metrics"]
    full = service.handle({"text": article})
    assert "text" not in full["report"]["source"] and full["report"]["provenance"]
    assert service.handle({"text": "   "})["status"] == 422
    assert service.handle({"article": article})["status"] == 400


def test_service_script_prints_whole_json_naming_the_article() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    article = EXAMPLES / "articles" / "qingshan_2024_h1.txt"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "service.py"), str(article)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    response = json.loads(done.stdout)  # the whole answer: valid JSON
    assert response["status"] == 200 and response["report"]["doc"] == article.name
    assert len(response["report"]["metrics"]) > 5


def test_batch_example_runs(tmp_path: Path) -> None:
    env = {**os.environ, "ZSEXTRACT_EXAMPLE_OUT": str(tmp_path)}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "batch_run.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "rows.parquet").stat().st_size > 0
    assert "'failed': 0" in done.stdout
