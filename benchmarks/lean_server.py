"""A lean OpenAI-compatible server for throughput benchmarks: one asyncio loop, no
header or JSON parsing beyond Content-Length, the same prebuilt answer to every POST.

``zsextract.testing``'s server (``http.server`` threads, every request parsed and kept)
is made for tests that look at what was sent; on a 2-core machine it spends CPU per
request that the clients being measured then lack. This one spends a fraction of it,
so that a benchmark measures the clients. ``benchmarks/batch_throughput.py --server``
picks either; both print the server's CPU per request.

    python benchmarks/lean_server.py --latency 0.3     # prints its base URL, runs
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket

from zsextract.testing import chat_completion


def _response(body: bytes) -> bytes:
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode("ascii") + body


async def _serve(latency: float, answer: str) -> None:
    body = json.dumps(
        chat_completion(
            tool_arguments=answer,
            tool_name="LLMExtraction",
            prompt_tokens=1200,
            completion_tokens=300,
        ).body,
        ensure_ascii=False,
    ).encode("utf-8")
    reply = _response(body)

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                at = head.lower().find(b"content-length:")
                if at != -1:
                    end = head.find(b"\r\n", at)
                    await reader.readexactly(int(head[at + 15 : end]))
                if latency:
                    await asyncio.sleep(latency)
                writer.write(reply)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", 0, limit=1 << 22, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}/v1", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--answer", default='{"metrics": []}', help="the tool-call JSON to send")
    args = parser.parse_args()
    try:
        asyncio.run(_serve(args.latency, args.answer))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
