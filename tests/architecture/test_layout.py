"""The shape of the product code (STYLE.md, ARCHITECTURE.md): a module that passes 400 lines
splits by sub-domain. Migrations are generated and stay as they are."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("workflows", "procedures", "portal", "notifications", "config", "fixtures")
LIMIT = 400


def _modules():
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_product_module_passes_four_hundred_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for path in _modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert long == {}, f"split these by sub-domain: {long}"
    assert sum(1 for _ in _modules()) > 200  # the walk found the code


def _cycles() -> list[list[str]]:
    """The import cycles among product modules (function-local imports count, as they do
    at run time; imports only for type checking do not), by Tarjan's components."""
    graph = grimp.build_graph(*PRODUCT, exclude_type_checking_imports=True)
    modules = {m for m in graph.modules if ".migrations" not in m}
    edges = {
        m: [x for x in graph.find_modules_directly_imported_by(m) if x in modules] for m in modules
    }
    index, low, stack, on, found = {}, {}, [], set(), []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on.add(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                on.discard(other)
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_among_product_modules():
    """A transition's permission finds its procedure through the engine
    (`pipeline.procedure_of`), and where a village matter stands is read from one module
    (`village/progress.py`): no module needs another that needs it back."""
    assert _cycles() == []
