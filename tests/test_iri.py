from __future__ import annotations

import pytest

from nigraph.core import iri


@pytest.mark.parametrize("kind,key", [("industry", "E01"), ("task", "1.3"), ("target", "2025-1"),
                                      ("standard-type", "basic_general"), ("passage", "p07")])
def test_mint_accepts_policy_iris(kind: str, key: str) -> None:
    assert iri.mint(kind, key).value == f"https://w3id.org/nigraph/id/{kind}/{key}"


@pytest.mark.parametrize("kind", ["", "Industry", "person", "industry/", "../task"])
def test_mint_rejects_unknown_kind(kind: str) -> None:
    with pytest.raises(ValueError, match="unknown IRI kind"):
        iri.mint(kind, "E01")


@pytest.mark.parametrize("key", ["", "-1", ".x", "a b", "a/b", "中文", "E01\n", "a#b", "a?b"])
def test_mint_rejects_bad_key(key: str) -> None:
    with pytest.raises(ValueError, match="bad key"):
        iri.mint("industry", key)


def test_kinds_match_design_doc() -> None:
    import re
    from conftest import PROJECT_ROOT

    text = (PROJECT_ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    listed = re.search(r"Kinds: (.*?)\.\n", text, re.S).group(1)
    assert iri.KINDS == {k.strip() for k in listed.replace("\n", " ").split(",")}


def test_graph_for_and_constants() -> None:
    assert iri.graph_for("data/goals.ttl").value == "https://w3id.org/nigraph/graph/data/goals.ttl"
    assert iri.INFERRED_GRAPH.value == "https://w3id.org/nigraph/graph/inferred"
    assert iri.PREFIXES["nig"] == iri.NIG == "https://w3id.org/nigraph/def/"
    assert iri.PREFIXES["nid"] == iri.NID == "https://w3id.org/nigraph/id/"
    assert iri.SHAPES == "https://w3id.org/nigraph/shapes/"
    assert set(iri.PREFIXES) == {"rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "org", "time",
                                 "dcat", "void", "sh", "nig", "nid"}
    with pytest.raises(ValueError):
        iri.graph_for("../outside.ttl")
