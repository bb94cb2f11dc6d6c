"""The package layout (docs/architecture.md): imports go only in the allowed direction.

Each package of ``src/nigraph`` says in its docstring which packages it may import
(``May import: :mod:`nigraph.core`, …``). This test parses every module's imports and fails when
one points elsewhere, and when the diagram in docs/architecture.md differs from the real imports.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "nigraph"
DOC = ROOT / "docs" / "architecture.md"
PACKAGES = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())


def _package_of(module: str) -> str:
    """``nigraph.core.iri`` → ``core``; the top-level ``nigraph`` and its modules (``__main__``) → ``nigraph``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in PACKAGES else "nigraph"


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(path: Path) -> set[str]:
    """Every nigraph module ``path`` imports, relative imports resolved."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "nigraph"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] == "nigraph":
                # `from nigraph.x import y` may name a module y: count the package x either way
                found.add(target)
    return found


def package_edges() -> set[tuple[str, str]]:
    """(importer package, imported package) for every import between two different packages."""
    edges = set()
    for path in sorted(SRC.rglob("*.py")):
        src = _package_of(_module_name(path))
        for target in _imported(path):
            dst = _package_of(target)
            if dst != src and dst != "nigraph":
                edges.add((src, dst))
    return edges


def allowed_imports() -> dict[str, set[str]]:
    """Each package's docstring line ``May import: …`` → the packages it names."""
    allowed = {}
    for name in PACKAGES:
        doc = ast.get_docstring(ast.parse((SRC / name / "__init__.py").read_text(encoding="utf-8"))) or ""
        m = re.search(r"May import:(.*?)(?:\n\n|$)", doc, re.S)
        assert m, f"src/nigraph/{name}/__init__.py: the docstring has no 'May import:' line"
        text = m.group(1)
        allowed[name] = (set(PACKAGES) if "any package" in text
                         else set(re.findall(r"nigraph\.(\w+)", text)) - {name})
    return allowed


def test_every_package_says_what_it_may_import():
    allowed = allowed_imports()
    assert set(allowed) == set(PACKAGES)
    assert allowed["core"] == set(), "core imports nothing of nigraph"
    for name, targets in allowed.items():
        assert targets <= set(PACKAGES), f"{name}: names unknown packages {targets - set(PACKAGES)}"


def test_imports_go_only_in_the_allowed_direction():
    allowed = allowed_imports()
    wrong = sorted((a, b) for a, b in package_edges() if a != "nigraph" and b not in allowed[a])
    assert not wrong, "imports against the allowed direction: " + ", ".join(f"{a} → {b}" for a, b in wrong)


def test_the_allowed_directions_have_no_cycle():
    allowed = {k: v for k, v in allowed_imports().items() if k != "cli"}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == 1:
            pytest.fail("cycle: " + " → ".join(trail + [node]))
        if state.get(node) == 2:
            return
        state[node] = 1
        for nxt in sorted(allowed.get(node, ())):
            visit(nxt, trail + [node])
        state[node] = 2

    for name in sorted(allowed):
        visit(name, [])


def test_the_diagram_in_docs_matches_the_imports():
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no mermaid diagram"
    drawn = set(re.findall(r"^\s*(\w+)\s*-->\s*(\w+)\s*$", block.group(1), re.M))
    real = {(a, b) for a, b in package_edges() if a != "nigraph"}
    assert drawn == real, (f"docs/architecture.md: missing {sorted(real - drawn)}, "
                           f"not in the code {sorted(drawn - real)}")


def test_every_package_is_in_the_docs():
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in PACKAGES if f"`{name}/`" not in text]
    assert not missing, f"docs/architecture.md does not describe {missing}"


def test_a_wrong_import_is_caught(tmp_path):
    """The parser sees relative and absolute imports (so the checks above can fail)."""
    mod = tmp_path / "nigraph" / "core" / "x.py"
    mod.parent.mkdir(parents=True)
    mod.write_text("from ..serve import app\nimport nigraph.cli\nfrom .iri import BASE\n")
    global SRC
    saved, SRC = SRC, tmp_path / "nigraph"
    try:
        assert _imported(mod) == {"nigraph.serve", "nigraph.cli", "nigraph.core.iri"}
    finally:
        SRC = saved
