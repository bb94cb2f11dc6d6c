"""``nigraph release``: versioned dumps, checksums, DCAT, and a change log that lists exactly the difference."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from nigraph.cli import cli
from nigraph.core.iri import BASE, NIG, ONTOLOGY, PREFIXES, graph_for, mint
from nigraph.core.store import build_store
from nigraph.release import make_release
from nigraph.release.changes import CS
from nigraph.release.versions import latest_release

N, L = ox.NamedNode, ox.Literal
RDF_TYPE, LABEL = N(PREFIXES["rdf"] + "type"), N(PREFIXES["rdfs"] + "label")
OWL = PREFIXES["owl"]
ONT, DATA = graph_for("ontology/nigraph.ttl"), graph_for("data/industries.ttl")
E01, E02, F01 = mint("industry", "E01"), mint("industry", "E02"), mint("industry", "F01")
EMERGING, FUTURE = N(NIG + "EmergingIndustry"), N(NIG + "FutureIndustry")


def _quads(label_e01: str, *, with_f01: bool) -> list[ox.Quad]:
    quads = [
        ox.Quad(N(ONTOLOGY), RDF_TYPE, N(OWL + "Ontology"), ONT),
        ox.Quad(N(ONTOLOGY), N(PREFIXES["dcterms"] + "title"), L("nigraph", language="en"), ONT),
        ox.Quad(N(ONTOLOGY), N(OWL + "versionInfo"), L("0.1.0"), ONT),  # as `nigraph build` writes it
        ox.Quad(EMERGING, RDF_TYPE, N(OWL + "Class"), ONT),
        ox.Quad(E01, RDF_TYPE, EMERGING, DATA),
        ox.Quad(E01, LABEL, L(label_e01, language="en"), DATA),
        ox.Quad(E02, RDF_TYPE, EMERGING, DATA),
        ox.Quad(E02, LABEL, L("New materials", language="en"), DATA),
    ]
    if with_f01:
        quads += [ox.Quad(F01, RDF_TYPE, FUTURE, DATA), ox.Quad(F01, LABEL, L("Metaverse", language="en"), DATA)]
    return quads


@pytest.fixture
def two_stores(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "store1", tmp_path / "store2"
    build_store(_quads("New generation IT", with_f01=False), first)
    build_store(_quads("New generation information technology", with_f01=True), second)
    return first, second


def _triples(path: Path) -> set[ox.Triple]:
    fmt = ox.RdfFormat.from_extension(path.suffix[1:])
    return {ox.Triple(t.subject, t.predicate, t.object) for t in ox.parse(path=str(path), format=fmt)}


def test_two_releases_change_log_lists_exactly_the_difference(two_stores: tuple[Path, Path], tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    first = make_release(two_stores[0], releases, "0.1.0", issued="2026-11-01")
    assert first.previous is None
    second = make_release(two_stores[1], releases, "0.2.0", issued="2026-12-01")
    assert second.previous == "0.1.0"
    md = (releases / "0.2.0" / "CHANGES.md").read_text()
    assert "Changes since 0.1.0: 1 resources added, 0 removed, 1 changed; 3 triples added, 1 removed." in md
    assert f"| `{EMERGING.value}` | 0 | 0 | 1 |" in md and f"| `{FUTURE.value}` | 1 | 0 | 0 |" in md
    added_block = md.split("## Triples added (3)")[1].split("## Triples removed")[0]
    assert sorted(line for line in added_block.splitlines() if line.endswith(" .")) == sorted([
        f'{E01} {LABEL} "New generation information technology"@en .',
        f"{F01} {RDF_TYPE} {FUTURE} .", f'{F01} {LABEL} "Metaverse"@en .'])
    removed_block = md.split("## Triples removed (1)")[1]
    assert [line for line in removed_block.splitlines() if line.endswith(" .")] == [f'{E01} {LABEL} "New generation IT"@en .']
    # the same as RDF: one change set per resource, with its additions and removals
    rdf = _triples(releases / "0.2.0" / "changes.ttl")
    sets = {t.subject for t in rdf if t.predicate == N(CS + "subjectOfChange")}
    assert {o.object for o in rdf if o.predicate == N(CS + "subjectOfChange")} == {E01, F01}
    reasons = {next(x.object.value for x in rdf if x.subject == s and x.predicate == N(CS + "changeReason")):
               next(x.object for x in rdf if x.subject == s and x.predicate == N(CS + "subjectOfChange")) for s in sets}
    assert reasons == {"changed": E01, "added": F01}
    assert len([t for t in rdf if t.predicate == N(CS + "addition")]) == 3
    assert len([t for t in rdf if t.predicate == N(CS + "removal")]) == 1


def test_every_dump_is_versioned_and_checksummed(two_stores: tuple[Path, Path], tmp_path: Path) -> None:
    release = make_release(two_stores[0], tmp_path / "r", "1.2.3", issued="2026-11-01")
    folder = release.folder
    for name in ("nigraph.ttl", "nigraph.nt", "nigraph.nq", "nigraph.trig", "nigraph.jsonld", "nigraph.rdf"):
        triples = _triples(folder / name)
        header = {(t.predicate.value, t.object) for t in triples if t.subject == N(ONTOLOGY)}
        assert (OWL + "versionIRI", N(f"{BASE}releases/1.2.3/{name}")) in header, name
        assert (OWL + "versionInfo", L("1.2.3")) in header and (OWL + "versionInfo", L("0.1.0")) not in header, name
        assert (PREFIXES["dcterms"] + "issued", L("2026-11-01", datatype=N(PREFIXES["xsd"] + "date"))) in header, name
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == set(release.files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    void = _triples(folder / "void.ttl")
    spdx = "http://spdx.org/rdf/terms#"
    values = {t.object.value for t in void if t.predicate == N(spdx + "checksumValue")}
    assert values == {sums[n] for n in sums if n != "void.ttl"}
    downloads = {t.object.value for t in void if t.predicate == N(PREFIXES["dcat"] + "downloadURL")}
    assert f"{BASE}releases/1.2.3/nigraph.nt" in downloads
    assert "First release" in (folder / "CHANGES.md").read_text()


def test_same_sources_same_bytes_and_never_rewritten(two_stores: tuple[Path, Path], tmp_path: Path) -> None:
    a = make_release(two_stores[0], tmp_path / "a", "0.1.0", issued="2026-11-01")
    b = make_release(two_stores[0], tmp_path / "b", "0.1.0", issued="2026-11-01")
    assert a.files == b.files
    assert all((a.folder / n).read_bytes() == (b.folder / n).read_bytes() for n in a.files)
    from nigraph.core.errors import NigraphError
    with pytest.raises(NigraphError, match="never rewritten"):
        make_release(two_stores[1], tmp_path / "a", "0.1.0", issued="2026-11-02")
    assert latest_release(tmp_path / "a") == "0.1.0"


def test_cli_release_needs_a_date_and_a_good_version(two_stores: tuple[Path, Path], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from nigraph.cli import main

    base = ["release", "--root", str(tmp_path), "--store", str(two_stores[0]), "--out", str(tmp_path / "rel")]
    for args, message in ((["0.1.0"], "give --issued"), (["v1", "--issued", "2026-11-01"], "MAJOR.MINOR.PATCH"),
                          (["0.1.0", "--issued", "1 Nov"], "write YYYY-MM-DD")):
        with pytest.raises(SystemExit) as exc:
            main([*base, *args])
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert not (tmp_path / "rel").exists()
    (tmp_path / "CHANGELOG.md").write_text("# Changes\n\n## [0.1.0] - 2026-11-01\n\n- first\n")
    ok = CliRunner().invoke(cli, [*base, "0.1.0"])
    assert ok.exit_code == 0, ok.output
    assert "released 0.1.0" in ok.output and (tmp_path / "rel" / "0.1.0" / "SHA256SUMS").is_file()
    assert '"2026-11-01"^^xsd:date' in (tmp_path / "rel" / "0.1.0" / "nigraph.ttl").read_text()
