"""zsextract behind a service: one function that takes a request and returns a response,
as a web handler, a queue consumer or a serverless function would call it.

    python examples/service.py examples/articles/qingshan_2024_h1.txt

Errors become a response with a status and a message a client can act on, never a
traceback; the backend is built once and reused for every request.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

import zsextract


@cache
def backend() -> zsextract.Backend:
    """The LLM backend when an endpoint is configured, else the offline rules; built once."""
    if os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
        return zsextract.LLMBackend(on_ungrounded="drop")
    return zsextract.get_backend("rules")


def handle(request: dict[str, Any]) -> dict[str, Any]:
    """``{"text": ..., "doc": name, "metadata": {...}, "format": "gold"|"report"}`` -> a
    response (``doc``, optional, names the article in the report and the gold format)."""
    text = request.get("text")
    if not isinstance(text, str):
        return {"status": 400, "error": "'text' must be the article as a string"}
    try:
        report = zsextract.extract(
            text, backend=backend(), metadata=request.get("metadata"), path=request.get("doc")
        )
    except zsextract.InputError as exc:
        return {"status": 422, "error": str(exc)}
    except zsextract.LLMError as exc:  # the model endpoint failed: worth retrying later
        return {"status": 503, "error": str(exc), "attempts": exc.attempts}
    body = (
        report.to_gold()
        if request.get("format") == "gold"
        else report.model_dump(mode="json", exclude={"source": {"text"}})
    )
    return {"status": 200, "report": body}


if __name__ == "__main__":
    path = Path(sys.argv[1])
    response = handle({"text": path.read_text("utf-8"), "doc": path.name, "format": "gold"})
    print(json.dumps(response, ensure_ascii=False, indent=1))  # whole: valid JSON
