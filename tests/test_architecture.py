"""The package's shape, checked: layers import only downwards, no import circle, and no
module imports another module's private name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import zsextract

PACKAGE = Path(zsextract.__file__).parent

# lowest first; a module may import from its own layer and the layers below
LAYERS: list[tuple[str, ...]] = [
    (
        "errors",
        "version",
        "datafiles",
        "patterns",
        "wordsearch",
        "options",
        "pacing",
        "prompts",
        "events",
    ),
    ("text",),  # script folding, cleaning: needs no report
    ("report",),  # the display of a quantity folds its written unit to Simplified
    ("readers",),
    ("backends",),
    ("llm",),
    ("api",),
    ("batch", "dataset", "evaluation", "regress", "raydata", "testing"),
    ("cli",),
    ("",),  # zsextract/__init__.py
]


def _layer(module: str) -> int:
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else ""
    for n, names in enumerate(LAYERS):
        if head in names:
            return n
    raise AssertionError(f"{module} is in no layer: add its folder to LAYERS")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: Path, known: set[str]) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import that runs."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: list[tuple[str, list[str], int]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                if target.split(".")[0] != "zsextract":
                    continue
                names = [a.name for a in child.names]
                modules = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
                for m in modules:
                    found.append((m, [], child.lineno))
                rest = [n for n in names if f"{target}.{n}" not in known]
                if rest or not modules:
                    found.append((target, rest, child.lineno))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == "zsextract":
                        found.append((alias.name, [], child.lineno))
            visit(child)

    visit(tree)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, list[tuple[str, list[str], int]]]:
    modules = _modules()
    known = set(modules)
    return {m: _imports(m, p, known) for m, p in modules.items()}


def test_layers_import_only_downwards(graph) -> None:
    upward = [
        f"{m}:{line} imports {target}"
        for m, imports in graph.items()
        for target, _, line in imports
        if target in graph and _layer(target) > _layer(m)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_circle(graph) -> None:
    edges = {
        m: sorted({t for t, _, _ in imports if t in graph and t != m})
        for m, imports in graph.items()
    }
    circles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in edges[m]:
            # a package importing its own submodules (re-exports) is no circle
            if t.startswith(m + "."):
                continue
            if state.get(t) == 1:
                circles.append(" -> ".join([*stack[stack.index(t) :], t]))
            elif t not in state:
                walk(t)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            walk(m)
    assert not circles, "\n".join(circles)


def test_no_private_name_crosses_a_module(graph) -> None:
    private = [
        f"{m}:{line} takes {', '.join(n for n in names if n.startswith('_'))} from {target}"
        for m, imports in graph.items()
        for target, names, line in imports
        if target != m and any(n.startswith("_") and not n.startswith("__") for n in names)
    ]
    assert not private, "\n".join(private)


def test_no_backend_reaches_into_another(graph) -> None:
    """The LLM layer, the tools and the entry points use the shared readers, never the
    rules backend's own modules (the registry names it by path only)."""
    reaching = [
        f"{m}:{line} imports {target}"
        for m, imports in graph.items()
        for target, _, line in imports
        if target.startswith("zsextract.backends.rules")
        and not m.startswith("zsextract.backends.rules")
    ]
    assert not reaching, "\n".join(reaching)
