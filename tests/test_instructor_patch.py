"""zsextract replaces two instructor internals (zsextract/llm/instructor_patch.py).

These tests fail, with a message that says what to do, when an instructor release
moves the function or changes its signature, and they check that the replacement
keeps instructor's behaviour for every call that is not zsextract's own.
"""

from __future__ import annotations

import importlib
from importlib.metadata import version
from typing import Any

import pytest
from instructor.v2.validation.async_validators import async_field_validator
from pydantic import BaseModel

from zsextract.llm import instructor_patch, wire

from .test_llm_setup import extract_with_one_backend

#: the targets that walk a model for async validators
WALKS = [t for t in instructor_patch.TARGETS if t[1] == "reject_async_validators"]


class Foreign(BaseModel):
    x: int


class WithAsyncValidator(BaseModel):
    x: int

    @async_field_validator("x")
    async def _check(self, value: int) -> None:
        return None


def test_every_target_is_patched() -> None:
    broken = {target: why for target, why in instructor_patch.status().items() if why != "patched"}
    assert not broken, (
        f"instructor {version('instructor')} no longer matches zsextract's patch: {broken}. "
        "Read the new function in instructor's source, update TARGETS/EXPECTED_PARAMETERS in "
        "zsextract/llm/instructor_patch.py (or drop the patch), then the instructor bound in "
        "pyproject.toml."
    )


def test_a_changed_signature_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module(instructor_patch.TARGETS[0][0])

    def changed(response_model: Any, strict: bool) -> None:
        return None

    monkeypatch.setattr(module, instructor_patch.TARGETS[0][1], changed)
    instructor_patch.install()
    assert getattr(module, instructor_patch.TARGETS[0][1]) is changed  # not replaced
    assert "now takes ('response_model', 'strict')" in next(
        iter(instructor_patch.status().values())
    )
    monkeypatch.delattr(module, instructor_patch.TARGETS[0][1])
    assert "is gone" in next(iter(instructor_patch.status().values()))


def test_own_models_are_checked_once_and_only_inside_own_calls() -> None:
    checked: list[type] = []
    once = instructor_patch.once_per_own_model(checked.append)

    class Fresh1(wire.LLMExtraction):  # instructor makes a new subclass per request
        pass

    class Fresh2(wire.LLMExtraction):
        pass

    for model in (Fresh1, Foreign):
        once(model)  # outside zsextract's calls: always
    with instructor_patch.own_call():
        for model in (Foreign, Fresh1, Foreign, Fresh2, Fresh1):
            once(model)
    once(Fresh2)
    assert checked == [Fresh1, Foreign, Foreign, Fresh1, Foreign, Fresh2]


@pytest.mark.parametrize("inside", [False, True])
def test_async_validators_of_other_models_are_still_refused(inside: bool) -> None:
    for module_name, attribute in instructor_patch.TARGETS:
        check = getattr(importlib.import_module(module_name), attribute)
        for _ in range(2):
            if inside:
                with instructor_patch.own_call(), pytest.raises(ValueError, match="async"):
                    check(WithAsyncValidator)
            else:
                with pytest.raises(ValueError, match="async"):
                    check(WithAsyncValidator)


def test_a_request_walks_our_models_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through a real request: the walk runs under both names on the first call, and
    not at all on later calls of the same backend."""
    walked: list[str] = []
    for module_name, attribute in WALKS:
        module = importlib.import_module(module_name)

        def counting(response_model: Any, _name: str = module_name) -> None:
            walked.append(_name)

        monkeypatch.setattr(module, attribute, instructor_patch.once_per_own_model(counting))
    reports, _ = extract_with_one_backend(3)
    assert all(r.metrics[0].quantity.value == 26 for r in reports)
    assert sorted(set(walked)) == sorted(m for m, _ in WALKS)
    assert len(walked) == len(WALKS)  # once each, not once per request


def test_own_models_are_prepared_once_and_only_inside_own_calls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(instructor_patch, "_PREPARED", {})
    made: list[type] = []

    def prepare(model: Any) -> Any:
        made.append(model)
        return type("Prepared", (model,), {})

    once = instructor_patch.prepared_once_per_own_model(prepare)
    with instructor_patch.own_call():
        first = once(wire.LLMExtraction)
        assert once(wire.LLMExtraction) is first  # the same class again, not a new one
        assert once(first) is first  # instructor prepares the prepared class again
        assert once(Foreign) is not once(Foreign)  # other models: each time
    assert once(wire.LLMExtraction) is not first  # outside zsextract's calls: each time
    assert made.count(wire.LLMExtraction) == 2


def test_a_request_prepares_our_model_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through real requests: instructor wraps zsextract's response model in a new
    pydantic class on the first request only, and finds its tool schema cached after."""
    from instructor.v2.core import function_calls

    wrapped: list[type] = []
    real = function_calls.response_schema

    def counting(cls: Any) -> Any:
        wrapped.append(cls)
        return real(cls)

    monkeypatch.setattr(function_calls, "response_schema", counting)
    monkeypatch.setattr(instructor_patch, "_PREPARED", {})
    reports, _ = extract_with_one_backend(3)
    assert all(r.metrics[0].quantity.value == 26 for r in reports)
    assert len(wrapped) == 1, wrapped
