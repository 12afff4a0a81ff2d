"""Extraction on a Ray cluster with Ray Data (``pip install "zsextract[ray]"``).

>>> import ray, zsextract.raydata as zr                                  # doctest: +SKIP
>>> ds = zr.read_documents("articles/")              # a folder, or a JSONL of {id, text}
>>> reports = zr.extract_dataset(ds, backend="llm", concurrency=8, provider="deepseek")
>>> reports.write_parquet("out/reports")             # one row per document
>>> zr.long_table(reports).write_parquet("out/rows")  # one row per metric, project …
>>> done = zr.consolidate_dataset(reports)    # copies grouped, figures folded into facts
>>> done.facts.write_parquet("out/facts")     # one row per fact, as zsextract.consolidate

:class:`Extractor` is the callable class given to ``map_batches``: each Ray actor
builds its backend once (its own client, its own cache on the node) and reuses it for
every batch. A document that fails becomes a row with ``status == "error"`` and its
cause; it does not fail the job.
"""

from __future__ import annotations

import json
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigurationError, DocumentError
from .options import LLMSettings, split_options

__all__ = [
    "Extractor",
    "RayConsolidation",
    "consolidate_dataset",
    "extract_dataset",
    "long_table",
    "read_documents",
    "reports_dataset",
    "run",
]

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


def reports_dataset(reports: Any) -> Any:
    """A Ray Dataset of ``id``, ``status``, ``report`` (JSON) from reports in memory (what
    :func:`zsextract.consolidate` takes), as :func:`extract_dataset` makes them."""
    from .report.tables import iter_reports

    rows = [
        {"id": doc_id, "status": "ok", "report": r.model_dump_json(by_alias=True)}
        for doc_id, r in iter_reports(reports)
    ]
    return _ray().data.from_items(rows)


@dataclass
class RayConsolidation:
    """What :func:`consolidate_dataset` gives: the facts as a Dataset (one row per fact,
    the columns of ``zsextract.dataset.FACT_COLUMNS``: numbers as plain digits, ``values``
    and ``sources`` as JSON text, as in the CSV of the facts) and the groups of copies."""

    facts: Any
    copies: list[list[str]]


def _report_of(row: Any) -> Any:
    from .report.schema import PromotionReport

    return PromotionReport.model_validate_json(row)


class _Bands:
    """For ``map_batches``: each report's signature and LSH band keys, one row per band."""

    def __init__(self, threshold: float | None) -> None:
        from .dataset.copies import CopyFinder

        self.finder = CopyFinder(threshold)

    def __call__(self, batch: Any) -> Any:
        import pandas as pd

        rows = []
        for doc_id, report in zip(batch["id"], batch["report"], strict=True):
            signature = self.finder.signature(_report_of(report).source.text)
            if signature is None:
                continue  # too short a text to be anyone's copy
            kept = self.finder.signature_bytes(signature)
            rows += [
                {"band": band, "id": str(doc_id), "signature": kept}
                for band in self.finder.bands(signature)
            ]
        return pd.DataFrame(rows, columns=["band", "id", "signature"])


#: a band shared by more documents than this is checked against its least id only
_ALL_PAIRS_UP_TO = 64


def _pairs(group: dict[str, Any], threshold: float) -> dict[str, Any]:
    """For ``map_groups`` (numpy batches: a band's rows): the pairs of its documents that
    are copies. Most bands hold one document; those cost a length check."""
    import numpy as np

    from .dataset.copies import similar

    pairs: list[tuple[str, str]] = []
    if len(group["id"]) > 1:
        by_id = dict(zip(group["id"].tolist(), group["signature"].tolist(), strict=True))
        ids = sorted(by_id)
        for i, a in enumerate(ids):
            if i > 0 and len(ids) > _ALL_PAIRS_UP_TO:
                break  # a crowded band: each is checked against its least id only
            pairs += [(a, b) for b in ids[i + 1 :] if similar(by_id[a], by_id[b]) >= threshold]
    return {
        "a": np.array([a for a, _ in pairs], dtype=object),
        "b": np.array([b for _, b in pairs], dtype=object),
    }


def _statement_rows(batch: Any) -> Any:
    """For ``map_batches``: each report's figures as statements (key as JSON, pickled)."""
    import pandas as pd

    from .dataset.facts import statements

    rows = []
    for doc_id, report in zip(batch["id"], batch["report"], strict=True):
        for statement in statements(str(doc_id), str(doc_id), _report_of(report)):
            rows.append(
                {
                    "key": json.dumps(statement.key, ensure_ascii=False),
                    "statement": pickle.dumps(statement),
                }
            )
    return pd.DataFrame(rows, columns=["key", "statement"])


def _fold_group(group: dict[str, Any], article_of: dict[str, str]) -> dict[str, Any]:
    """For ``map_groups`` (numpy batches: one key's statements): its facts, as columns of
    text and plain digits."""
    import numpy as np

    from .dataset.facts import fold
    from .dataset.output import FACT_COLUMNS, text_row

    made = fold((pickle.loads(b) for b in group["statement"]), article_of)
    rows = [text_row(fact.as_row()) for _, fact in made]
    return {c: np.array([row[c] for row in rows], dtype=object) for c in FACT_COLUMNS}


def consolidate_dataset(
    reports: Any, *, copies: bool = True, threshold: float | None = None
) -> RayConsolidation:
    """:func:`zsextract.consolidate` on a Ray cluster, for collections beyond one machine.

    ``reports``: a Dataset of ``id``, ``status``, ``report`` (JSON), as
    :func:`extract_dataset` or :func:`reports_dataset` make it; rows not ``ok`` are
    left out. Signatures and LSH bands are computed on the workers and grouped by band;
    only the pairs of copies come back to the driver, which joins them into groups (the
    least id first) and hands each worker the map from a copy to its group's first
    document. Figures are grouped by key and folded on the workers, as locally; the
    documents are ranked by id (locally, by input order)."""
    from .dataset.copies import group_pairs

    kept = reports.filter(lambda row: row["status"] == "ok").select_columns(["id", "report"])
    groups: list[list[str]] = []
    if copies:
        from .dataset.copies import CopyFinder

        limit = CopyFinder(threshold).threshold  # checks it
        bands = kept.map_batches(
            _Bands,
            fn_constructor_kwargs={"threshold": threshold},
            batch_format="pandas",
            concurrency=1,
        )
        pairs = bands.groupby("band").map_groups(
            _pairs, fn_kwargs={"threshold": limit}, batch_format="numpy"
        )
        found = [(row["a"], row["b"]) for row in pairs.take_all()]
        groups = group_pairs(found, rank=str)
    article_of = {doc_id: group[0] for group in groups for doc_id in group[1:]}
    facts = (
        kept.map_batches(_statement_rows, batch_format="pandas")
        .groupby("key")
        .map_groups(_fold_group, fn_kwargs={"article_of": article_of}, batch_format="numpy")
    )
    return RayConsolidation(facts=facts, copies=groups)
