"""Issue 17: an international standard with its own catalogue row, adopted by another row, got a
second @en label from the adoption (the number) besides its own ("number title"), so `nigraph
build --catalogue` refused what `nigraph import` wrote (found by benchmarks/bench_pipeline.py)."""

from __future__ import annotations

from collections import Counter

from nigraph.catalogue.parse import read_rows
from nigraph.catalogue.sectors import SectorMap
from nigraph.catalogue.to_rdf import catalogue_quads

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def test_an_adopted_standard_with_its_own_row_keeps_one_label_per_language() -> None:
    records, errors = read_rows([
        {"标准号": "ISO 1001:2020", "英文标准名称": "Synthetic one"},
        {"标准号": "GB/T 2001-2021", "中文标准名称": "合成", "采用国际标准": "ISO 1001:2020", "采标程度": "IDT"},
        {"标准号": "GB/T 2002-2021", "中文标准名称": "合成二", "采用国际标准": "ISO 1002:2020", "采标程度": "IDT"},
    ], source="x.json")
    assert errors == []
    quads = list(catalogue_quads(records, SectorMap()))
    langs = Counter((q.subject.value.rsplit("/", 1)[-1], q.object.language) for q in quads if q.predicate.value == LABEL)
    assert langs[("ISO_1001-2020", "en")] == 1 and langs[("ISO_1001-2020", "zh")] == 1
    assert langs[("ISO_1002-2020", "en")] == 1 and langs[("ISO_1002-2020", "zh")] == 1  # described by the adoption only
