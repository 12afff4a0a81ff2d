"""Regression runs: replay recorded LLM traffic and compare reports with snapshots.

For each article ``<corpus>/<name>.txt`` (or ``.html``):

- ``<cassettes>/<name>.yaml`` is replayed (never the network): the LLM backend runs
  with the model, endpoint path, mode and generation settings of the recording, and
  today's prompts, schema, grounding and normalization;
- the report is compared with ``<snapshots>/<name>.json`` field by field;
- a request that is not in the cassette makes the cassette *stale*: the reason
  (prompt, schema, model, settings or article changed) is found by comparing the
  request the code would send now (caught on a local fake server) with the recorded
  one, and the command that records it again is given.

``--update`` accepts the new reports as snapshots. Recording reaches the network only
when asked (:func:`record_cassette` with a live endpoint).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import vcr.errors

from ..api import extract
from ..errors import ZsExtractError
from ..report.schema import PromotionReport
from ..text.reading import read_article
from .cassettes import cassette_source, make_vcr, recorded_requests

__all__ = [
    "ArticleResult",
    "Change",
    "RegressionResult",
    "diff_snapshots",
    "record_cassette",
    "run_regression",
    "snapshot",
]

Status = Literal["same", "changed", "new", "stale", "no-cassette", "error"]
_ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass
class Change:
    """One difference between the snapshot and today's report."""

    kind: Literal["added", "removed", "changed"]
    path: str
    before: Any = None
    after: Any = None

    def __str__(self) -> str:
        if self.kind == "added":
            return f"+ {self.path}: {_short(self.after)}"
        if self.kind == "removed":
            return f"- {self.path}: {_short(self.before)}"
        return f"~ {self.path}: {_short(self.before)} -> {_short(self.after)}"


@dataclass
class ArticleResult:
    article: str
    status: Status
    changes: list[Change] = field(default_factory=list)
    reason: str | None = None
    command: str | None = None
    snapshot: dict[str, Any] | None = None
    previous: dict[str, Any] | None = None


@dataclass
class RegressionResult:
    articles: list[ArticleResult]

    @property
    def ok(self) -> bool:
        return all(a.status == "same" for a in self.articles)

    def count(self, status: Status) -> int:
        return sum(a.status == status for a in self.articles)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


# -- snapshots ------------------------------------------------------------------------
def snapshot(report: PromotionReport) -> dict[str, Any]:
    """What a snapshot keeps of a report: everything but timings, versions and the text."""
    data = report.model_dump(mode="json", by_alias=True)
    data["source"].pop("text", None)
    provenance = data.get("provenance") or {}
    for volatile in ("elapsed_ms", "zsextract_version", "endpoint", "cache", "notes"):
        provenance.pop(volatile, None)
    return data


def _metric_key(m: dict[str, Any]) -> str:
    return f"metrics[{m['evidence']['quote']}]"


