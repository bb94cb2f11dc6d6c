"""Our own SHACL test manifests (W3C format, tests/fixtures/shacl-manifests/) on both engines.

One manifest per failure class of issue 12 and per SHACL Core constraint component the compiler takes,
each with the exact expected report worked out by hand; ``nigt:route`` pins which way the fast engine
takes the shapes (compiled, or handed to pySHACL). The same harness runs the public W3C suite
(docs/validate.md says how).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import ENGINES, main, read_entries, run_entry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "shacl-manifests"
ENTRIES = read_entries(FIXTURES)


def test_there_is_a_manifest_per_component_and_failure_class() -> None:
    names = {e.name for e in ENTRIES}
    components = {"min-count", "max-count", "datatype", "class", "in", "pattern", "language-in", "unique-lang",
                  "has-value", "node-kind", "min-max-inclusive", "min-max-exclusive", "sparql-flat", "targets"}
    assert {f"core-{c}" for c in components} <= names
    assert sum(n.startswith("fail-") for n in names) >= 15
    assert {e.route for e in ENTRIES} == {"compiled", "pyshacl", None}
    assert sum(e.expected is None for e in ENTRIES) == 3  # MINUS, VALUES, SERVICE: refused


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_entry(entry, engine: str) -> None:
    outcome = run_entry(entry, engine)
    assert outcome.passed, outcome.detail


def test_harness_command_counts_both_engines(capsys) -> None:
    assert main([str(FIXTURES)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"fast: {len(ENTRIES)}/{len(ENTRIES)} entries agree with the expected report"
    assert out[1] == f"pyshacl: {len(ENTRIES)}/{len(ENTRIES)} entries agree with the expected report"
    assert out[2] == "fast fails where pySHACL passes: 0"


def test_harness_notices_a_wrong_expectation(tmp_path: Path) -> None:
    text = (FIXTURES / "core-min-count.ttl").read_text(encoding="utf-8")
    (tmp_path / "wrong.ttl").write_text(text.replace("sh:focusNode ex:bad", "sh:focusNode ex:ok"), encoding="utf-8")
    [entry] = read_entries(tmp_path)
    for engine in ENGINES:
        outcome = run_entry(entry, engine)
        assert not outcome.passed and "missing" in outcome.detail
