"""One internal of instructor replaced, for zsextract's own calls only.

Also, instructor logs an ERROR line for every failed request; inside zsextract's own
calls those records are dropped (zsextract reports failures as events and its own log
records), and every other call's are left alone.

On every request instructor walks every class of the response model looking for
async validators (``reject_async_validators``): about 0.2 ms per call, and a large
share of a call's client CPU. zsextract's response models (:mod:`.wire`) have none
and never change, so inside a call that zsextract makes (:func:`own_call`) the walk is
done once per model. Any other call, and any other model, goes through instructor's
own function unchanged.

instructor binds the function under two names (its module, and ``v2.core.patch``,
which imports it by name), so both are replaced. The patch is tied to the instructor
release series pinned in pyproject.toml; :func:`status` says for each target whether
it applied, and ``tests/test_instructor_patch.py`` fails with that message when an
instructor release moves or changes the function. A target that is missing or has
another signature is left alone: calls are then slower, never wrong.
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

__all__ = ["EXPECTED_PARAMETERS", "TARGETS", "install", "own_call", "status"]

#: (module, attribute) of every name under which instructor calls the function
TARGETS: tuple[tuple[str, str], ...] = (
    ("instructor.v2.validation.async_validators", "reject_async_validators"),
    ("instructor.v2.core.patch", "reject_async_validators"),
)
#: the parameters the replaced function must have for the replacement to be right
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
        setattr(module, attribute, once_per_own_model(function))


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
