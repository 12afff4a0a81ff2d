"""The LLM backend: instructor over an OpenAI-compatible endpoint, grounded and cached.

One article:

1. The cache is asked first (validated report, else raw answers re-grounded offline).
2. The cleaned text is split into chunks on paragraph boundaries if it is long.
3. Each chunk is one conversation: prompt -> model (instructor parses the answer into
   the response model; tenacity retries 429/5xx/timeouts) -> grounding. Failed items go
   back as one repair request naming them (the last answer and the request, not the
   growing history), up to ``repair_attempts`` times.
4. ``finish_reason == "length"`` splits the chunk and tries again without spending a
   repair; at ``min_chunk_chars`` it raises :class:`TruncatedOutputError`.
5. Chunks are merged; usage over every call is summed into the provenance.

The attempt loop is written once as a generator that yields model calls, so the sync
and async drivers are a few lines each.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Generator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NoReturn, cast

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorError
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, Retrying, stop_after_attempt

from ..backends import Backend, BackendBase, Extraction
from ..backends.merge import merge_extractions
from ..backends.paragraphs import split_paragraphs
from ..datafiles import data_digest, package_data_digest
from ..errors import (
    ConfigurationError,
    DeadlineError,
    GroundingError,
    LLMError,
    TokenBudgetError,
    TransportError,
    TruncatedOutputError,
)
from ..events import Event, emit
from ..pacing import Pacer, estimate_tokens
from ..report.parts import PARTS
from ..report.schema import ArticleMeta, Usage
from ..text.clean import CleanText
from ..version import __version__
from . import instructor_patch
from .cache import ResultCache, cache_key
from .chat import acreate_for, create_for
from .clients import ModelClients
from .grounding import GROUNDING_VERSION, Grounded, Grounder
from .prompts import PromptSet, load_prompts
from .settings import Endpoint, LLMSettings, resolve_endpoint
from .transport import (
    aretrying,
    is_retryable,
    nothing_listens,
    paced_client,
    pacing,
    past_deadline,
    reason,
    refused,
    retrying,
    transport_cause,
)
from .wire import CandidateExtraction, LLMExtraction, schema_digest

__all__ = ["LLMBackend"]

log = logging.getLogger("zsextract.llm")

instructor_patch.install()

#: the data files a request or its grounding depends on (part of the cache key)
_DATA_READ = ("taxonomy", "units", "rules", "metric_categories")

_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "md_json": instructor.Mode.MD_JSON,
    "json": instructor.Mode.JSON,
}


def _once() -> Retrying:
    """instructor's own retry loop, given one attempt: transport retries are ours
    (transport.py) and re-asks are repairs (each its own call)."""
    return Retrying(stop=stop_after_attempt(1), reraise=True)


def _aonce() -> AsyncRetrying:
    return AsyncRetrying(stop=stop_after_attempt(1), reraise=True)


@dataclass
class _Call:
    messages: list[dict[str, Any]]
    response_model: type[BaseModel]
    deadline_at: float | None = None  #: time.monotonic() by which the article must be done

    @cached_property
    def estimate(self) -> int:
        """Tokens one request of this call may cost (for pacing)."""
        return estimate_tokens(self.messages)


@dataclass
class _Outcome:
    answer: BaseModel | None = None
    raw: str | None = None
    problems: list[str] = field(default_factory=list)
    truncated: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 1  #: HTTP requests the call took, transport retries included


@dataclass
class _Run:
    """Bookkeeping of one article."""

    usage: Usage = field(default_factory=Usage)
    attempts: int = 0  #: HTTP requests sent, transport retries included
    #: per chunk: its [start, end) in the cleaned text and the answer that was kept
    raws: list[tuple[int, int, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    chunks: int = 0
    deadline_at: float | None = None  #: time.monotonic() by which the article must be done


class _Split(Exception):
    """The answer was cut off: split this chunk and try again."""


def _raw_text(completion: Any) -> str | None:
    """The answer as the model wrote it: tool arguments or message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError):
        return None
    calls = getattr(message, "tool_calls", None)
    if calls:
        return str(calls[0].function.arguments)
    return None if message.content is None else str(message.content)


