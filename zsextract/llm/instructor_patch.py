"""Two internals of instructor replaced, for zsextract's own calls only.

Also, instructor logs an ERROR line for every failed request; inside zsextract's own
calls those records are dropped (zsextract reports failures as events and its own log
records), and every other call's are left alone.

On every request instructor
- walks every class of the response model looking for async validators
  (``reject_async_validators``: about 0.2 ms per call), and
- wraps the response model in a new pydantic class (``prepare_response_model``, which
  calls ``pydantic.create_model``: several milliseconds per call, the largest share of
  a call's client CPU), whose JSON Schema its cache of tool schemas then cannot find,
  so the schema is made again as well.

zsextract's response models (:mod:`.wire`) have no async validators and never change,
so inside a call that zsextract makes (:func:`own_call`) the walk is done once per
model, and the wrapped class is made once per model and reused (with it, instructor's
own ``lru_cache`` of tool schemas hits). Any other call, and any other model, goes
through instructor's own functions unchanged.

instructor binds each function under several names (its module, and the modules that
import it by name), so every name is replaced (:data:`TARGETS`). The patch is tied to
the instructor release series pinned in pyproject.toml; :func:`status` says for each
target whether it applied, and ``tests/test_instructor_patch.py`` fails with that
message when an instructor release moves or changes a function. A target that is
missing or has another signature is left alone: calls are then slower, never wrong.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .wire import own_model_class

__all__ = [
    "EXPECTED_PARAMETERS",
    "TARGETS",
    "install",
    "once_per_own_model",
    "own_call",
    "prepared_once_per_own_model",
    "status",
]

#: (module, attribute) of every name under which instructor calls a replaced function
TARGETS: tuple[tuple[str, str], ...] = (
    ("instructor.v2.validation.async_validators", "reject_async_validators"),
    ("instructor.v2.core.patch", "reject_async_validators"),
    ("instructor.v2.core.response_model", "prepare_response_model"),
    ("instructor.v2.core.patch", "prepare_response_model"),
    ("instructor.v2.core.response", "prepare_response_model"),
)
#: the parameters each replaced function must have for the replacement to be right
EXPECTED_PARAMETERS: tuple[str, ...] = ("response_model",)

_MARK = "_zsextract_once"
_IN_OWN_CALL: ContextVar[bool] = ContextVar("zsextract_in_own_call", default=False)


@contextmanager
def own_call() -> Iterator[None]:
    """Mark the code inside as a call zsextract makes (its thread or task only)."""
    token = _IN_OWN_CALL.set(True)
    try:
        yield
    finally:
        _IN_OWN_CALL.reset(token)


def once_per_own_model(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``check`` run once per zsextract model inside :func:`own_call`; always otherwise."""
    checked: set[type] = set()

    def check_once(response_model: Any) -> Any:
        own = own_model_class(response_model) if _IN_OWN_CALL.get() else None
        if own is not None and own in checked:
            return None
        result = check(response_model)
        if own is not None:
            checked.add(own)
        return result

    setattr(check_once, _MARK, True)
    check_once.__wrapped__ = check  # type: ignore[attr-defined]
    return check_once


#: zsextract's response model -> instructor's wrapped class for it, and that class ->
#: itself (instructor prepares the prepared class again; the answer is the same class)
_PREPARED: dict[type, Any] = {}


def prepared_once_per_own_model(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``prepare`` run once per zsextract model inside :func:`own_call` (the class it
    made is reused); always otherwise."""

    def prepare_once(response_model: Any) -> Any:
        if _IN_OWN_CALL.get() and isinstance(response_model, type):
            prepared = _PREPARED.get(response_model)
            if prepared is not None:
                return prepared
            if own_model_class(response_model) is response_model:
                prepared = prepare(response_model)
                _PREPARED[prepared] = _PREPARED[response_model] = prepared
                return prepared
        return prepare(response_model)

    setattr(prepare_once, _MARK, True)
    prepare_once.__wrapped__ = prepare  # type: ignore[attr-defined]
    return prepare_once


#: how each replaced function is wrapped, by its name
_WRAPPERS: dict[str, Callable[[Callable[[Any], Any]], Callable[[Any], Any]]] = {
    "reject_async_validators": once_per_own_model,
    "prepare_response_model": prepared_once_per_own_model,
}


def _target(module_name: str, attribute: str) -> tuple[Any, Any, str]:
    """(module, current function, problem or "") for one target."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None, None, f"module {module_name} is gone"
    function = getattr(module, attribute, None)
    if function is None:
        return module, None, f"{module_name}.{attribute} is gone"
    original = (
        getattr(function, "__wrapped__", function) if getattr(function, _MARK, False) else function
    )
    try:
        parameters = tuple(inspect.signature(original).parameters)
    except (TypeError, ValueError):
        return module, function, f"{module_name}.{attribute} has no readable signature"
    if parameters != EXPECTED_PARAMETERS:
        return (
            module,
            function,
            f"{module_name}.{attribute} now takes {parameters}, not {EXPECTED_PARAMETERS}",
        )
    return module, function, ""


#: instructor's loggers whose records about zsextract's own calls are not passed on:
#: zsextract reports the same failures as retry events and records (zsextract.events)
QUIETED_LOGGERS: tuple[str, ...] = ("instructor.v2.retry",)


class _NotOwnCalls(logging.Filter):
    """Pass a record unless it was logged inside one of zsextract's calls."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _IN_OWN_CALL.get()


_QUIET = _NotOwnCalls()


def install() -> None:
    """Replace every target that is there with the expected signature, and quiet
    instructor's loggers inside zsextract's calls (idempotent)."""
    for name in QUIETED_LOGGERS:
        logger = logging.getLogger(name)
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)
    for module_name, attribute in TARGETS:
        module, function, problem = _target(module_name, attribute)
        if problem or getattr(function, _MARK, False):
            continue
        setattr(module, attribute, _WRAPPERS[attribute](function))


def status() -> dict[str, str]:
    """For each target ``module.attribute``: "patched", or what stopped the patch."""
    result = {}
    for module_name, attribute in TARGETS:
        _, function, problem = _target(module_name, attribute)
        if problem:
            result[f"{module_name}.{attribute}"] = problem
        elif getattr(function, _MARK, False):
            result[f"{module_name}.{attribute}"] = "patched"
        else:
            result[f"{module_name}.{attribute}"] = "not patched (install() was not called)"
    return result
