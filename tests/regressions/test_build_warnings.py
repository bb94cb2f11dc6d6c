"""Build refuses on violations only, as `nigraph validate` does with its default --fail-on violation:
a report with only a warning (SHACL: conforms false) is shown, and the build still writes dist/."""

from __future__ import annotations

import shutil
from pathlib import Path

from nigraph import build

ROOT = Path(__file__).resolve().parents[2]

_WARNING_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix nig: <https://w3id.org/nigraph/def/> .
<https://w3id.org/nigraph/shapes/TestWarningShape> a sh:NodeShape ;
    sh:targetClass nig:MainTask ;
    sh:property [ sh:path nig:neverStated ; sh:minCount 1 ; sh:severity sh:Warning ;
                  sh:message "a warning for the test"@en, "测试用警告"@zh ] .
"""

_VIOLATION_SHAPE = _WARNING_SHAPE.replace(" sh:severity sh:Warning ;", "").replace("TestWarningShape", "TestViolationShape")


def _project(tmp_path: Path, shape: str) -> Path:
    root = tmp_path / "p"
    for name in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(ROOT / name, root / name)
    (root / "shapes" / "test-extra.ttl").write_text(shape, encoding="utf-8")
    return root


def test_warnings_only_build_writes(tmp_path):
    root = _project(tmp_path, _WARNING_SHAPE)
    summary = build(root, tmp_path / "out")
    assert summary.validation is not None and not summary.validation.conforms
    assert {r.severity for r in summary.validation.results} == {"Warning"}
    assert summary.refused == ()
    assert (tmp_path / "out" / "nigraph.ttl").is_file()


def test_a_violation_still_refuses(tmp_path):
    root = _project(tmp_path, _VIOLATION_SHAPE)
    summary = build(root, tmp_path / "out")
    assert summary.refused and "5 violations" in summary.refused[0]
    assert not (tmp_path / "out" / "nigraph.ttl").exists()
