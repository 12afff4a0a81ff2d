"""A local fake OpenAI-compatible server, for tests and benchmarks with no network.

>>> with FakeOpenAIServer() as server:                       # doctest: +SKIP
...     server.enqueue(chat_completion(content='{"metrics": []}'))
...     client = openai.OpenAI(base_url=server.base_url, api_key="test")

Answers ``POST /v1/chat/completions`` (and ``GET /v1/models``) on 127.0.0.1 with, in
order: responses queued with :meth:`FakeOpenAIServer.enqueue`, else the ``responder``
function given at start, else a 500. Every request is kept in ``server.requests``
(method, path, headers, parsed JSON body) so tests can check what was sent.
``latency`` delays every answer, for throughput benchmarks.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = [
    "FakeOpenAIServer",
    "FakeResponse",
    "RecordedRequest",
    "answer_from_gold",
    "chat_completion",
]


@dataclass
class FakeResponse:
    """One scripted answer: a JSON body (or raw text), a status, headers and a delay."""

    body: dict[str, Any] | str = field(default_factory=dict)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    received: float = 0.0  #: time.monotonic() when the request arrived


Responder = Callable[[RecordedRequest], FakeResponse]


def chat_completion(
    content: str | None = None,
    *,
    tool_arguments: str | None = None,
    tool_name: str = "PromotionExtraction",
    finish_reason: str = "stop",
    prompt_tokens: int = 100,
    completion_tokens: int = 50,
    model: str = "fake-model",
) -> FakeResponse:
    """A chat completion answer: text ``content``, or a tool call with ``tool_arguments``."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_arguments is not None:
        message["content"] = None
        message["tool_calls"] = [
            {
                "id": "call_0",
                "type": "function",
                "function": {"name": tool_name, "arguments": tool_arguments},
            }
        ]
        if finish_reason == "stop":
            finish_reason = "tool_calls"
    return FakeResponse(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default of 5 refuses connections under load


class FakeOpenAIServer:
    """An OpenAI-compatible HTTP server in a background thread on 127.0.0.1."""

    def __init__(
        self, responder: Responder | None = None, *, latency: float = 0.0, port: int = 0
    ) -> None:
        self.responder = responder
        self.latency = latency
        self.requests: list[RecordedRequest] = []
        self._queue: deque[FakeResponse] = deque()
        self._lock = threading.Lock()
        # port 0: any free port (an OSError when a given port is taken)
        self._httpd = _Server(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{name}:{port}/v1"

    def enqueue(self, *responses: FakeResponse) -> None:
        """Answer the next requests with these, in order."""
        with self._lock:
            self._queue.extend(responses)

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, request: RecordedRequest) -> FakeResponse:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None:
            return self.responder(request)
        return FakeResponse({"error": {"message": "no scripted response left"}}, status=500)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # headers and body go out in separate writes: without this the
                # client's delayed ACK adds ~40 ms to every answer
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                request = RecordedRequest(
                    method, self.path, dict(self.headers.items()), body, time.monotonic()
                )
                if method == "GET" and self.path.rstrip("/").endswith("/models"):
                    response = FakeResponse({"object": "list", "data": [{"id": "fake-model"}]})
                    with server._lock:
                        server.requests.append(request)
                else:
                    response = server._next(request)
                delay = server.latency + response.delay
                if delay:
                    time.sleep(delay)
                payload = (
                    response.body.encode("utf-8")
                    if isinstance(response.body, str)
                    else json.dumps(response.body, ensure_ascii=False).encode("utf-8")
                )
                try:
                    self.send_response(response.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in response.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def do_POST(self) -> None:
                self._answer("POST")

            def do_GET(self) -> None:
                self._answer("GET")

        return Handler


def answer_from_gold(gold: dict[str, Any], article: str) -> dict[str, Any]:
    """What a correct, careful model would answer for ``article``, built from its gold
    annotation (the format of eval/GOLD.md), in the LLM backend's response model.

    Gold files say what is true, not always where: the quotes are filled in as the
    prompt asks a model to give them. A mechanism's quote is the first mention the
    mechanism reader finds; a project's is the clause that names it (its name less the
    words 项目/公司, which gold adds to list items: 甲、乙等项目); a timeline's is the
    sentence around the gold quote, which states the stages. Useful to script cassettes,
    to measure request and response sizes, and to check that grounding keeps what is
    right (tests/test_honest_grounding.py)."""
    from .readers.mechanisms import find_mechanisms
    from .readers.names import project_key
    from .text.clean import clean_text
    from .text.script import fold

    doc = clean_text(article)
    text = doc.text
    folded = fold(text)
    mechanism_quotes = {
        m.code: text[doc.to_clean(m.evidence.start) : doc.to_clean(m.evidence.end)]
        for m in find_mechanisms(doc)
    }

    def cleaned(quote: str | None) -> str | None:
        return clean_text(quote).text if quote else quote

    def around(part: str, stops: str) -> str | None:
        """The span of ``text`` between ``stops`` that holds ``part`` (matched folded)."""
        at = folded.find(fold(part)) if part else -1
        if at < 0:
            return None
        lo = max(text.rfind(c, 0, at) for c in stops) + 1
        ends = [e for e in (text.find(c, at + len(part)) for c in stops) if e != -1]
        return text[lo : min(ends) if ends else len(text)].strip()

    def timeline_quote(quote: str | None) -> str:
        quote = cleaned(quote) or ""
        return around(quote, "。；;\n") or quote

    def project_quote(name: str) -> str:
        return around(name, "。；;，,\n") or around(project_key(name), "。；;，,\n") or name

    return {
        "region": gold.get("region"),
        "metrics": [
            {
                "name": m["name"],
                "quote": cleaned(m["quote"]),
                "value": m["value"],
                "unit": m["unit"],
                "qualifier": m.get("qualifier", "exact"),
                "period": m.get("period"),
            }
            for m in gold.get("metrics", [])
        ],
        "mechanisms": [
            {"code": c, "quote": mechanism_quotes[c]}
            for c in gold.get("mechanisms", [])
            if c in mechanism_quotes
        ],
        "timelines": [
            {
                "kind": t["kind"],
                "code": t.get("code"),
                "quote": timeline_quote(t.get("quote")),
                "stages": [
                    {
                        "from_event": s.get("from"),
                        "to_event": s["to"],
                        "months": s.get("months"),
                        "every_months": s.get("every_months"),
                    }
                    for s in t["stages"]
                ],
            }
            for t in gold.get("timelines", [])
        ],
        "projects": [
            {"name": p["name"], "investor": p.get("investor"), "quote": project_quote(p["name"])}
            for p in gold.get("projects", [])
        ],
    }


def main(argv: list[str] | None = None) -> None:
    """``python -m zsextract.testing --latency 0.3``: serve one answer to every request,
    print the base URL on the first line, and run until stopped (for benchmarks)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--answer", default='{"metrics": []}', help="the tool-call JSON to send")
    args = parser.parse_args(argv)
    reply = chat_completion(
        tool_arguments=args.answer,
        tool_name="LLMExtraction",
        prompt_tokens=1200,
        completion_tokens=300,
    )
    server = FakeOpenAIServer(lambda request: reply, latency=args.latency).start()
    print(server.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
