"""The import graph of src/themehub: no cycles, and no module imports from a layer above its own.

Every module under src/themehub is parsed with `ast`; every `import` and `from ... import` anywhere
in it (module level, inside functions, under `if TYPE_CHECKING:`) is an edge, with relative imports
resolved against the importing module's package. `from pkg import name` is an edge to `pkg.name`
when that is a module, else to `pkg`.

Layers, lowest first. A module may import from its own layer or from a lower one, never from a
higher one; the layers in one group joined by ‖ are siblings and may not import each other either.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "themehub"
SRC = Path(__file__).resolve().parents[2] / "src" / PACKAGE

# (rank, name, patterns). Two layers of the same rank are siblings: no edges between them either way.
# A pattern "x" matches the module themehub.x; "x.*" matches the package themehub.x and everything in it;
# "" is the package __init__ itself.
LAYERS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "foundations", ("", "diagnostics", "codes", "timings", "progress", "colors", "dates", "i18n", "urls", "xml_text", "source.*",
                        "sanitize.*")),
    (2, "config", ("config", "brand")),
    (3, "content", ("content.*",)),
    (4, "hub", ("hub.*",)),
    (5, "render", ("render.*",)),
    (5, "output", ("output.*",)),
    (6, "incremental", ("incremental.*",)),
    (6, "editor", ("cms.*",)),
    (6, "import", ("importing.*",)),
    (7, "commands", ("build", "check", "scaffold", "schemas")),
    (8, "serve", ("serve.*",)),
    (9, "cli", ("cli", "__main__")),
)

# Edges (importer, imported) that break the layering today, in code that is being rewritten elsewhere
# and must not be edited from here. Each entry is checked to still exist (test_known_violations_are_still_real),
# so this set can only shrink: delete an entry when its edge goes away, never add one to make a new edge pass.
KNOWN_VIOLATIONS: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} (line {self.line})"


Graph = Mapping[str, Mapping[str, int]]  # importer -> {imported: first line importing it}


def module_names(src: Path, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name; a package is named by its __init__."""
    modules: dict[str, Path] = {}
    for path in sorted(src.rglob("*.py")):
        parts = [package, *path.relative_to(src).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: Iterable[str], package: str = PACKAGE) -> dict[str, int]:
    """The package's own modules imported anywhere in one file, with the first line importing each."""
    known = set(modules)
    # The package a relative import starts from: a package's __init__ is its own package.
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        if target != name and (target == package or target.startswith(package + ".")):
            found.setdefault(target, line)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if node.level - 1 > len(here):
                    raise AssertionError(f"{path}:{node.lineno}: relative import goes above the top package")
                base = here[: len(here) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            for alias in node.names:
                submodule = f"{origin}.{alias.name}"
                add(submodule if submodule in known else origin, node.lineno)
    return found


def import_graph(src: Path = SRC, package: str = PACKAGE) -> dict[str, dict[str, int]]:
    modules = module_names(src, package)
    return {name: imports_of(name, path, modules, package) for name, path in modules.items()}


def layer_of(module: str, package: str = PACKAGE) -> list[tuple[int, str]]:
    """Every layer whose patterns match the module (exactly one, for a well-placed module)."""
    rest = "" if module == package else module.removeprefix(package + ".")
    matches = []
    for rank, layer, patterns in LAYERS:
        for pattern in patterns:
            if pattern.endswith(".*"):
                stem = pattern[:-2]
                hit = rest == stem or rest.startswith(stem + ".")
            else:
                hit = rest == pattern
            if hit:
                matches.append((rank, layer))
                break
    return matches


def misplaced(modules: Iterable[str]) -> list[str]:
    problems = []
    for module in sorted(modules):
        layers = layer_of(module)
        if not layers:
            problems.append(f"{module} is in no layer: add it to LAYERS in {Path(__file__).name}")
        elif len(layers) > 1:
            problems.append(f"{module} is in more than one layer: {', '.join(layer for _, layer in layers)}")
    return problems


def layering_violations(graph: Graph) -> list[Edge]:
    """Edges into a higher layer, or into a sibling layer (same rank, other layer)."""
    bad = []
    for importer, targets in graph.items():
        (rank, layer), = layer_of(importer)
        for imported, line in targets.items():
            (their_rank, their_layer), = layer_of(imported)
            if their_rank > rank or (their_rank == rank and their_layer != layer):
                bad.append(Edge(importer, imported, line))
    return sorted(bad, key=lambda edge: (edge.importer, edge.imported))


def cycles(graph: Graph) -> list[list[Edge]]:
    """The edges inside every strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, {}):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                components.append(component)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [
        sorted((Edge(a, b, line) for a in component for b, line in graph.get(a, {}).items() if b in component),
               key=str)
        for component in components
    ]


def describe_layers() -> str:
    return "; ".join(f"{rank} {layer}" for rank, layer, _ in LAYERS)


@pytest.fixture(scope="module")
def graph() -> dict[str, dict[str, int]]:
    found = import_graph()
    # Guards against a walk that finds nothing and so passes everything.
    assert len(found) > 40, f"only {len(found)} modules found under {SRC}"
    assert "themehub.build" in found["themehub.cli"], "the reader missed cli's import of build"
    return found


def test_every_module_is_in_exactly_one_layer(graph: dict[str, dict[str, int]]) -> None:
    problems = misplaced(graph)
    assert not problems, "\n".join(problems)


def test_no_import_cycles(graph: dict[str, dict[str, int]]) -> None:
    found = cycles(graph)
    message = "\n\n".join("import cycle through:\n  " + "\n  ".join(map(str, edges)) for edges in found)
    assert not found, message


def test_no_import_goes_up_a_layer_or_across_to_a_sibling(graph: dict[str, dict[str, int]]) -> None:
    assert not misplaced(graph), "place every module first (test_every_module_is_in_exactly_one_layer)"
    new = [edge for edge in layering_violations(graph) if (edge.importer, edge.imported) not in KNOWN_VIOLATIONS]
    lines = [f"  {edge}: {layer_of(edge.importer)[0][1]} may not import {layer_of(edge.imported)[0][1]}"
             for edge in new]
    assert not new, f"imports against the layers ({describe_layers()}; ‖ siblings share a rank):\n" + "\n".join(lines)


def test_known_violations_are_still_real(graph: dict[str, dict[str, int]]) -> None:
    """Every KNOWN_VIOLATIONS entry is still an edge that breaks the layers: fixed ones must be deleted."""
    current = {(edge.importer, edge.imported) for edge in layering_violations(graph)}
    gone = sorted(KNOWN_VIOLATIONS - current)
    assert not gone, "fixed, so delete from KNOWN_VIOLATIONS: " + ", ".join(f"{a} -> {b}" for a, b in gone)


# The checks on small made-up graphs, so that the tests above cannot pass by finding nothing.


def test_a_cycle_is_caught_and_named() -> None:
    graph = {
        "themehub.config": {"themehub.brand": 3},
        "themehub.brand": {"themehub.colors": 4, "themehub.config": 9},
        "themehub.colors": {},
        "themehub.cli": {"themehub.config": 1},
    }
    found = cycles(graph)
    assert [[str(edge) for edge in edges] for edges in found] == [[
        "themehub.brand -> themehub.config (line 9)",
        "themehub.config -> themehub.brand (line 3)",
    ]]
    assert cycles({"themehub.a": {"themehub.b": 1}, "themehub.b": {}}) == []


def test_a_longer_cycle_is_caught() -> None:
    graph = {"themehub.hub.a": {"themehub.hub.b": 1}, "themehub.hub.b": {"themehub.hub.c": 2},
             "themehub.hub.c": {"themehub.hub.a": 3}}
    (edges,) = cycles(graph)
    assert {(edge.importer, edge.imported) for edge in edges} == {
        ("themehub.hub.a", "themehub.hub.b"), ("themehub.hub.b", "themehub.hub.c"), ("themehub.hub.c", "themehub.hub.a")}


def test_an_upward_and_a_sibling_import_are_caught() -> None:
    graph = {
        "themehub.diagnostics": {"themehub.config": 7},  # foundations -> config: upward
        "themehub.config": {"themehub.diagnostics": 1},  # downward: fine
        "themehub.render.pages": {"themehub.output.lock": 2, "themehub.hub.graph": 3},  # render ‖ output
        "themehub.output.lock": {},
        "themehub.hub.graph": {},
        "themehub.cli": {"themehub.build": 5},  # downward: fine
        "themehub.build": {"themehub.build": 1},
    }
    assert [str(edge) for edge in layering_violations(graph)] == [
        "themehub.diagnostics -> themehub.config (line 7)",
        "themehub.render.pages -> themehub.output.lock (line 2)",
    ]


def test_an_unplaced_module_is_caught() -> None:
    assert misplaced(["themehub.cli", "themehub.newthing", "themehub.render.x"]) == [
        "themehub.newthing is in no layer: add it to LAYERS in test_layers.py"]
    assert layer_of("themehub") == [(1, "foundations")]
    assert layer_of("themehub.sourcery") == []  # "source.*" is the package source, not a name prefix


def test_the_reader_finds_every_kind_of_import(tmp_path: Path) -> None:
    """Module-level, function-level, `from . import x`, `from ..x import y`, and a package's own __init__."""
    src = tmp_path / "themehub"
    files = {
        "__init__.py": "",
        "codes.py": "",
        "render/__init__.py": "from . import pages\nfrom .pool import Pool\n",
        "render/pages.py": "import os\nfrom ..hub import graph\n\ndef f():\n    from ..output.writer import W\n"
                           "    import themehub.codes\n",
        "render/pool.py": "from . import pages as p\nfrom .. import __version__\n",
        "hub/__init__.py": "",
        "hub/graph.py": "from themehub.hub import nothing_such\n",
        "output/__init__.py": "",
        "output/writer.py": "",
    }
    for name, text in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    assert import_graph(src) == {
        "themehub": {},
        "themehub.codes": {},
        "themehub.render": {"themehub.render.pages": 1, "themehub.render.pool": 2},
        "themehub.render.pages": {"themehub.hub.graph": 2, "themehub.output.writer": 5, "themehub.codes": 6},
        "themehub.render.pool": {"themehub.render.pages": 1, "themehub": 2},
        "themehub.hub": {},
        "themehub.hub.graph": {"themehub.hub": 1},
        "themehub.output": {},
        "themehub.output.writer": {},
    }
