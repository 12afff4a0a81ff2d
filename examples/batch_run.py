"""A batch run from Python: many articles, one JSON line each, then a long table.

    python examples/batch_run.py                       # the offline rules backend
    OPENAI_API_KEY=... python examples/batch_run.py llm gpt-4o-mini

The run can be stopped and started again: ``resume=True`` skips what is done.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import zsextract

HERE = Path(__file__).resolve().parent
OUT = Path(os.environ.get("ZSEXTRACT_EXAMPLE_OUT", HERE / "out"))


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "rules"
    options = {"model": sys.argv[2]} if len(sys.argv) > 2 else {}
    summary = zsextract.extract_many(
        HERE / "articles",  # a folder, a glob, or a JSONL of {id, text}
        backend,
        output=OUT / "reports.jsonl",  # one line per article, appended as it finishes
        resume=True,  # skip articles already done
        concurrency=8,
        requests_per_minute=300 if backend == "llm" else None,
        progress=True,
        **options,
    )
    print(summary.as_dict())
    frame = zsextract.to_frame(OUT / "reports.jsonl")  # one row per metric, project …
    metrics = frame[frame.part == "metric"][["doc_id", "name", "value", "unit", "period"]]
    print(metrics.to_string(index=False))
    zsextract.write_table(OUT / "reports.jsonl", OUT / "rows.parquet")


if __name__ == "__main__":
    main()
