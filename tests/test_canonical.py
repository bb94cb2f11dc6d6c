"""The canonical form and the dumps written from it: literals as written, blank nodes apart,
every format read back by pyoxigraph and rdflib as the same graphs (issues 12, 13 and 18)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from nigraph import build
from nigraph.core.canonical import canonical, is_asserted, merged, read_nquads, render, to_nquads
from nigraph.core.iri import PREFIXES, graph_for
from nigraph.export.dumps import FORMATS, RDF_FORMATS, export

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Literals a store would rewrite (xsd:int → xsd:integer, "1.50" → "1.5", "+3" → "3", "1E0" → "1"…).
TRICKY = [
    ('"01"^^<%sint>' % XSD, "01", XSD + "int"),
    ('"7"^^<%sbyte>' % XSD, "7", XSD + "byte"),
    ('"1.50"^^<%sdecimal>' % XSD, "1.50", XSD + "decimal"),
    ('"+3"^^<%sinteger>' % XSD, "+3", XSD + "integer"),
    ('"0003"^^<%sinteger>' % XSD, "0003", XSD + "integer"),
    ('"1E0"^^<%sdouble>' % XSD, "1E0", XSD + "double"),
    ('"1"^^<%sboolean>' % XSD, "1", XSD + "boolean"),
    ('"2025-01-01Z"^^<%sdate>' % XSD, "2025-01-01Z", XSD + "date"),
    ('"60.0"^^<%sdecimal>' % XSD, "60.0", XSD + "decimal"),
]


def _tricky_project(mini_project: Path) -> Path:
    lines = [f"<https://w3id.org/nigraph/id/task/1> <https://example.org/v{i}> {lit} ." for i, (lit, _, _) in enumerate(TRICKY)]
    lines.append('<https://w3id.org/nigraph/id/task/1> <https://example.org/zh> "新兴产业"@zh-hans .')
    lines.append('<https://w3id.org/nigraph/id/task/1> <https://example.org/q> "she said \\"标准\\"\\nline two" .')
    (mini_project / "data" / "tricky.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # two files with a blank node each, of the same shape: they must stay two nodes
    for name in ("a", "b"):
        (mini_project / "data" / f"bnode-{name}.ttl").write_text(
            '<https://w3id.org/nigraph/id/task/1> <https://example.org/note> [ <https://example.org/text> "same" ] .\n',
            encoding="utf-8")
    return mini_project


def _literals(quads) -> set[tuple[str, str]]:
    return {(q.object.value, q.object.datatype.value) for q in quads
            if isinstance(q.object, ox.Literal) and q.object.language is None}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import FIXTURES
    import shutil

    root = tmp_path_factory.mktemp("canon") / "project"
    (root / "ontology" / "imports").mkdir(parents=True)
    (root / "data").mkdir()
    shutil.copy(FIXTURES / "mini-ontology.ttl", root / "ontology" / "nigraph.ttl")
    shutil.copy(FIXTURES / "mini-import.ttl", root / "ontology" / "imports" / "prov_import.ttl")
    shutil.copy(FIXTURES / "mini-data.ttl", root / "data" / "industries.ttl")
    _tricky_project(root)
    summary = build(root, root / "dist")
    assert not summary.refused
    return root / "dist"


@pytest.mark.parametrize("name", ["nigraph.nq", "nigraph.nt", "nigraph.ttl", "nigraph.jsonld"])
def test_every_built_dump_keeps_lexical_form_and_datatype(built: Path, name: str) -> None:
    fmt = ox.RdfFormat.from_extension(name.rsplit(".", 1)[1])
    found = _literals(ox.parse(path=built / name, format=fmt))
    for _, lexical, datatype in TRICKY:
        assert (lexical, datatype) in found, (name, lexical, datatype)


def test_export_writes_every_format_with_the_literals_as_written(built: Path, tmp_path: Path) -> None:
    written = export(built / "store", tmp_path, list(FORMATS))
    for fmt, name in FORMATS.items():
        assert name in written
        found = _literals(ox.parse(path=tmp_path / name, format=RDF_FORMATS[fmt]))
        for _, lexical, datatype in TRICKY:
            assert (lexical, datatype) in found, (name, lexical, datatype)
    for name in ("nigraph.nq", "nigraph.nt", "nigraph.ttl", "nigraph.jsonld"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_the_store_itself_would_have_changed_them(built: Path) -> None:
    """Why the dumps come from the canonical form: the store gives back its own lexical forms."""
    from nigraph.core.store import open_store

    store = open_store(built / "store")
    stored = _literals(store)
    del store
    assert ("01", XSD + "int") not in stored and ("1", XSD + "integer") in stored


def test_blank_nodes_of_two_files_keep_two_labels(built: Path) -> None:
    text = (built / "nigraph.nq").read_text(encoding="utf-8")
    labels = {}
    for line in text.splitlines():
        if line.startswith("_:") and "<https://example.org/text>" in line:
            labels[line.split()[-2]] = line.split()[0]
    assert set(labels) == {f"<{graph_for('data/bnode-a.ttl').value}>", f"<{graph_for('data/bnode-b.ttl').value}>"}
    assert len(set(labels.values())) == 2, labels  # one label per node across the whole file
    nt = (built / "nigraph.nt").read_text(encoding="utf-8")
    assert len({ln.split()[0] for ln in nt.splitlines() if "<https://example.org/text>" in ln}) == 2


def _rdflib_dataset(path: Path, fmt: str) -> dict[str, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(path, format=fmt)
    return {str(g.identifier): rdflib.Graph() + g for g in ds.graphs() if len(g)}


@pytest.mark.parametrize(("fmt", "rdflib_fmt"), [("nq", "nquads"), ("trig", "trig")])
def test_dataset_dumps_read_back_graph_by_graph(built: Path, tmp_path: Path, fmt: str, rdflib_fmt: str) -> None:
    export(built / "store", tmp_path, [fmt])
    graphs = read_nquads((built / "nigraph.nq").read_bytes())
    expected = {}
    for g, lines in graphs.items():
        expected[g] = rdflib.Graph().parse(data=b"".join(lines).decode(), format="nt")
    got_rdflib = _rdflib_dataset(tmp_path / FORMATS[fmt], rdflib_fmt)
    got_oxi: dict[str, rdflib.Graph] = {}
    for q in ox.parse(path=tmp_path / FORMATS[fmt], format=RDF_FORMATS[fmt]):
        got_oxi.setdefault(q.graph_name.value, []).append(f"{q.subject} {q.predicate} {q.object} .")
    assert set(got_rdflib) == set(expected) == set(got_oxi)
    for g in expected:
        assert isomorphic(got_rdflib[g], expected[g]), g
        oxi = rdflib.Graph().parse(data="\n".join(got_oxi[g]) + "\n", format="nt")
        assert isomorphic(oxi, expected[g]), g


@pytest.mark.parametrize(("fmt", "rdflib_fmt"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_graph_dumps_read_back_as_the_asserted_graph(built: Path, tmp_path: Path, fmt: str, rdflib_fmt: str) -> None:
    export(built / "store", tmp_path, [fmt])
    graphs = read_nquads((built / "nigraph.nq").read_bytes())
    expected = rdflib.Graph().parse(data=merged(graphs, is_asserted).decode(), format="nt")
    got = rdflib.Graph().parse(tmp_path / FORMATS[fmt], format=rdflib_fmt)
    assert isomorphic(got, expected)
    oxi = ox.parse(path=tmp_path / FORMATS[fmt], format=RDF_FORMATS[fmt])
    back = rdflib.Graph().parse(data="".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in oxi), format="nt")
    assert isomorphic(back, expected)


def test_canonical_is_order_free_and_read_back_exactly() -> None:
    a = b'<http://e/s> <http://e/p> "01"^^<http://www.w3.org/2001/XMLSchema#int> .\n_:x <http://e/p> <http://e/o> .\n'
    b = b"\n".join(reversed(a.splitlines())) + b"\n"
    one = canonical([("http://e/g", a)])
    assert one == canonical([("http://e/g", b)])
    assert read_nquads(to_nquads(one)) == one
    assert render(one, ox.RdfFormat.N_TRIPLES, PREFIXES) == b"".join(one["http://e/g"])
