"""The shape of the product code (STYLE.md, ARCHITECTURE.md): a module that passes 400 lines
splits by sub-domain. Migrations are generated and stay as they are."""

from __future__ import annotations

import ast
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


# Where an import inside a function is meant (every other import is at the module's top):
# Django's `AppConfig.ready` (models and signals load only once the registry is ready);
# the bench, whose parts run in child processes and measure what each loads; the embedded
# runner, which imports Django and the demo county only once it has set the environment.
LOCAL_IMPORTS_IN = ("apps.py", "config/bench/", "config/run_embedded.py")
# Libraries loaded on first use, so that a process that never prints, reads a workbook,
# signs a published head or draws the flow chart stays small (the Celery worker's memory,
# BENCHMARKS.md): Word and its templates, spreadsheets and their XML guard, signatures, the
# flow chart and viewflow's task rows, the schema generator's hook, the optional CJK font
# package, and ctypes for the embedded runner's memory figure.
LAZY_LIBRARIES = (
    "docx",
    "docxtpl",
    "jinja2",
    "openpyxl",
    "defusedxml",
    "cryptography",
    "viewflow",
    "drf_spectacular",
    "cvttf_NotoSansCJK_Regular",
    "ctypes",
)


def _local_imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom):
                    found.append((inner.lineno, "." * inner.level + (inner.module or "")))
                elif isinstance(inner, ast.Import):
                    found += [(inner.lineno, alias.name) for alias in inner.names]
    return found


def test_imports_are_at_the_top_but_where_the_allow_list_says():
    """No function-local import dodges a cycle (there is none): each is one of the few
    places above, or a library loaded on first use."""
    stray = [
        f"{path.relative_to(ROOT)}:{line} {module}"
        for path in _modules()
        if not any(place in str(path.relative_to(ROOT)) for place in LOCAL_IMPORTS_IN)
        for line, module in _local_imports(path)
        if module.split(".")[0] not in LAZY_LIBRARIES
    ]
    assert stray == []
    counted = sum(len(_local_imports(path)) for path in _modules())
    assert counted > 0  # the walk reads function bodies


def _audit_appends() -> dict[str, list[str | None]]:
    """Each product module that calls `record_event` itself, with the action each call
    names (None: not a literal)."""
    found: dict[str, list[str | None]] = {}
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "record_event":
                continue
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            literal = action.value if isinstance(action, ast.Constant) else None
            found.setdefault(str(path.relative_to(ROOT)), []).append(literal)
    return found


def test_every_act_reaches_the_audit_chain_through_the_pipeline():
    """No side doors: the pipeline appends every act's event; outside it, only the access
    log's reads, each named in `audit.ACCESS_LOG`."""
    from workflows.audit import ACCESS_LOG

    appends = _audit_appends()
    assert appends.pop("workflows/pipeline.py") == [None]  # `_audit`, the one act's append
    assert sorted(action for actions in appends.values() for action in actions) == sorted(
        ACCESS_LOG
    ), appends
    assert set(appends) == {"procedures/people/selectors.py", "portal/staff/imports.py"}


def test_a_persons_standing_is_set_by_people_alone():
    """A procedure gives a party standing through `procedures.people.standing`, never by
    setting a person's fields (the fixtures' generators, which build people whole, aside)."""
    fields = {"standing", "standing_since", "full_member_since"}
    setting = []
    for path in _modules():
        relative = path.relative_to(ROOT)
        if relative.parts[:2] == ("procedures", "people") or relative.parts[0] == "fixtures":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                for each in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if isinstance(each, ast.Attribute) and each.attr in fields:
                        setting.append(f"{relative}:{node.lineno}")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "step_back":
                setting.append(f"{relative}:{node.lineno}")
    assert setting == []
