"""Extraction on Ray: read, map_batches with an extractor that owns its client and
cache, write Parquet (pip install "zsextract[ray]").

    python examples/ray_pipeline.py                      # a local Ray, rules backend
    ray job submit -- python examples/ray_pipeline.py llm deepseek   # on a cluster
"""

from __future__ import annotations

import sys
from pathlib import Path

import ray

from zsextract import raydata

HERE = Path(__file__).resolve().parent


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "rules"
    options = {"provider": sys.argv[2]} if len(sys.argv) > 2 else {}
    ray.init(ignore_reinit_error=True)
    counts = raydata.run(HERE / "articles", HERE / "out" / "ray", backend, concurrency=2, **options)
    print(counts)  # Parquet in examples/out/ray/reports and examples/out/ray/rows


if __name__ == "__main__":
    main()
