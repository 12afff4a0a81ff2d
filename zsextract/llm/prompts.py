"""Load a versioned prompt set from ``prompts/<version>/`` and render messages from it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import Any

from ..datafiles import load_data
from ..errors import PromptError
from ..options import DEFAULT_PROMPT_VERSION

__all__ = ["DEFAULT_PROMPT_VERSION", "PromptSet", "load_prompts"]

_FILES = ("system.md", "task.md", "task_candidates.md", "reask.md", "messages.json")

#: every short text the model may read besides the prompt files (``messages.json``),
#: with the placeholders each must use: the code names them, the prompt version words them
MESSAGES: dict[str, frozenset[str]] = {
    key: frozenset(params)
    for key, params in {
        "list_separator": (),
        "taxonomy_line": ("code", "zh", "examples"),
        "metadata_publish_date": ("date",),
        "metadata_region": ("region",),
        "metadata_title": ("title",),
        "candidate_line": ("id", "before", "text"),
        "more_failures": ("count",),
        "not_json": ("error",),
        "schema_error": ("where", "error"),
        "item_label": ("item", "name"),
        "not_found": (),
        "ambiguous": (),
        "quote_not_found": ("label", "quote", "problem"),
        "region_not_found": ("region",),
        "unknown_code": ("label", "codes"),
        "no_practice": ("label", "quote"),
        "quote_too_long": ("label", "length", "name"),
        "value_not_stated": ("label", "value", "unit", "quote", "stated"),
        "no_quantity": (),
        "not_attached": ("label", "number", "name"),
        "field_value": ("field", "value"),
        "fields_unread": ("label", "fields"),
        "no_candidate": ("label", "candidate"),
        "stage_value": ("event", "months"),
        "stages_unstated": ("label", "stages", "quote"),
        "name_not_in_quote": ("label", "quote"),
        "status_unsaid": ("label", "status", "examples"),
        "amount_not_money": ("label", "candidate"),
        "amount_unstated": ("label", "quote"),
    }.items()
}
#: messages added after v1: a version without one says its fallback (same parameters
#: given, the fallback's own used)
LATER_MESSAGES: dict[str, tuple[frozenset[str], str]] = {
    "name_incomplete": (frozenset(("label", "name", "quote")), "name_not_in_quote"),
    "negated": (frozenset(("label", "quote")), "no_practice"),
    "not_investment": (frozenset(("label", "quote")), "amount_unstated"),
}


@dataclass(frozen=True)
class PromptSet:
    """The files of one prompt version, and a digest of all of them."""

    version: str
    system: str
    task: str
    task_candidates: str
    reask: str
    messages: dict[str, str]
    examples: tuple[dict[str, Any], ...]
    digest: str

    @property
    def label(self) -> str:
        """``v1+3f2a…``: the version and the digest of its files, for provenance."""
        return f"{self.version}+{self.digest[:8]}"

    def say(self, key: str, **params: object) -> str:
        """The message ``key`` of ``messages.json`` with ``params`` filled in (for a
        message the version lacks, its fallback: :data:`LATER_MESSAGES`)."""
        if key not in self.messages and key in LATER_MESSAGES:
            key = LATER_MESSAGES[key][1]
        return Template(self.messages[key]).safe_substitute({k: str(v) for k, v in params.items()})

    def join(self, parts: list[str]) -> str:
        """``parts`` joined with the version's list separator (、)."""
        return self.messages["list_separator"].join(parts)

    def system_message(self) -> str:
        taxonomy = "\n".join(
            self.say("taxonomy_line", code=m["code"], zh=m["zh"], examples=self.join(m["examples"]))
            for m in load_data("taxonomy")["mechanisms"]
        )
        return Template(self.system).substitute(taxonomy=taxonomy)

    def task_message(self, article: str, metadata: str = "", candidates: str | None = None) -> str:
        if candidates is None:
            return Template(self.task).substitute(article=article, metadata=metadata).strip()
        return (
            Template(self.task_candidates)
            .substitute(article=article, metadata=metadata, candidates=candidates)
            .strip()
        )

    def reask_message(self, failures: list[str]) -> str:
        listed = "\n".join(f"- {f}" for f in failures)
        return Template(self.reask).substitute(failures=listed).strip()


