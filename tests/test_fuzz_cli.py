"""Hypothesis fuzzing of `nigraph validate` files and `nigraph query` parameters (issue 8, item 3).

Property: whatever the input, the command ends with a documented exit status (validate: 0, 1 or
2; query: 0 or 2) and a message, never an unexpected exception (which `main` would turn into a
traceback hint). Examples found are kept below as regressions.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROJECT_ROOT
from nigraph.cli import main

EXAMPLES = int(os.environ.get("NIGRAPH_FUZZ_EXAMPLES", "15"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

STANDARD = """@prefix nig: <https://w3id.org/nigraph/def/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/nigraph/id/standard/{key}> a nig:Standard ;
    nig:standardNumber {number} ;
    rdfs:label {label_en}@en, {label_zh}@zh ;
    dcterms:issued {issued} ;
    nig:implementationDate {implemented} .
"""
LEXICAL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _run(capsys: pytest.CaptureFixture, args: list[str], allowed: set[int]) -> None:
    """Run the real entry point; an unexpected exception would show as the `-v` hint."""
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    assert code in allowed, (code, out, err)
    assert "Traceback" not in out + err and "hint: run again with -v" not in err, err
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err


@FUZZ
@given(
    key=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,12}", fullmatch=True),
    number=LEXICAL, label_en=LEXICAL, label_zh=LEXICAL,
    issued=st.one_of(st.dates().map(lambda d: f'"{d.isoformat()}"^^xsd:date'), LEXICAL.map(lambda t: _quoted(t) + "^^xsd:date")),
    implemented=st.dates().map(lambda d: f'"{d.isoformat()}"^^xsd:date'),
)
def test_validate_any_standard_record(tmp_path: Path, capsys, key, number, label_en, label_zh, issued, implemented) -> None:
    path = tmp_path / "user.ttl"
    path.write_text(STANDARD.format(key=key, number=_quoted(number), label_en=_quoted(label_en),
                                    label_zh=_quoted(label_zh), issued=issued, implemented=implemented), encoding="utf-8")
    _run(capsys, ["validate", "--root", str(PROJECT_ROOT), "--without-data", str(path)], {0, 1})


@FUZZ
@given(st.binary(max_size=120), st.sampled_from(["ttl", "jsonld", "nt"]))
def test_validate_any_bytes(tmp_path: Path, capsys, data: bytes, ext: str) -> None:
    path = tmp_path / f"user.{ext}"
    path.write_bytes(data)
    _run(capsys, ["validate", "--root", str(PROJECT_ROOT), "--without-data", str(path)], {0, 1, 2})


@FUZZ
@given(st.text(max_size=60), st.sampled_from(["sources-of-resource", "targets-of-goal", "industries-without-standard-of-type"]))
def test_query_any_parameter_value(capsys, value: str, name: str) -> None:
    param = {"sources-of-resource": "resource", "targets-of-goal": "goal",
             "industries-without-standard-of-type": "type"}[name]
    _run(capsys, ["query", "--root", str(PROJECT_ROOT), name, "--param", f"{param}={value}"], {0, 2})


@pytest.mark.parametrize("value", ["", "}", "> } UNION { ?s ?p ?o", "https://w3id.org/nigraph/id/goal/2025\n", "\x00", "<>"])
def test_query_found_parameter_values(capsys, value: str) -> None:
    """The IRI with a trailing newline once gave a two-line error (the message quoted the newline)."""
    _run(capsys, ["query", "--root", str(PROJECT_ROOT), "targets-of-goal", "--param", f"goal={value}"], {0, 2})
