"""Read the project's source files into quads, one named graph per file.

Every failure (missing file, directory, empty file, unknown extension, syntax
error) becomes an :class:`~nigraph.core.errors.InputError` that names the file and,
for syntax errors, the line and column.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "a.ttl").write_text('<https://example.org/s> <https://example.org/p> "o" .\\n')
>>> [q.graph_name.value for q in load_files([root / "a.ttl"], root)]
['https://w3id.org/nigraph/graph/a.ttl']
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph

from .errors import InputError
from .iri import graph_for

__all__ = ["FORMATS", "SKIPPED", "project_files", "skipped_files", "load_files", "load_file", "read_ntriples",
           "check_file", "parse_error"]

#: File extension → pyoxigraph format.
FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
    ".rdf": pyoxigraph.RdfFormat.RDF_XML,
    ".owl": pyoxigraph.RdfFormat.RDF_XML,
}

# pyoxigraph's messages start with the position, which InputError prints itself.
_POSITION_PREFIX = re.compile(r"^Parser error (?:at|between) line[^:]*: ")


#: Files under ``data/`` that are not RDF and are skipped by rule (listed with ``-v``), with why.
#: Any other file there that is not RDF (see :data:`FORMATS`) is an error.
SKIPPED: tuple[tuple[str, str], ...] = (
    (".*", "hidden file"),
    ("README*", "documentation"),
    ("*.md", "documentation"),
    ("*.csv", "catalogue source: `nigraph import` turns it into RDF"),
)


def _skip_reason(path: Path, base: Path) -> str | None:
    rel = path.relative_to(base)
    if any(part.startswith(".") for part in rel.parts):
        return "hidden file"
    for pattern, why in SKIPPED[1:]:
        if path.match(pattern):
            return why
    return None


def _data_files(root: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    d = root / "data"
    kept: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    if not d.is_dir():
        return kept, skipped
    for p in sorted(d.rglob("*")):
        if not p.is_file():
            continue
        why = _skip_reason(p, d)
        if why is not None:
            skipped.append((p, why))
        elif p.suffix.lower() in FORMATS:
            kept.append(p)
        else:
            known = ", ".join(sorted(FORMATS))
            rules = ", ".join(pattern for pattern, _ in SKIPPED)
            raise InputError(p.relative_to(root), None, None,
                             f"not an RDF file: nigraph loads {known} from data/ and skips {rules}; "
                             "move the file out of data/ or give it the extension of its format")
    return kept, skipped


def project_files(root: str | Path) -> list[Path]:
    """List the source files of a project, in load order.

    ``ontology/nigraph.ttl`` (always listed, so that its absence is reported),
    then ``ontology/imports/*.ttl``, every RDF file under ``data/`` (any extension in
    :data:`FORMATS`) and ``shapes/**/*.ttl``, each group sorted by path.

    :param root: the project directory.
    :returns: absolute paths.
    :raises InputError: if ``root`` is not a directory, or a file under ``data/`` is neither
        RDF nor skipped by a rule of :data:`SKIPPED` (so that no file is ignored in silence).
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise InputError(root, None, None, "project root is not a directory")
    files = [root / "ontology" / "nigraph.ttl"]
    imports = root / "ontology" / "imports"
    if imports.is_dir():
        files += sorted(p for p in imports.glob("*.ttl") if p.is_file())
    files += _data_files(root)[0]
    shapes = root / "shapes"
    if shapes.is_dir():
        files += sorted(p for p in shapes.rglob("*.ttl") if p.is_file())
    return files


def skipped_files(root: str | Path) -> list[tuple[Path, str]]:
    """The files under ``data/`` that :func:`project_files` leaves out by a rule of :data:`SKIPPED`.

    :param root: the project directory.
    :returns: ``(absolute path, why)``, sorted by path.
    """
    return _data_files(Path(root).resolve())[1]


def _relative(path: Path, root: Path) -> Path:
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        raise InputError(path, None, None, f"file is outside the project root {root}") from None


def _checked(path: str | Path, root: str | Path) -> tuple[Path, Path, pyoxigraph.RdfFormat, pyoxigraph.NamedNode]:
    """A source file checked before parsing: its path, the name errors show, its format and its graph."""
    path, root = Path(path), Path(root)
    shown = path
    try:
        shown = _relative(path, root)
    except InputError:
        pass
    fmt = check_file(path, shown)
    return path, shown, fmt, graph_for(_relative(path, root))