def _root(directory: Path | str | None) -> Traversable:
    if directory is not None:
        return Path(directory)
    return resources.files("zsextract.prompts")


def _placeholders(text: str) -> set[str] | None:
    """The ``$names`` used in ``text``; None when a ``$`` is neither a name nor ``$$``."""
    used = set()
    for match in Template.pattern.finditer(text):
        if match.group("invalid") is not None:
            return None
        name = match.group("named") or match.group("braced")
        if name:
            used.add(name)
    return used


def _check_messages(raw: str, version: str) -> dict[str, str]:
    """``messages.json`` parsed, every key of :data:`MESSAGES` present with exactly its
    placeholders, and nothing else."""
    try:
        messages = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PromptError(f"prompt version {version!r}: messages.json is not JSON: {exc}") from exc
    if not isinstance(messages, dict) or not all(isinstance(v, str) for v in messages.values()):
        raise PromptError(f"prompt version {version!r}: messages.json must map names to strings")
    missing = sorted(MESSAGES.keys() - messages.keys())
    unknown = sorted(messages.keys() - MESSAGES.keys() - LATER_MESSAGES.keys())
    if missing or unknown:
        raise PromptError(
            f"prompt version {version!r}: messages.json lacks {missing} and has unknown "
            f"{unknown}; its keys are those of MESSAGES and LATER_MESSAGES "
            "in zsextract.llm.prompts"
        )
    for key, text in messages.items():
        used = _placeholders(text)
        expected = MESSAGES[key] if key in MESSAGES else LATER_MESSAGES[key][0]
        if used is None or used != expected:
            raise PromptError(
                f"prompt version {version!r}: message {key!r} must use the placeholders "
                f"{sorted(expected)}, not {sorted(used or ['a lone $'])}"
            )
    return messages


def _check_example(example: Any, name: str) -> dict[str, Any]:
    """Every quote in a few-shot example's output occurs in its text."""
    if not isinstance(example, dict) or "text" not in example or "output" not in example:
        raise PromptError(f"few-shot example {name} needs 'text' and 'output'")
    text = example["text"]

    def quotes(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [v for k, v in node.items() if k in ("quote", "amount_quote") and v]
            return found + [q for v in node.values() for q in quotes(v)]
        if isinstance(node, list):
            return [q for v in node for q in quotes(v)]
        return []

    missing = [q for q in quotes(example["output"]) if q not in text]
    if missing:
        raise PromptError(f"few-shot example {name}: quotes not in its text: {missing}")
    return example


@cache
def _load(version: str, directory: str | None) -> PromptSet:
    base = _root(directory)
    root = base.joinpath(version)
    if not root.is_dir():
        found = (
            sorted(n.name for n in base.iterdir() if n.is_dir() and not n.name.startswith("_"))
            if base.is_dir()
            else []
        )
        raise PromptError(
            f"no prompt version {version!r} in {directory or 'zsextract.prompts'}: "
            f"use one of {found or 'its folders (there are none)'}"
        )
    texts = {}
    digest = hashlib.sha256(version.encode())
    for name in _FILES:
        node = root.joinpath(name)
        if not node.is_file():
            raise PromptError(f"prompt version {version!r} lacks {name}")
        texts[name] = node.read_text("utf-8")
        digest.update(texts[name].encode("utf-8"))
    examples = []
    folder = root.joinpath("examples")
    if folder.is_dir():
        for node in sorted(folder.iterdir(), key=lambda n: n.name):
            if node.name.endswith(".json"):
                raw = node.read_text("utf-8")
                digest.update(raw.encode("utf-8"))
                examples.append(_check_example(json.loads(raw), node.name))
    return PromptSet(
        version=version,
        system=texts["system.md"],
        task=texts["task.md"],
        task_candidates=texts["task_candidates.md"],
        reask=texts["reask.md"],
        messages=_check_messages(texts["messages.json"], version),
        examples=tuple(examples),
        digest=digest.hexdigest(),
    )


def load_prompts(
    version: str = DEFAULT_PROMPT_VERSION, directory: Path | str | None = None
) -> PromptSet:
    """The prompt set ``version`` from the packaged prompts (or from ``directory``)."""
    return _load(version, None if directory is None else str(directory))
