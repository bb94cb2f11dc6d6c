"""Hypothesis fuzzing of the loader (issue 8, item 3): any bytes in a Turtle, N-Triples or
JSON-LD file give quads or an InputError with a usable message, never another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nigraph.core.errors import InputError
from nigraph.core.load import load_file

TURTLE_BITS = st.sampled_from([
    "@prefix ex: <http://example.org/> .\n", "ex:s ex:p ex:o .\n", '"lit"@zh', "<http://e/x>", " ; ", " , ",
    " .\n", "[ ", " ]", "_:b", '"""', "\\u00", "^^<http://www.w3.org/2001/XMLSchema#date>", "\ufeff", "　",
    "ex:", "@base <", "# comment\n", '"', "'", "{", "}", "\x00",
])
JSONLD_BITS = st.sampled_from([
    "{", "}", "[", "]", '"@id"', '"@context"', '"@graph"', '"@value"', '"@language"', ":", ",",
    '"http://e/p"', '"x"', "null", "1e999", '"@type"', '"zh"', "\ufeff", '"\\ud800"',
])


def _check(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        quads = load_file(path, path.parent)
    except InputError as exc:
        text = str(exc)
        assert text.startswith(path.name) and len(text.splitlines()) == 1, text
    else:
        assert isinstance(quads, list)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TURTLE_BITS, max_size=25).map("".join), st.sampled_from(["ttl", "nt"]))
def test_turtle_like_inputs(tmp_path: Path, text: str, ext: str) -> None:
    _check(tmp_path / f"fuzz.{ext}", text.encode("utf-8", "surrogatepass"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(JSONLD_BITS, max_size=25).map("".join))
def test_jsonld_like_inputs(tmp_path: Path, text: str) -> None:
    _check(tmp_path / "fuzz.jsonld", text.encode("utf-8", "surrogatepass"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200), st.sampled_from(["ttl", "jsonld", "nt", "rdf"]))
def test_arbitrary_bytes(tmp_path: Path, data: bytes, ext: str) -> None:
    _check(tmp_path / f"fuzz.{ext}", data)


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe@prefix", b'"""@prefix ex: <http://example.org/> .\n"""', "@prefix ex: <http://e/> .\nex:s ex:p \"x\"@zh-\u4e2d .\n".encode(), b'{"@id": 5}'],
)
def test_found_examples(tmp_path: Path, data: bytes) -> None:
    """Examples kept as regressions (a UTF-16 mark, a parser message quoting a newline, a non-ASCII
    language tag, a numeric @id); the newline one once gave a two-line error."""
    _check(tmp_path / ("fuzz.jsonld" if data.startswith(b"{") else "fuzz.ttl"), data)