def load_file(path: str | Path, root: str | Path) -> list[pyoxigraph.Quad]:
    """Parse one file; every triple goes into the graph ``graph_for(<path relative to root>)``.

    :param path: the file to read.
    :param root: the project directory (names the graph and the file in errors).
    :returns: the file's quads, in file order.
    :raises InputError: if the file is missing, a directory, empty, of an
        unknown extension, or not valid RDF (then with line and column).
    """
    path, shown, fmt, graph = _checked(path, root)
    try:
        return [
            pyoxigraph.Quad(q.subject, q.predicate, q.object, graph)
            for q in pyoxigraph.parse(path.read_bytes(), format=fmt, base_iri=None, rename_blank_nodes=True)
        ]
    except (SyntaxError, ValueError, OSError) as exc:
        raise parse_error(shown, exc) from None


def read_ntriples(path: str | Path, root: str | Path) -> tuple[pyoxigraph.NamedNode, bytes]:
    """Parse one file into N-Triples text, natively (no Python object per triple for triple formats).

    Blank nodes get fresh labels, so two files never share one. Every triple of a quad format
    (N-Quads, TriG) goes to the file's graph too, like :func:`load_file`.

    :param path: the file to read.
    :param root: the project directory.
    :returns: the file's graph (``graph_for(<path relative to root>)``) and its triples as N-Triples.
    :raises InputError: as :func:`load_file`.
    """
    path, shown, fmt, graph = _checked(path, root)
    try:
        parsed = pyoxigraph.parse(path=str(path), format=fmt, base_iri=None, rename_blank_nodes=True)
        if fmt.supports_datasets:
            parsed = (pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in parsed)
        return graph, pyoxigraph.serialize(parsed, format=pyoxigraph.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError, OSError) as exc:
        raise parse_error(shown, exc) from None


def check_file(path: str | Path, shown: str | Path | None = None,
               fmt: pyoxigraph.RdfFormat | None = None) -> pyoxigraph.RdfFormat:
    """Check that ``path`` is a readable, non-empty RDF file and return its format.

    :param path: the file.
    :param shown: how to name the file in errors (default: ``path``).
    :param fmt: the format, if the caller knows it; else it is taken from the extension (:data:`FORMATS`).
    :returns: the format to parse it with.
    :raises InputError: if the file is missing, a directory, unreadable, empty, or of an unknown extension.
    """
    path = Path(path)
    shown = path if shown is None else shown
    if not path.exists():
        raise InputError(shown, None, None, "no such file")
    if path.is_dir():
        raise InputError(shown, None, None, "is a directory, not an RDF file")
    if fmt is None:
        fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(shown, None, None, f"unknown file extension {path.suffix!r} (known: {known})")
    try:
        with open(path, "rb") as fh:
            empty = not fh.read(1 << 16).strip() and not _has_content(fh)
    except OSError as exc:
        raise InputError(shown, None, None, f"cannot read: {exc.strerror or exc}") from None
    if empty:
        raise InputError(shown, None, None, "file is empty")
    return fmt


def _has_content(fh) -> bool:
    while chunk := fh.read(1 << 16):
        if chunk.strip():
            return True
    return False


def parse_error(shown: str | Path, exc: BaseException) -> InputError:
    """Turn a pyoxigraph parse failure into an :class:`InputError` with line and column.

    :param shown: the file as the user should see it.
    :param exc: the ``SyntaxError`` (or ``ValueError``/``OSError``) pyoxigraph raised.
    :returns: the error to raise.
    """
    if isinstance(exc, SyntaxError):
        # pyoxigraph sets lineno/offset (1-based) and end_lineno/end_offset when it knows them.
        message = _POSITION_PREFIX.sub("", str(exc.msg or exc)).strip() or "syntax error"
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        col = exc.offset if line is not None and isinstance(exc.offset, int) and exc.offset > 0 else None
        return InputError(shown, line, col, message)
    return InputError(shown, None, None, str(exc))


def load_files(paths: list[str | Path] | list[Path], root: str | Path) -> list[pyoxigraph.Quad]:
    """Parse several files (see :func:`load_file`) and concatenate their quads.

    :param paths: files to read, in order.
    :param root: the project directory.
    :returns: all quads, file by file.
    :raises InputError: at the first file that cannot be read or parsed.
    """
    quads: list[pyoxigraph.Quad] = []
    for path in paths:
        quads.extend(load_file(path, root))
    return quads
