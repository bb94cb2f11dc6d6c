from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nigraph.core.errors import InputError
from nigraph.core.load import load_file, load_files, project_files


def test_syntax_error_has_file_line_and_column(tmp_path: Path, fixtures: Path) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(fixtures / "broken-line-4.ttl", tmp_path / "data" / "broken.ttl")
    with pytest.raises(InputError) as info:
        load_files([tmp_path / "data" / "broken.ttl"], tmp_path)
    err = info.value
    assert (err.path, err.line, err.column) == ("data/broken.ttl", 4, 27)
    assert "undeclared" in err.message
    assert str(err).startswith("data/broken.ttl:4:27: ")
    assert "Parser error" not in str(err)


def test_unterminated_string_points_at_its_line(tmp_path: Path) -> None:
    f = tmp_path / "a.ttl"
    f.write_text('@prefix x: <http://x/> .\nx:a x:b x:c ;\n  x:d "oops .\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_file(f, tmp_path)
    assert info.value.line == 3 and info.value.column == 7


@pytest.mark.parametrize(
    "make,expected",
    [
        (lambda d: d / "missing.ttl", "no such file"),
        (lambda d: (d / "dir.ttl").mkdir() or d / "dir.ttl", "is a directory"),
        (lambda d: (d / "empty.ttl").write_text("  \n") and d / "empty.ttl", "file is empty"),
        (lambda d: (d / "x.csv").write_text("a,b\n") and d / "x.csv", "unknown file extension '.csv'"),
    ],
)
def test_file_errors_are_input_errors(tmp_path: Path, make, expected: str) -> None:
    path = make(tmp_path)
    with pytest.raises(InputError) as info:
        load_file(path, tmp_path)
    assert expected in str(info.value)
    assert str(info.value).startswith(path.name + ":")
    assert info.value.line is None


def test_every_triple_goes_to_its_file_graph(mini_project: Path) -> None:
    files = project_files(mini_project)
    rel = [p.relative_to(mini_project).as_posix() for p in files]
    assert rel == ["ontology/nigraph.ttl", "ontology/imports/prov_import.ttl", "data/industries.ttl"]
    quads = load_files(files, mini_project)
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {"https://w3id.org/nigraph/graph/" + r for r in rel}


def test_other_formats_by_extension(tmp_path: Path) -> None:
    (tmp_path / "a.nt").write_text("<http://e/s> <http://e/p> \"o\" .\n")
    (tmp_path / "b.jsonld").write_text('{"@id": "http://e/s", "http://e/p": "o"}')
    (tmp_path / "c.rdf").write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
        '<rdf:Description rdf:about="http://e/s"><e:p>o</e:p></rdf:Description></rdf:RDF>')
    quads = load_files([tmp_path / "a.nt", tmp_path / "b.jsonld", tmp_path / "c.rdf"], tmp_path)
    assert [q.graph_name.value.rsplit("/", 1)[1] for q in quads] == ["a.nt", "b.jsonld", "c.rdf"]
    assert {str(q.object) for q in quads} == {'"o"'}


def test_missing_ontology_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"ontology/nigraph.ttl: no such file"):
        load_files(project_files(tmp_path), tmp_path)


def test_every_rdf_format_in_data_is_loaded_and_nothing_else_in_silence(tmp_path: Path) -> None:
    """Issue 18: a catalogue saved as data/cat.nt was ignored (only *.ttl was read)."""
    from nigraph.core.load import project_files, read_ntriples, skipped_files

    root = tmp_path / "p"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "nigraph.ttl").write_text("<https://e.org/o> a <https://e.org/O> .\n", encoding="utf-8")
    data = root / "data"
    (data / "sub").mkdir(parents=True)
    triple = "<https://e.org/s> <https://e.org/p> <https://e.org/o> ."
    (data / "a.nt").write_text(triple + "\n", encoding="utf-8")
    (data / "b.nq").write_text(triple[:-1] + "<https://e.org/g> .\n", encoding="utf-8")
    (data / "sub" / "c.trig").write_text("<https://e.org/g> { " + triple + " }\n", encoding="utf-8")
    (data / "d.jsonld").write_text('{"@id": "https://e.org/s", "https://e.org/p": {"@id": "https://e.org/o"}}', encoding="utf-8")
    (data / "e.rdf").write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="https://e.org/">'
                                '<rdf:Description rdf:about="https://e.org/s"><e:p rdf:resource="https://e.org/o"/>'
                                "</rdf:Description></rdf:RDF>", encoding="utf-8")
    (data / "f.ttl").write_text(triple + "\n", encoding="utf-8")
    (data / "README.md").write_text("notes\n", encoding="utf-8")
    (data / ".hidden.ttl").write_text("not even RDF\n", encoding="utf-8")
    (data / "cat.csv").write_text("a,b\n", encoding="utf-8")
    files = [p.relative_to(root).as_posix() for p in project_files(root)]
    assert files == ["ontology/nigraph.ttl", "data/a.nt", "data/b.nq", "data/d.jsonld", "data/e.rdf", "data/f.ttl",
                     "data/sub/c.trig"]
    for p in project_files(root)[1:]:
        graph, nt = read_ntriples(p, root)
        assert nt == (triple + "\n").encode(), p  # quad formats: every triple to the file's graph
        assert graph.value.endswith(p.relative_to(root).as_posix())
    assert [(p.name, why.split(":")[0]) for p, why in skipped_files(root)] == [
        (".hidden.ttl", "hidden file"), ("README.md", "documentation"), ("cat.csv", "catalogue source")]
    (data / "notes.txt").write_text("x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        project_files(root)
    assert str(info.value).startswith("data/notes.txt: not an RDF file")
