"""Apache Jena's ``rsparql`` (Debian's libapache-jena-java 4.5.0) against ``nigraph serve``: SELECT,
ASK, CONSTRUCT and a query with ``FROM``, each answer compared with the embedded engine's.

Debian's ``jena-core.jar`` moved Jena's shaded Xerces classes from ``org.apache.jena.ext.xerces``
to ``xerces`` but left their message bundles (``*.properties``) under the old path, so the first
XSD regex facet (``xsd:language``'s pattern) fails to load ``xerces.impl.xpath.regex.message``
and every Jena command dies at start with ``XSSimpleTypeDecl.applyFacets1: internal error``.
:func:`_messages_jar` copies those bundles to the package the classes now live in, from the
installed jar itself (nothing downloaded); with it on the classpath Jena starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from nigraph.core.iri import GRAPH
from nigraph.query.dataset import query_options

from .serve_helpers import Server, tool

JAVA_DIR = Path("/usr/share/java")
#: jena-arq's and jena-cmds' runtime dependencies as Debian installs them (libapache-jena-java's Depends).
JARS = ("jena-base", "jena-core", "jena-iri", "jena-arq", "jena-cmds", "jena-shacl", "jena-shex", "jena-rdfconnection",
        "jena-tdb", "jena-tdb2", "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage", "jena-dboe-trans-data",
        "jena-dboe-transaction", "commons-cli", "commons-lang3", "commons-io", "commons-codec", "commons-compress",
        "commons-csv", "slf4j-api", "slf4j-nop", "gson", "dexx.collection", "httpclient", "httpcore", "jsonld-java",
        "jackson-core", "jackson-databind", "jackson-annotations", "thrift", "protobuf", "titanium-json-ld",
        "jakarta.json-api", "guava")
_OLD, _NEW = "org/apache/jena/ext/xerces/", "xerces/"

SELECT = """PREFIX nig: <https://w3id.org/nigraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?i ?label WHERE { ?i a nig:EmergingIndustry ; rdfs:label ?label } ORDER BY ?i ?label"""
FROM = f"""SELECT ?t (COUNT(*) AS ?n) FROM <{GRAPH}data/industries.ttl>
WHERE {{ ?s a ?t }} GROUP BY ?t ORDER BY ?t"""
ASK = "PREFIX nig: <https://w3id.org/nigraph/def/> ASK { ?g a nig:Goal }"
ASK_NO = "PREFIX nig: <https://w3id.org/nigraph/def/> ASK { ?g a nig:NoSuchClass }"
CONSTRUCT = """PREFIX nig: <https://w3id.org/nigraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?i rdfs:label ?l } WHERE { ?i a nig:EmergingIndustry ; rdfs:label ?l }"""


def _messages_jar(target: Path) -> Path:
    """A jar holding jena-core's Xerces message bundles under the package its classes are in."""
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as src, zipfile.ZipFile(target, "w") as out:
        for name in src.namelist():
            if name.startswith(_OLD) and name.endswith(".properties"):
                out.writestr(_NEW + name[len(_OLD):], src.read(name))
        assert _NEW + "impl/xpath/regex/message.properties" in out.namelist()
    return target


@pytest.fixture(scope="module")
def rsparql(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """The command line that runs ``arq.rsparql`` (skipped locally, failed in CI, when Jena is absent)."""
    java = tool("java")
    missing = [j for j in JARS if not (JAVA_DIR / f"{j}.jar").is_file()]
    if missing:
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{', '.join(missing)}.jar not in {JAVA_DIR}; .ci/apt-packages/serve.txt lists libapache-jena-java")
        pytest.skip(f"Apache Jena is not installed ({missing[0]}.jar missing)")
    fix = _messages_jar(tmp_path_factory.mktemp("jena") / "jena-xerces-messages.jar")
    classpath = ":".join([str(JAVA_DIR / f"{j}.jar") for j in JARS] + [str(fix)])
    yield [java, "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-cp", classpath, "arq.rsparql"]


def _run(rsparql: list[str], server: Server, results: str, query: str) -> bytes:
    out = subprocess.run(rsparql + ["--service", server.url + "sparql", f"--results={results}", query],
                         capture_output=True, timeout=120)
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr.decode(errors="replace")
    return out.stdout


def _embedded(server: Server, query: str):  # noqa: ANN202 - a pyoxigraph query result
    store = ox.Store.read_only(str(server.store))
    return store.query(query, **query_options(query))


_NIG = "https://w3id.org/nigraph/def/"
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@pytest.mark.parametrize(("query", "rows", "row"), [
    (SELECT, 16, (ox.NamedNode("https://w3id.org/nigraph/id/industry/E01"), ox.Literal("新一代信息技术", language="zh"))),
    # only the industries file's types: 8 emerging and 9 future industries (the union has many more)
    (FROM, 4, (ox.NamedNode(_NIG + "FutureIndustry"), ox.Literal("9", datatype=_XSD_INTEGER))),
], ids=["select", "from"])
def test_rsparql_select(rsparql: list[str], server: Server, query: str, rows: int, row: tuple) -> None:
    got = ox.parse_query_results(_run(rsparql, server, "JSON", query), format=ox.QueryResultsFormat.JSON)
    embedded = _embedded(server, query)
    variables = [v.value for v in embedded.variables]
    want = [tuple(s[v] for v in variables) for s in embedded]
    assert [v.value for v in got.variables] == variables
    answer = [tuple(s[v] for v in variables) for s in got]
    assert answer == want and len(answer) == rows and row in answer


@pytest.mark.parametrize(("query", "expected"), [(ASK, True), (ASK_NO, False)], ids=["true", "false"])
def test_rsparql_ask(rsparql: list[str], server: Server, query: str, expected: bool) -> None:
    assert bool(_embedded(server, query)) is expected
    got = ox.parse_query_results(_run(rsparql, server, "JSON", query), format=ox.QueryResultsFormat.JSON)
    assert bool(got) is expected
    text = _run(rsparql, server, "text", query).decode()
    assert text.strip() == ("Ask => Yes" if expected else "Ask => No")


def test_rsparql_construct(rsparql: list[str], server: Server) -> None:
    got = {(t.subject, t.predicate, t.object) for t in ox.parse(_run(rsparql, server, "NT", CONSTRUCT),
                                                                  format=ox.RdfFormat.N_TRIPLES)}
    want = {(t.subject, t.predicate, t.object) for t in _embedded(server, CONSTRUCT)}
    assert got == want and len(got) == 16
    assert (ox.NamedNode("https://w3id.org/nigraph/id/industry/E01"),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("新一代信息技术", language="zh")) in got