def _usage(completion: Any) -> tuple[int, int]:
    usage = getattr(completion, "usage", None)
    if usage is None:
        return 0, 0
    return int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0)


def _with_cost(exc: TransportError | DeadlineError, run: _Run) -> LLMError:
    """The error with the article's requests (the failed call's included) and usage so
    far."""
    attempts, usage = run.attempts + exc.attempts, run.usage.model_dump()
    if isinstance(exc, DeadlineError):
        return DeadlineError(str(exc), attempts=attempts, usage=usage)
    return TransportError(str(exc), status=exc.status, attempts=attempts, usage=usage)


async def _close_instructor(client: instructor.AsyncInstructor) -> None:
    inner = getattr(client, "client", None)
    if inner is not None:
        await inner.close()


class LLMBackend(BackendBase):
    """Extraction by an OpenAI-compatible model, every item grounded in the article.

    ``settings`` (or the same fields as keywords) say everything; ``client`` is an
    ``openai.OpenAI`` or ``openai.AsyncOpenAI`` client to use instead of a new one;
    ``pacer`` a :class:`~zsextract.pacing.Pacer` to share with other backends (by
    default one is made from ``requests_per_minute`` / ``tokens_per_minute``).
    """

    name = "llm"

    def __init__(
        self,
        settings: LLMSettings | None = None,
        *,
        client: openai.OpenAI | openai.AsyncOpenAI | None = None,
        pacer: Pacer | None = None,
        **options: Any,
    ) -> None:
        self.settings = (settings or LLMSettings()).merged(**options)
        limits = (self.settings.requests_per_minute, self.settings.tokens_per_minute)
        if pacer is not None and any(limits):
            raise ConfigurationError(
                "give either a pacer or requests_per_minute/tokens_per_minute, not both"
            )
        self.pacer = pacer or (Pacer(*limits) if any(limits) else None)
        if client is not None and not isinstance(client, (openai.OpenAI, openai.AsyncOpenAI)):
            raise ConfigurationError(
                f"client must be openai.OpenAI or openai.AsyncOpenAI, not {type(client).__name__}"
            )
        if client is not None:
            base = str(client.base_url).rstrip("/")
            self.settings = self.settings.merged(base_url=self.settings.base_url or base)
        self.endpoint: Endpoint = resolve_endpoint(
            self.settings.merged(
                api_key=self.settings.api_key or (client.api_key if client else None)
            )
        )
        self._client = client
        self._clients = ModelClients(
            self._make_sync,
            self._make_async,
            None if isinstance(client, openai.AsyncOpenAI) else _close_instructor,
        )
        self.prompts: PromptSet = load_prompts(
            self.settings.prompt_version, self.settings.prompts_dir
        )
        self.response_model: type[BaseModel] = (
            CandidateExtraction if self.settings.candidates else LLMExtraction
        )
        self._cache = ResultCache(self.settings.cache_dir) if self.settings.use_cache else None

    @property
    def model(self) -> str:
        """The model this backend asks (its tokens price a batch run)."""
        return self.endpoint.model

    # -- clients ----------------------------------------------------------------------
    def _openai_client(self, kind: type[openai.OpenAI] | type[openai.AsyncOpenAI]) -> Any:
        """The injected client if it is of ``kind``, else a new one for the endpoint;
        either way with tenacity (transport.py) as the only retry layer."""
        if isinstance(self._client, kind):
            return self._client.with_options(max_retries=0, timeout=self.settings.timeout)
        return paced_client(
            kind,
            base_url=self.endpoint.base_url,
            api_key=self.endpoint.api_key,
            max_retries=0,
            timeout=self.settings.timeout,
        )

    def _make_sync(self) -> instructor.Instructor:
        client = self._openai_client(openai.OpenAI)
        mode = _MODES[self.endpoint.mode]
        if isinstance(self._client, openai.OpenAI):  # yours: called as you gave it
            return cast(instructor.Instructor, instructor.from_openai(client, mode=mode))
        create = instructor.patch(create=create_for(client), mode=mode)  # chat.py
        return instructor.Instructor(client=client, create=create, mode=mode)

    def _make_async(self) -> instructor.AsyncInstructor:
        client = self._openai_client(openai.AsyncOpenAI)
        mode = _MODES[self.endpoint.mode]
        if isinstance(self._client, openai.AsyncOpenAI):  # yours: called as you gave it
            return cast(instructor.AsyncInstructor, instructor.from_openai(client, mode=mode))
        create = instructor.patch(create=acreate_for(client), mode=mode)  # chat.py
        return instructor.AsyncInstructor(client=client, create=create, mode=mode)

    def _instructor(self) -> instructor.Instructor:
        return cast(instructor.Instructor, self._clients.sync())

    async def _ainstructor(self) -> instructor.AsyncInstructor:
        return cast(instructor.AsyncInstructor, await self._clients.for_running_loop())

    async def aclose(self) -> None:
        """Close the async client of the running event loop now. (Without this call it
        is closed when ``asyncio.run`` ends the loop; a client you passed in is left
        open.)"""
        await self._clients.aclose()

    def _create_kwargs(self, call: _Call) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.endpoint.model,
            "messages": call.messages,
            "response_model": call.response_model,
            "temperature": self.settings.temperature,
        }
        if self.settings.max_tokens:
            kwargs["max_tokens"] = self.settings.max_tokens
        return kwargs

    def _settle(
        self, completion: Any, answer: BaseModel | None, exc: Exception | None, requests: int
    ) -> _Outcome:
        """An outcome from what instructor returned or raised, after ``requests`` HTTP
        requests."""
        if exc is None:
            p, c = _usage(completion)
            return _Outcome(
                answer=answer,
                raw=_raw_text(completion),
                prompt_tokens=p,
                completion_tokens=c,
                requests=requests,
            )
        cause = transport_cause(exc)
        if cause is not None and refused(cause):
            raise TransportError(
                nothing_listens(self.endpoint.base_url), attempts=requests
            ) from exc
        if cause is not None:
            status = getattr(cause, "status_code", None)
            raise TransportError(
                f"{self.endpoint.base_url}: {type(cause).__name__}"
                + (f" (HTTP {status})" if status else "")
                + f": {cause}",
                status=status,
                attempts=requests,
            ) from exc
        last = getattr(exc, "last_completion", None)
        if isinstance(exc, IncompleteOutputException):
            p, c = _usage(last)
            return _Outcome(
                truncated=True,
                raw=_raw_text(last),
                prompt_tokens=p,
                completion_tokens=c,
                requests=requests,
            )
        total = getattr(exc, "total_usage", None)
        p = int(getattr(total, "prompt_tokens", 0) or 0)
        c = int(getattr(total, "completion_tokens", 0) or 0)
        if not (p or c):
            p, c = _usage(last)
        cause_text = exc.__cause__ or exc
        say = self.prompts.say
        problems = (
            [
                say("schema_error", where=".".join(map(str, e["loc"])), error=e["msg"])
                for e in cause_text.errors()
            ][:10]
            if isinstance(cause_text, ValidationError)
            else [say("not_json", error=str(cause_text)[:300])]
        )
        return _Outcome(
            raw=_raw_text(last),
            problems=problems,
            prompt_tokens=p,
            completion_tokens=c,
            requests=requests,
        )

    # -- one model call: its HTTP requests, each paced, counted and reported -------------
    def _request_timeout(self, call: _Call, sent: int) -> float:
        """The next request's timeout: the setting, or less if the deadline is nearer.
        No time left is a :class:`DeadlineError`."""
        if call.deadline_at is None:
            return self.settings.timeout
        left = call.deadline_at - time.monotonic()
        if left <= 0:
            raise DeadlineError(
                f"deadline of {self.settings.deadline:g} s reached before request "
                f"{sent + 1} to {self.endpoint.base_url}; raise deadline= (CLI --deadline)",
                attempts=sent,
            )
        return min(self.settings.timeout, left)

    def _on_retry(self, state: Any) -> None:
        exc = state.outcome.exception() if state.outcome else None
        why, status = reason(exc)
        wait = float(state.upcoming_sleep or 0.0)
        log.info(
            "request %d to %s failed (%s); sending again in %.2f s",
            state.attempt_number,
            self.endpoint.base_url,
            why,
            wait,
        )
        emit(
            Event(
                "retry",
                model=self.endpoint.model,
                attempt=state.attempt_number,
                reason=why,
                status=status,
                wait=wait,
            )
        )

    def _sending(self, sent: int) -> None:
        log.debug("request %d to %s", sent, self.endpoint.base_url)
        emit(Event("request", model=self.endpoint.model, attempt=sent))

    def _ended(self, call: _Call, outcome: _Outcome, began: float, how: str) -> _Outcome:
        if self.pacer is not None:
            self.pacer.settle(
                call.estimate * max(outcome.requests, 1),
                outcome.prompt_tokens + outcome.completion_tokens,
            )
        seconds = time.monotonic() - began
        log.debug(
            "model call: %s, %d request(s), %d+%d tokens, %.3f s",
            how,
            outcome.requests,
            outcome.prompt_tokens,
            outcome.completion_tokens,
            seconds,
        )
        emit(
            Event(
                "call",
                model=self.endpoint.model,
                reason=how,
                seconds=seconds,
                requests=outcome.requests,
                prompt_tokens=outcome.prompt_tokens,
                completion_tokens=outcome.completion_tokens,
            )
        )
        return outcome

    def _failed(self, call: _Call, exc: Exception, sent: int, began: float) -> _Outcome:
        """The outcome of a call that raised; transport failures and a spent deadline
        are raised as zsextract errors with the requests they cost."""
        held = past_deadline(exc)
        if held is not None:  # the pacer kept request ``sent`` back: it never left
            self._held_past_deadline(call, held, sent - 1, began)
        try:
            outcome = self._settle(None, None, exc, sent)
        except TransportError as failure:
            cause = transport_cause(exc)
            cut_short = (  # a retry was due, but would have ended past the deadline
                sent < 1 + self.settings.transport_retries
                and cause is not None
                and is_retryable(cause)
            )
            late = call.deadline_at is not None and (
                time.monotonic() >= call.deadline_at or cut_short
            )
            how = "deadline" if late else "transport"
            self._ended(call, _Outcome(requests=sent), began, how)
            if late:
                raise DeadlineError(
                    f"deadline of {self.settings.deadline:g} s reached after {sent} "
                    f"request(s) to {self.endpoint.base_url} ({failure}); "
                    "raise deadline= (CLI --deadline)",
                    attempts=sent,
                ) from exc
            raise
        return self._ended(call, outcome, began, "truncated" if outcome.truncated else "invalid")

    def _held_past_deadline(
        self, call: _Call, held: DeadlineError, sent: int, began: float
    ) -> NoReturn:
        """Raise the :class:`DeadlineError` of a request the pace would have sent only
        after the deadline (``held`` says when), ``sent`` requests having left before."""
        self._ended(call, _Outcome(requests=sent), began, "deadline")
        raise DeadlineError(
            f"deadline of {self.settings.deadline:g} s reached before request {sent + 1} "
            f"to {self.endpoint.base_url}: {held}; raise deadline= (CLI --deadline) or "
            "the pace (requests_per_minute, tokens_per_minute)",
            attempts=sent,
        ) from held

    def _paced_in_transport(self, kind: type[openai.OpenAI] | type[openai.AsyncOpenAI]) -> bool:
        """True when the client of ``kind`` is our own, which waits for the pacer as each
        request leaves (a client passed in is paced before the call instead)."""
        return not isinstance(self._client, kind)

    def _pacing(self, call: _Call, in_transport: bool) -> AbstractContextManager[None]:
        if self.pacer is None or not in_transport:
            return nullcontext()
        return pacing(self.pacer, call.estimate, call.deadline_at)

    def _call(self, call: _Call) -> _Outcome:
        began, sent = time.monotonic(), 0
        try:
            for attempt in retrying(self.settings, call.deadline_at, self._on_retry):
                with attempt:
                    client = self._instructor()
                    in_transport = self._paced_in_transport(openai.OpenAI)
                    if self.pacer is not None and not in_transport:
                        try:
                            self.pacer.acquire_sync(call.estimate, call.deadline_at)
                            self.pacer.leave_sync(call.deadline_at)
                        except DeadlineError as held:
                            self._held_past_deadline(call, held, sent, began)
                    timeout = self._request_timeout(call, sent)
                    sent += 1
                    self._sending(sent)
                    with instructor_patch.own_call(), self._pacing(call, in_transport):
                        answer, completion = client.create_with_completion(
                            **self._create_kwargs(call), timeout=timeout, max_retries=_once()
                        )
        except (InstructorError, openai.APIError) as exc:
            return self._failed(call, exc, sent, began)
        outcome = self._settle(completion, answer, None, sent)
        return self._ended(call, outcome, began, "ok")

    async def _acall(self, call: _Call) -> _Outcome:
        began, sent = time.monotonic(), 0
        try:
            async for attempt in aretrying(self.settings, call.deadline_at, self._on_retry):
                with attempt:
                    client = await self._ainstructor()
                    in_transport = self._paced_in_transport(openai.AsyncOpenAI)
                    if self.pacer is not None and not in_transport:
                        try:
                            await self.pacer.acquire(call.estimate, call.deadline_at)
                            await self.pacer.leave(call.deadline_at)
                        except DeadlineError as held:
                            self._held_past_deadline(call, held, sent, began)
                    timeout = self._request_timeout(call, sent)
                    sent += 1
                    self._sending(sent)
                    with instructor_patch.own_call(), self._pacing(call, in_transport):
                        request = client.create_with_completion(
                            **self._create_kwargs(call), timeout=timeout, max_retries=_aonce()
                        )
                        if call.deadline_at is None:
                            answer, completion = await request
                        else:  # a hard bound: the request's timeout is per read
                            answer, completion = await asyncio.wait_for(request, timeout + 0.1)
        except DeadlineError:
            raise
        except asyncio.TimeoutError as exc:  # only wait_for's: the deadline went by
            raise DeadlineError(
                f"deadline of {self.settings.deadline:g} s reached during request {sent} "
                f"to {self.endpoint.base_url}; raise deadline= (CLI --deadline)",
                attempts=sent,
            ) from exc
        except (InstructorError, openai.APIError) as exc:
            return self._failed(call, exc, sent, began)
        outcome = self._settle(completion, answer, None, sent)
        return self._ended(call, outcome, began, "ok")

    # -- the attempt loop, once ---------------------------------------------------------
    def _metadata_line(self, meta: ArticleMeta | None) -> str:
        if meta is None:
            return ""
        say = self.prompts.say
        known = []
        if meta.publish_date:
            known.append(say("metadata_publish_date", date=meta.publish_date.isoformat()))
        if meta.region:
            known.append(say("metadata_region", region=meta.region))
        if meta.title:
            known.append(say("metadata_title", title=meta.title))
        return "\n".join(known)

    @cached_property
    def _preamble(self) -> tuple[dict[str, Any], ...]:
        """System prompt and few-shot turns: the same for every article, rendered once."""
        messages = [{"role": "system", "content": self.prompts.system_message()}]
        if not self.settings.candidates:  # the examples copy numbers; candidate mode cites ids
            for example in self.prompts.examples:
                messages.append(
                    {"role": "user", "content": self.prompts.task_message(example["text"])}
                )
                messages.append(
                    {
                        "role": "assistant",
                        "content": json.dumps(example["output"], ensure_ascii=False),
                    }
                )
        return tuple(messages)

    def _messages(
        self, grounder: Grounder, chunk: tuple[int, int], meta: ArticleMeta | None
    ) -> list[dict[str, Any]]:
        text = grounder.doc.text[chunk[0] : chunk[1]]
        candidates = grounder.candidate_list(window=chunk) if self.settings.candidates else None
        task = self.prompts.task_message(text, self._metadata_line(meta), candidates)
        return [*(dict(m) for m in self._preamble), {"role": "user", "content": task}]

    def _chunk(
        self, grounder: Grounder, chunk: tuple[int, int], meta: ArticleMeta | None, run: _Run
    ) -> Generator[_Call, _Outcome, Extraction]:
        base = self._messages(grounder, chunk, meta)
        first_size = len(json.dumps(base, ensure_ascii=False))
        messages = base
        failures: list[str] = []
        grounded: Grounded | None = None  # the last answer that parsed, and its failures
        grounded_raw = ""
        raw = None
        for _ in range(1 + self.settings.repair_attempts):
            self._check_budget(run, messages)
            outcome = yield _Call(messages, self.response_model, run.deadline_at)
            run.attempts += outcome.requests
            run.usage.add(outcome.prompt_tokens, outcome.completion_tokens)
            budget = self.settings.token_budget
            if budget is not None and run.usage.total_tokens > budget:
                raise TokenBudgetError(
                    f"token budget {budget} spent ({run.usage.total_tokens} tokens) "
                    "before a grounded report",
                    attempts=run.attempts,
                    usage=run.usage.model_dump(),
                )
            if outcome.truncated:
                raise _Split()
            raw = outcome.raw
            if outcome.answer is None:
                failures = outcome.problems
            else:
                grounded = grounder.ground(outcome.answer, chunk)  # type: ignore[arg-type]
                grounded_raw = raw or ""
                failures = grounded.failures
                if not failures:
                    run.dropped.extend(grounded.injected)
                    run.raws.append((*chunk, raw or ""))
                    return grounded.extraction
            messages = self._repair(base, first_size, raw, failures)
        if self.settings.on_ungrounded == "drop" and grounded is not None:
            # exactly the items and fields left out
            run.dropped.extend([*grounded.injected, *grounded.failures])
            run.raws.append((*chunk, grounded_raw))
            return grounded.extraction
        raise GroundingError(
            f"{len(failures)} item(s) still ungrounded after "
            f"{self.settings.repair_attempts} repair(s): " + "; ".join(failures[:5]),
            failures=failures,
            raw_output=raw,
            attempts=run.attempts,
            usage=run.usage.model_dump(),
        )

    def _check_budget(self, run: _Run, messages: list[dict[str, Any]]) -> None:
        """Refuse a call that would take the article over its token budget, before it
        is paid for. The estimate counts the request and a typical answer (1,500 tokens,
        or max_tokens if less); an answer can still run longer, up to max_tokens."""
        budget = self.settings.token_budget
        if budget is None:
            return
        typical = min(1500, self.settings.max_tokens or 1500)
        estimate = estimate_tokens(messages, completion=typical)
        if run.usage.total_tokens + estimate > budget:
            raise TokenBudgetError(
                f"token budget {budget}: the next request would take about {estimate} "
                f"tokens on top of {run.usage.total_tokens} spent; not sent",
                attempts=run.attempts,
                usage=run.usage.model_dump(),
            )

    def _repair(
        self, base: list[dict[str, Any]], first_size: int, raw: str | None, failures: list[str]
    ) -> list[dict[str, Any]]:
        """The repair request: the failures (at most ``repair_max_items`` listed) and the
        last answer, unless that answer alone is larger than the first request; then the
        model answers afresh. Either way the request stays under twice the first."""
        limit = self.settings.repair_max_items
        listed = failures[:limit]
        if len(failures) > limit:
            listed.append(self.prompts.say("more_failures", count=len(failures) - limit))
        reask = {"role": "user", "content": self.prompts.reask_message(listed)}
        if raw is not None and len(raw) <= first_size // 2:
            return [*base, {"role": "assistant", "content": raw}, reask]
        return [*base, reask]

    def _article(
        self, grounder: Grounder, meta: ArticleMeta | None, run: _Run
    ) -> Generator[_Call, _Outcome, Extraction]:
        s = self.settings
        pending = split_paragraphs(grounder.doc.text, s.chunk_chars, s.chunk_overlap)
        parts = []
        while pending:
            chunk = pending.pop(0)
            try:
                parts.append((yield from self._chunk(grounder, chunk, meta, run)))
                run.chunks += 1
            except _Split:
                size = chunk[1] - chunk[0]
                if size <= s.min_chunk_chars:
                    raise TruncatedOutputError(
                        "the answer was cut at the model's length limit even for "
                        f"{size} characters; "
                        "raise max_tokens or use candidates=True",
                        attempts=run.attempts,
                        usage=run.usage.model_dump(),
                    ) from None
                halves = split_paragraphs(
                    grounder.doc.text[chunk[0] : chunk[1]],
                    max(size // 2, s.min_chunk_chars),
                    s.chunk_overlap,
                )
                if len(halves) < 2:  # no smaller pieces to be had
                    raise TruncatedOutputError(
                        f"the answer was cut at the model's length limit for {size} characters "
                        "that cannot be split further; raise max_tokens or use candidates=True",
                        attempts=run.attempts,
                        usage=run.usage.model_dump(),
                    ) from None
                pending[:0] = [(a + chunk[0], b + chunk[0]) for a, b in halves]
        return merge_extractions(parts)

    # -- cache --------------------------------------------------------------------------
    def _fixed_key_parts(self) -> dict[str, Any]:
        """What every cache key of this backend holds."""
        return {
            "model": self.endpoint.model,
            "endpoint": self.endpoint.base_url,
            "mode": self.endpoint.mode,
            "prompt": self.prompts.label,
            "schema": schema_digest(self.response_model),
            "generation": self.settings.generation(),
            # what the request is made of (the taxonomy in the system prompt, the unit
            # tables that number candidates) and what grounding reads
            "data": data_digest(*_DATA_READ),
        }

    def _policy_key_parts(self) -> dict[str, Any]:
        return {
            "grounding": GROUNDING_VERSION,
            "zsextract": __version__,
            "on_ungrounded": self.settings.on_ungrounded,
        }

    def _keys(self, doc: CleanText, meta: ArticleMeta | None) -> tuple[str, str]:
        parts = {
            **self._fixed_key_parts(),
            "text": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
            "meta": self._metadata_line(meta),
        }
        return cache_key("raw", parts), cache_key("report", {**parts, **self._policy_key_parts()})

    # -- finished reports, keyed by the raw input ---------------------------------------
    def report_key(self, raw: str, options: dict[str, Any]) -> str | None:
        """The cache key of the finished report of the input ``raw`` as given (not
        cleaned) with the call's ``options`` (html, path, metadata): a hit costs a hash
        and a read. None when the cache is off."""
        if self._cache is None:
            return None
        parts = {
            **self._fixed_key_parts(),
            **self._policy_key_parts(),
            "package_data": package_data_digest(),
            "raw": hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest(),
            "call": options,
        }
        return cache_key("final", parts)

    def cached_report(self, key: str) -> str | None:
        """The finished report (JSON) stored under ``key``, if any."""
        if self._cache is None:
            return None
        found = self._cache.get(key)
        return found if isinstance(found, str) else None

    def store_report(self, key: str, report_json: str) -> None:
        """Keep a finished report (JSON) under ``key``."""
        if self._cache is not None:
            self._cache.put(key, report_json)

    def _from_cache(self, doc: CleanText, meta: ArticleMeta | None) -> Extraction | None:
        """The cached report of this article, if any (a ``cache`` event either way)."""
        if self._cache is None:
            return None
        found = self._cached(self._cache, doc, meta)
        how = "miss" if found is None else str(found.provenance["cache"])
        log.debug("cache %s", how)
        emit(Event("cache", model=self.endpoint.model, reason=how))
        return found

    def _cached(
        self, cache: ResultCache, doc: CleanText, meta: ArticleMeta | None
    ) -> Extraction | None:
        raw_key, report_key = self._keys(doc, meta)
        stored = cache.get(report_key)
        if stored is not None:
            found = Extraction(**{k: v for k, v in stored.items() if k != "provenance"})
            # nothing was spent now: the tokens of the original run are not counted again
            found.provenance = {
                **stored["provenance"],
                "cache": "hit",
                "attempts": 0,
                "usage": Usage(),
            }
            return found
        raws = cache.get(raw_key)
        if raws is None:
            return None
        grounder = self._grounder(doc, meta)
        parts = []
        run = _Run(chunks=len(raws))
        for entry in raws:  # a changed validator re-grounds the stored answers, no call
            # an entry of an older version is the answer alone, without its chunk
            window, raw = (None, entry) if isinstance(entry, str) else (entry[:2], entry[2])
            try:
                answer = self.response_model.model_validate_json(raw)
            except ValidationError:
                return None
            grounded = grounder.ground(answer, window)  # type: ignore[arg-type]
            if grounded.failures and self.settings.on_ungrounded != "drop":
                return None
            run.dropped.extend([*grounded.injected, *grounded.failures])
            parts.append(grounded.extraction)
        found = merge_extractions(parts)
        found.provenance = self._provenance(run, cache="reparsed")
        self._store(doc, meta, found, raws)
        return found

    def _store(
        self, doc: CleanText, meta: ArticleMeta | None, found: Extraction, raws: list[Any]
    ) -> None:
        if self._cache is None:
            return
        raw_key, report_key = self._keys(doc, meta)
        self._cache.put(raw_key, raws)
        self._cache.put(
            report_key,
            {
                "region": found.region,
                "period": found.period,
                **{part.field: getattr(found, part.field) for part in PARTS},
                "provenance": found.provenance,
            },
        )

    def _provenance(self, run: _Run, cache: str) -> dict[str, Any]:
        return {
            "model": self.endpoint.model,
            "endpoint": self.endpoint.base_url,
            "prompt_version": self.prompts.label,
            "attempts": run.attempts,
            "usage": run.usage,
            "cache": cache,
            "chunks": run.chunks,
            "dropped": list(run.dropped),
        }

    def _finish(
        self, doc: CleanText, meta: ArticleMeta | None, found: Extraction, run: _Run
    ) -> Extraction:
        found.provenance = self._provenance(run, "off" if self._cache is None else "miss")
        if run.dropped:
            log.debug("%d item(s) dropped by grounding", len(run.dropped))
            emit(Event("grounding", model=self.endpoint.model, dropped=len(run.dropped)))
        self._store(doc, meta, found, run.raws)
        return found

    def _grounder(self, doc: CleanText, meta: ArticleMeta | None) -> Grounder:
        return Grounder(doc, self.prompts, published=meta.publish_date if meta else None)

    def _new_run(self) -> _Run:
        deadline = self.settings.deadline
        return _Run(deadline_at=None if deadline is None else time.monotonic() + deadline)

    # -- Backend protocol -----------------------------------------------------------------
    def extract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction:
        cached = self._from_cache(doc, meta)
        if cached is not None:
            return cached
        run = self._new_run()
        loop = self._article(self._grounder(doc, meta), meta, run)
        try:
            call = next(loop)
            while True:
                call = loop.send(self._call(call))
        except StopIteration as done:
            return self._finish(doc, meta, done.value, run)
        except (TransportError, DeadlineError) as exc:
            raise _with_cost(exc, run) from exc

    async def aextract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction:
        cached = self._from_cache(doc, meta)
        if cached is not None:
            return cached
        run = self._new_run()
        loop = self._article(self._grounder(doc, meta), meta, run)
        try:
            call = next(loop)
            while True:
                call = loop.send(await self._acall(call))
        except StopIteration as done:
            return self._finish(doc, meta, done.value, run)
        except (TransportError, DeadlineError) as exc:
            raise _with_cost(exc, run) from exc


if TYPE_CHECKING:  # mypy checks that the class follows the protocol
    _conforms: Backend = LLMBackend()
