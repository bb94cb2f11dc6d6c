"""The documentation site builds with ``mkdocs build --strict`` (no broken link, no missing page), into a
temporary folder; its generated pages follow the sources."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT



@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return out


def test_strict_build_writes_every_page(site: Path) -> None:
    for page in ("index", "install", "query", "queries", "shapes", "data-model", "release", "iri-policy",
                 "deployment", "security", "benchmarks"):
        assert (site / f"{page}.html").is_file(), page
    assert not (PROJECT_ROOT / "docs" / "queries.md").exists()  # generated pages are never written into docs/


def test_query_catalogue_lists_every_rq_file(site: Path) -> None:
    html = (site / "queries.html").read_text(encoding="utf-8")
    for rq in sorted((PROJECT_ROOT / "queries").glob("*.rq")):
        assert f'id="{rq.stem}"' in html, rq.stem
    assert html.count('<h2 id="') == len(list((PROJECT_ROOT / "queries").glob("*.rq")))


def test_shapes_page_has_every_shape_and_check(site: Path) -> None:
    html = (site / "shapes.html").read_text(encoding="utf-8")
    for ttl in sorted((PROJECT_ROOT / "shapes").glob("*.ttl")):
        shape = "".join(part.capitalize() for part in ttl.stem.split("-")) + "Shape"
        assert shape in html, shape
    for rq in sorted((PROJECT_ROOT / "shapes" / "checks").glob("*.rq")):
        assert rq.stem in html, rq.stem
