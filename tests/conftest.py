"""Shared fixtures: small projects made from tests/fixtures/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def in_ci() -> bool:
    """True when running under CI (CI=true): there, tools the tests need must be installed, not skipped."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _needs(tool: str, why: str) -> pytest.MarkDecorator:
    """Skip where ``tool`` is missing, but never in CI: .ci/run installs it, so there the test runs (and fails)."""
    return pytest.mark.skipif(shutil.which(tool) is None and not in_ci(), reason=why)


needs_java = _needs("java", "java not on PATH (CI has it: there the test runs and fails)")
needs_rapper = _needs("rapper", "rapper (raptor2-utils) is not installed; CI installs it")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A project with the mini ontology and data, laid out as the real one."""
    root = tmp_path / "project"
    (root / "ontology" / "imports").mkdir(parents=True)
    (root / "data").mkdir()
    shutil.copy(FIXTURES / "mini-ontology.ttl", root / "ontology" / "nigraph.ttl")
    shutil.copy(FIXTURES / "mini-import.ttl", root / "ontology" / "imports" / "prov_import.ttl")
    shutil.copy(FIXTURES / "mini-data.ttl", root / "data" / "industries.ttl")
    return root


def rdflib_term(t):  # noqa: ANN001, ANN201 - a pyoxigraph term in, an rdflib term out
    """The rdflib term for a pyoxigraph term (xsd:string literals as plain literals, the same in RDF 1.1)."""
    import rdflib

    if t.__class__.__name__ == "NamedNode":
        return rdflib.URIRef(t.value)
    if t.__class__.__name__ == "BlankNode":
        return rdflib.BNode(t.value)
    if t.language:
        return rdflib.Literal(t.value, lang=t.language)
    if t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(t.value)
    return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))


# Tests write only into temporary folders, never into the project's dist/ (or a site/ next to it):
# the state of those folders is taken when the session starts and compared when it ends.
_WATCHED = ("dist", "site")


def _tree_state() -> dict[str, tuple[int, int]]:
    state = {}
    for name in _WATCHED:
        top = PROJECT_ROOT / name
        if top.exists():
            for path in [top, *top.rglob("*")]:
                try:
                    st = path.lstat()
                except OSError:
                    continue
                state[path.relative_to(PROJECT_ROOT).as_posix()] = (st.st_size, st.st_mtime_ns)
    return state


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config._nigraph_tree = _tree_state()  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = getattr(session.config, "_nigraph_tree", None)
    if before is None:
        return
    after = _tree_state()
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if changed:
        shown = ", ".join(changed[:10]) + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
        session.config.get_terminal_writer().line(
            f"\nERROR: the tests wrote into the project's {'/ or '.join(_WATCHED)}/ (tests must use temporary "
            f"folders): {shown}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
