"""Extraction on a Ray cluster with Ray Data (``pip install "zsextract[ray]"``).

>>> import ray, zsextract.raydata as zr                                  # doctest: +SKIP
>>> ds = zr.read_documents("articles/")              # a folder, or a JSONL of {id, text}
>>> reports = zr.extract_dataset(ds, backend="llm", concurrency=8, provider="deepseek")
>>> reports.write_parquet("out/reports")             # one row per document
>>> zr.long_table(reports).write_parquet("out/rows")  # one row per metric, project …

:class:`Extractor` is the callable class given to ``map_batches``: each Ray actor
builds its backend once (its own client, its own cache on the node) and reuses it for
every batch. A document that fails becomes a row with ``status == "error"`` and its
cause; it does not fail the job.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import ConfigurationError, DocumentError
from .options import LLMSettings, split_options

__all__ = ["Extractor", "extract_dataset", "long_table", "read_documents", "run"]

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no reporting home from a cluster


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigurationError(
            'the Ray integration needs Ray: pip install "zsextract[ray]"'
        ) from None
    return ray


class Extractor:
    """For ``Dataset.map_batches``: pandas batches of ``id``, ``text`` (and an optional
    ``metadata`` JSON column) in; ``id``, ``status``, ``report`` (JSON), ``error`` out."""

    def __init__(
        self, backend: str = "rules", settings: LLMSettings | None = None, **llm_options: Any
    ) -> None:
        from .api import engine_for

        self.engine = engine_for(backend, settings, None, llm_options, "Extractor()")

    def __call__(self, batch: Any) -> Any:
        import pandas as pd

        from .api import extract

        rows = []
        metadata = batch["metadata"] if "metadata" in batch else [None] * len(batch)
        for doc_id, text, meta in zip(batch["id"], batch["text"], metadata, strict=True):
            row = {"id": str(doc_id), "status": "ok", "report": None, "error": None}
            try:
                meta_dict = json.loads(meta) if isinstance(meta, str) and meta else meta
                report = extract(str(text), backend=self.engine, metadata=meta_dict or None)
                row["report"] = report.model_dump_json(by_alias=True)
            except Exception as exc:  # a bug, too, costs this document, not the job
                error = DocumentError.from_exception(exc).as_dict()
                row["status"], row["error"] = "error", json.dumps(error, ensure_ascii=False)
            rows.append(row)
        return pd.DataFrame(rows, columns=["id", "status", "report", "error"])


def read_documents(source: str | Path) -> Any:
    """A Ray Dataset with ``id`` and ``text``: a JSONL of ``{id, text, metadata}`` or a
    folder of articles (decoded as :func:`zsextract.read_article` does)."""
    ray = _ray()
    path = Path(source)
    if path.is_file() and path.suffix in (".jsonl", ".ndjson"):
        return ray.data.read_json(str(path), lines=True)
    from .batch.inputs import read_inputs

    rows = [
        {"id": d.id, "text": d.text, "metadata": json.dumps(d.metadata, ensure_ascii=False)}
        for d in read_inputs(source)
        if not d.error
    ]
    return ray.data.from_items(rows)


def extract_dataset(
    ds: Any,
    backend: str = "rules",
    *,
    concurrency: int = 2,
    batch_size: int = 16,
    num_cpus: float | None = None,
    settings: LLMSettings | None = None,
    **llm_options: Any,
) -> Any:
    """Rows of ``ds`` (``id``, ``text``) extracted by ``concurrency`` actors.

    ``settings`` (an :class:`~zsextract.LLMSettings`, or its fields by name in
    ``llm_options``) go to every actor's backend; they are checked here, before the job
    starts. ``num_cpus`` is reserved per actor: by default 1 for the rules backend (it
    computes) and 0.25 for the LLM backend (it waits on the network). Leave a CPU free
    for the read tasks, or a job whose actors hold every CPU waits for ever."""
    llm, _ = split_options("extract_dataset()", llm_options)
    settings = (settings or LLMSettings()).merged(**llm)
    if num_cpus is None:
        num_cpus = 0.25 if backend == "llm" else 1.0
    return ds.map_batches(
        Extractor,
        fn_constructor_kwargs={"backend": backend, "settings": settings},
        batch_format="pandas",
        batch_size=batch_size,
        concurrency=concurrency,
        num_cpus=num_cpus,
    )


def long_table(reports: Any) -> Any:
    """One row per metric, mechanism, timeline stage and project (:mod:`zsextract.tables`)."""
    from .report.tables import to_rows

    def rows(row: dict[str, Any]) -> list[dict[str, Any]]:
        if row["status"] != "ok":
            return []
        return list(to_rows([{"id": row["id"], "report": json.loads(row["report"])}]))

    return reports.flat_map(rows)


def run(
    source: str | Path,
    output: str | Path,
    backend: str = "rules",
    *,
    concurrency: int = 2,
    settings: LLMSettings | None = None,
    **llm_options: Any,
) -> dict[str, int]:
    """Read, extract and write ``<output>/reports`` and ``<output>/rows`` as Parquet."""
    reports = extract_dataset(
        read_documents(source),
        backend,
        concurrency=concurrency,
        settings=settings,
        **llm_options,
    ).materialize()
    reports.write_parquet(str(Path(output) / "reports"))
    long_table(reports).write_parquet(str(Path(output) / "rows"))
    failed = reports.filter(lambda r: r["status"] != "ok").count()
    return {"documents": reports.count(), "failed": failed}
