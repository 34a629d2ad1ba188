"""The house is layered: packages import only from their own layer or the layers below, modules
form no import cycle, and no module grows past 400 lines. Read from the source (every import,
the ones inside functions too), not from what a run happens to load."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "macrolint"

#: Bottom to top: the pipeline's stages (see docs/ARCHITECTURE.md).
LAYERS = [
    ("macrolint._version", "macrolint._lazy"),
    ("macrolint.text",),
    ("macrolint.storage",),
    ("macrolint.model",),
    ("macrolint.readers",),
    ("macrolint.packs",),
    ("macrolint.matching",),
    ("macrolint.linting",),
    ("macrolint.fixing",),
    ("macrolint.reporters",),
    ("macrolint.cli", "macrolint.__main__"),
    ("macrolint",),
]
MAX_LINES = 400


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The macrolint modules ``name`` imports (``from pkg import module`` names the module)."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("macrolint"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("macrolint"):
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.add(sub if sub in known else target)
    out.discard(name)
    return out


def layer(name: str) -> int:
    best = -1, -1
    for i, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if name == p or name.startswith(p + "."):
                best = max(best, (len(p), i))
    assert best[1] >= 0, f"{name} belongs to no layer"
    return best[1]


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def test_every_import_points_downwards():
    upward = [f"{a} (layer {layer(a)}) imports {b} (layer {layer(b)})"
              for a, targets in graph().items() for b in sorted(targets) if layer(b) > layer(a)]
    assert upward == []


def test_no_module_imports_itself_back():
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert cycles == []


def test_every_module_is_in_a_layer_and_small():
    too_long = {name: n for name, path in modules().items()
                if layer(name) >= 0 and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert too_long == {}
