"""zsextract as a web service: a Starlette app run by uvicorn with several workers.

    pip install "zsextract[service]"
    export OPENAI_BASE_URL=http://localhost:8000/v1 ZSEXTRACT_MODEL=qwen2.5-7b-instruct
    uvicorn web_service:app --app-dir examples --workers 4 --port 8080

    curl -s localhost:8080/extract -d '{"text": "今年以来，全县新签项目12个。"}'

``POST /extract`` takes ``{"text": ..., "metadata": {...}}`` and answers with the report
(``format: "gold"`` for the gold-file form). With no endpoint configured it uses the
offline rules backend. Errors are answers a client can act on: 400 for a bad request,
422 for an article that cannot be read, 504 when the deadline ran out, 503 when the
model endpoint failed; never a traceback.

What a long-running service needs, and where it is here:

- each worker process builds its backend once, at its first request, and reuses its
  connections; a backend is safe across forks and event loops anyway;
- every article has a deadline (``ZSEXTRACT_DEADLINE`` seconds, default 60), retries
  and repairs included;
- ``zsextract.subscribe`` routes events to the counters at ``GET /metrics`` (swap in
  Prometheus or OpenTelemetry); ``zsextract`` log records go to uvicorn's log.
"""

from __future__ import annotations

import collections
import logging
import os
from functools import cache
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import zsextract

logging.getLogger("zsextract").setLevel(logging.INFO)

#: events seen by this worker, by kind and reason (GET /metrics)
COUNTS: collections.Counter[str] = collections.Counter()


def _count(event: zsextract.Event) -> None:
    COUNTS[f"{event.kind}:{event.reason}" if event.reason else event.kind] += 1
    if event.kind == "call":
        COUNTS["tokens"] += (event.prompt_tokens or 0) + (event.completion_tokens or 0)


zsextract.subscribe(_count)


@cache
def backend() -> zsextract.Backend:
    """This worker's backend: the LLM when an endpoint is configured, else the rules."""
    if not (os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY")):
        return zsextract.get_backend("rules")
    options: dict[str, Any] = {
        "deadline": float(os.environ.get("ZSEXTRACT_DEADLINE", "60")),
        "on_ungrounded": "drop",
    }
    if os.environ.get("ZSEXTRACT_CACHE_DIR"):
        options["cache_dir"] = os.environ["ZSEXTRACT_CACHE_DIR"]
    return zsextract.LLMBackend(**options)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


async def extract(request: Request) -> JSONResponse:
    try:
        body = await request.json()
    except ValueError:
        return _error(400, 'the body must be JSON: {"text": ...}')
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str):
        return _error(400, "'text' must be the article as a string")
    try:
        report = await zsextract.aextract(text, backend=backend(), metadata=body.get("metadata"))
    except zsextract.InputError as exc:
        return _error(422, str(exc))
    except zsextract.DeadlineError as exc:
        return _error(504, str(exc), attempts=exc.attempts)
    except zsextract.LLMError as exc:  # the endpoint failed: worth trying again later
        return _error(503, str(exc), attempts=exc.attempts)
    except zsextract.ZsExtractError as exc:
        return _error(500, str(exc))
    content = report.to_gold() if body.get("format") == "gold" else report.model_dump(mode="json")
    return JSONResponse(content, headers={"X-Worker": str(os.getpid())})


async def metrics(request: Request) -> JSONResponse:
    return JSONResponse(dict(COUNTS), headers={"X-Worker": str(os.getpid())})


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


app = Starlette(
    routes=[
        Route("/extract", extract, methods=["POST"]),
        Route("/metrics", metrics),
        Route("/health", health),
    ]
)
