"""validate_loaded (the build's way: validation on the working store it has already loaded) gives
the same report as validate_stream on the same data: literals as written, rewritten ones included."""

from __future__ import annotations

import pyoxigraph

from nigraph.validate.run import validate_loaded, validate_stream

NT = pyoxigraph.RdfFormat.N_TRIPLES
XSD = "http://www.w3.org/2001/XMLSchema#"
DATA = (f'<http://e/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/C> .\n'
        f'<http://e/a> <http://e/n> "01"^^<{XSD}integer> .\n'
        f'<http://e/a> <http://e/n> "1"^^<{XSD}integer> .\n'
        f'<http://e/a> <http://e/d> "1.50"^^<{XSD}decimal> .\n'
        f'<http://e/b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/C> .\n'
        f'<http://e/b> <http://e/d> "7"^^<{XSD}int> .\n'
        f'<http://e/b> <http://e/label> "x"@en .\n').encode()
SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
<http://e/S> a sh:NodeShape ; sh:targetClass <http://e/C> ;
  sh:property <http://e/S-n>, <http://e/S-d>, <http://e/S-label> .
<http://e/S-n> sh:path <http://e/n> ; sh:maxCount 1 .
<http://e/S-d> sh:path <http://e/d> ; sh:datatype <{XSD}decimal> .
<http://e/S-label> sh:path <http://e/label> ; sh:minCount 1 .
"""


def test_the_same_report_as_validate_stream() -> None:
    shapes = list(pyoxigraph.parse(SHAPES.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    lines = sorted(DATA.splitlines(keepends=True))
    store = pyoxigraph.Store()
    store.load(DATA, format=NT)
    loaded = validate_loaded(store, lines, shapes)
    streamed = validate_stream(lambda: pyoxigraph.parse(DATA, format=NT), shapes)
    assert loaded == streamed
    assert not loaded.conforms
    found = sorted((r.focus, r.component.rsplit("#", 1)[1], r.value) for r in loaded.results)
    assert found == [
        ("http://e/a", "MaxCountConstraintComponent", None),  # "01" and "1": two values as written
        ("http://e/a", "MinCountConstraintComponent", None),
        ("http://e/b", "DatatypeConstraintComponent", f'"7"^^<{XSD}int>'),  # as written, not xsd:integer
    ], found
    assert len(store) == 6  # only read: "01" and "1" are one value in the store