def _keyed(items: Iterable[dict[str, Any]], key: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        k = key(item)
        while k in out:  # the same quote twice: keep both
            k += "'"
        out[k] = item
    return out


_KEYS = {
    "metrics": _metric_key,
    "mechanisms": lambda m: f"mechanisms[{m['code']}]",
    "timelines": lambda t: f"timelines[{t['code'] or t['evidence']['quote']}]",
    "projects": lambda p: f"projects[{p['name']}]",
}


def _compare(path: str, before: Any, after: Any, out: list[Change]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for k in sorted(set(before) | set(after)):
            if k == "evidence":
                if before.get(k) != after.get(k):
                    out.append(Change("changed", f"{path}.evidence", before.get(k), after.get(k)))
                continue
            _compare(f"{path}.{k}", before.get(k), after.get(k), out)
    elif before != after:
        out.append(Change("changed", path, before, after))


def diff_snapshots(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Field-by-field changes: items added and removed, values changed."""
    changes: list[Change] = []
    for field_name in ("region", "period"):
        if before.get(field_name) != after.get(field_name):
            changes.append(
                Change("changed", field_name, before.get(field_name), after.get(field_name))
            )
    for part, key in _KEYS.items():
        old = _keyed(before.get(part, []), key)
        new = _keyed(after.get(part, []), key)
        for k in old.keys() - new.keys():
            changes.append(Change("removed", k, before=old[k]))
        for k in new.keys() - old.keys():
            changes.append(Change("added", k, after=new[k]))
        for k in sorted(old.keys() & new.keys()):
            _compare(k, old[k], new[k], changes)
    for k in ("model", "prompt_version"):
        b = (before.get("provenance") or {}).get(k)
        a = (after.get("provenance") or {}).get(k)
        if b != a:
            changes.append(Change("changed", f"provenance.{k}", b, a))
    return changes


# -- replay -------------------------------------------------------------------------------
def _replay_options(cassette: Path) -> dict[str, Any]:
    """LLM options that make today's code ask what the recording asked."""
    first = recorded_requests(cassette)[0]
    body = first["body"]
    base_url = first["uri"].rsplit("/chat/completions", 1)[0]
    fmt = (body.get("response_format") or {}).get("type")
    mode = (
        "tools"
        if "tools" in body
        else {"json_schema": "json_schema", "json_object": "json"}.get(fmt or "", "md_json")
    )
    options: dict[str, Any] = {
        "base_url": base_url,
        "model": body["model"],
        "mode": mode,
        "api_key": "replay",
        "use_cache": False,
        # a recorded 429 or 5xx and its retry replay as they happened, without the wait
        "transport_retries": sum(
            r["status"] in (408, 429) or (r["status"] or 0) >= 500
            for r in recorded_requests(cassette)
        ),
        "backoff_initial": 0.0,
        "backoff_max": 0.0,
        "on_ungrounded": "drop",  # an item that no longer grounds is a change, listed
        "candidates": "candidate"
        in json.dumps(body.get("tools") or body.get("response_format") or {}),
    }
    if "temperature" in body:
        options["temperature"] = body["temperature"]
    if "max_tokens" in body:
        options["max_tokens"] = body["max_tokens"]
    return options


def _unmatched(exc: BaseException) -> vcr.errors.CannotOverwriteExistingCassetteException | None:
    """The cassette's "not recorded" error behind ``exc``, if that is what it is."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, vcr.errors.CannotOverwriteExistingCassetteException):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _is_repair(
    unmatched: vcr.errors.CannotOverwriteExistingCassetteException, cassette: Path
) -> bool:
    """True when the request the cassette lacks is a repair of a recorded request (that
    request, the answer, and a repair message): today's grounding rejected an item of a
    recorded answer and asked again; the model was asked nothing new."""
    request = getattr(unmatched, "failed_request", None)
    try:
        messages = json.loads(request.body)["messages"]  # type: ignore[union-attr]
    except (AttributeError, TypeError, ValueError, KeyError):
        return False
    recorded = [r["body"].get("messages") for r in recorded_requests(cassette)]
    if not messages or messages[-1].get("role") != "user":
        return False
    # the repair sends the last answer back unless it is too large to (then only the
    # repair message follows the recorded request)
    return messages[:-1] in recorded or (
        len(messages) >= 3 and messages[-2].get("role") == "assistant" and messages[:-2] in recorded
    )


def _request_now(text: str, options: dict[str, Any]) -> dict[str, Any]:
    """The first request today's code sends for ``text``, caught on a local fake server."""
    from ..testing import FakeOpenAIServer, FakeResponse

    with FakeOpenAIServer() as server:
        server.enqueue(FakeResponse({"error": {"message": "captured"}}, status=400))
        try:
            extract(text, backend="llm", **{**options, "base_url": server.base_url})
        except ZsExtractError:
            pass
        body: dict[str, Any] = server.requests[0].body
    return body


def _stale_reason(recorded: dict[str, Any], now: dict[str, Any]) -> str:
    reasons = []
    if recorded.get("model") != now.get("model"):
        reasons.append(f"model changed ({recorded.get('model')} -> {now.get('model')})")
    old_msgs, new_msgs = recorded.get("messages", []), now.get("messages", [])
    if old_msgs[:1] != new_msgs[:1]:
        reasons.append("system prompt changed")
    if old_msgs[1:-1] != new_msgs[1:-1]:
        reasons.append("few-shot examples changed")
    if old_msgs[-1:] != new_msgs[-1:]:
        reasons.append("task prompt or article text changed")
    if (recorded.get("tools"), recorded.get("response_format")) != (
        now.get("tools"),
        now.get("response_format"),
    ):
        reasons.append("response schema changed")
    for k in ("temperature", "max_tokens", "tool_choice"):
        if recorded.get(k) != now.get(k):
            reasons.append(f"{k} changed ({recorded.get(k)} -> {now.get(k)})")
    return "; ".join(reasons) or "a later request of the conversation changed (a repair or a chunk)"


def record_command(corpus: Path, cassettes: Path, snapshots: Path, article: str) -> str:
    return (
        f"zsextract regress --corpus {corpus} --cassettes {cassettes} --snapshots {snapshots} "
        f"--record {article} --provider NAME --model NAME   # needs the endpoint's API key"
    )


def _articles(corpus: Path) -> list[Path]:
    files = sorted(p for p in corpus.iterdir() if p.suffix.lower() in _ARTICLE_SUFFIXES)
    if not files:
        raise ZsExtractError(f"{corpus}: no articles (*.txt, *.html) to replay")
    return files


def _replay(cassette: Path, text: str, name: str, options: dict[str, Any]) -> PromotionReport:
    with make_vcr().use_cassette(str(cassette), record_mode="none", allow_playback_repeats=False):
        return extract(text, backend="llm", path=name, **options)


def _check(
    article: Path, cassettes: Path, snapshots: Path, corpus: Path, update: bool
) -> ArticleResult:
    name = article.stem
    cassette = cassettes / f"{name}.yaml"
    command = record_command(corpus, cassettes, snapshots, name)
    if not cassette.is_file():
        return ArticleResult(
            name, "no-cassette", reason=f"{cassette} does not exist", command=command
        )
    text = read_article(article)
    options = _replay_options(cassette)
    try:
        report = _replay(cassette, text, article.name, options)
    except Exception as exc:
        unmatched = _unmatched(exc)
        if unmatched is None:
            return ArticleResult(name, "error", reason=f"{type(exc).__name__}: {exc}")
        if not _is_repair(unmatched, cassette):
            reason = _stale_reason(
                recorded_requests(cassette)[0]["body"], _request_now(text, options)
            )
            return ArticleResult(name, "stale", reason=reason, command=command)
        # grounding changed, not the request: the recorded answers are judged by today's
        # grounding without asking again, and what it no longer accepts is a change
        try:
            report = _replay(cassette, text, article.name, {**options, "repair_attempts": 0})
        except Exception as again:
            return ArticleResult(name, "error", reason=f"{type(again).__name__}: {again}")
    now = snapshot(report)
    path = snapshots / f"{name}.json"
    previous = json.loads(path.read_text("utf-8")) if path.is_file() else None
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(now, ensure_ascii=False, indent=1) + "\n", "utf-8")
    if previous is None:
        return ArticleResult(name, "new", snapshot=now)
    changes = diff_snapshots(previous, now)
    status: Status = "changed" if changes else "same"
    return ArticleResult(name, status, changes, snapshot=now, previous=previous)


def run_regression(
    corpus: Path | str,
    cassettes: Path | str,
    snapshots: Path | str,
    *,
    update: bool = False,
) -> RegressionResult:
    """Replay every article's cassette and compare with its snapshot (see module doc)."""
    corpus, cassettes, snapshots = Path(corpus), Path(cassettes), Path(snapshots)
    results = [_check(a, cassettes, snapshots, corpus, update) for a in _articles(corpus)]
    if update:
        for r in results:
            if r.status in ("changed", "new"):
                r.status = "same"
    return RegressionResult(results)


def record_cassette(
    article: Path | str, cassette: Path | str, *, source: str | None = None, **llm_options: Any
) -> PromotionReport:
    """Record (or record again) one article's cassette from the endpoint in
    ``llm_options``; ``source`` overrides the label (say ``scripted: …`` for a fake
    server). This is the only function here that reaches a network."""
    if source is None:
        from ..llm.settings import LLMSettings, resolve_endpoint

        settings = LLMSettings().merged(
            **{
                k: v
                for k, v in llm_options.items()
                if k in ("provider", "base_url", "model", "api_key", "mode")
            }
        )
        endpoint = resolve_endpoint(settings)
        source = cassette_source(endpoint.base_url, endpoint.model)
    cassette = Path(cassette)
    cassette.parent.mkdir(parents=True, exist_ok=True)
    if cassette.exists():
        cassette.unlink()
    text = read_article(Path(article))
    with make_vcr(source, record_mode="all").use_cassette(str(cassette)):
        return extract(text, backend="llm", path=Path(article).name, use_cache=False, **llm_options)
