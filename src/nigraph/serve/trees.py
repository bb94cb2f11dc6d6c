"""Read-only file trees the server shows as they are: the documentation site (``/docs/``, from
``DUMPS/site``) and the releases (``/releases/``, from ``DUMPS/releases``); the links to the latest
release from the home page and VoID.

A request path is accepted only if every segment is a plain name (letters, digits, ``.``, ``_``,
``-``, not starting with a dot) and the file, after symlinks are resolved, lies inside the tree:
nothing outside it can be read, whatever the request says.

>>> import tempfile
>>> top = Path(tempfile.mkdtemp())
>>> _ = (top / "index.html").write_text("<p>hi</p>")
>>> find(top, "") == (top / "index.html").resolve(), find(top, "../etc/passwd"), find(top, ".hidden")
(True, None, None)
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from ..core.iri import BASE, PREFIXES
from ..export.void import DATASET
from ..release.versions import latest_release, releases_in
from . import pages

__all__ = ["find", "media_type", "listing", "latest", "release_void", "answer"]

_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
_TYPES = {
    "html": "text/html", "css": "text/css", "js": "text/javascript", "json": "application/json",
    "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "woff2": "font/woff2", "xml": "application/xml",
    "txt": "text/plain", "md": "text/markdown", "ttl": "text/turtle", "nt": "application/n-triples",
    "nq": "application/n-quads", "trig": "application/trig", "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml", "gz": "application/gzip", "map": "application/json",
}


def find(tree: Path, rel: str) -> Path | None:
    """The file ``rel`` names inside ``tree`` (a folder's ``index.html`` for ``""`` or ``dir/``), or None."""
    parts = [p for p in rel.split("/") if p != ""]
    if any(not _SEGMENT.fullmatch(p) for p in parts):
        return None
    try:
        base = tree.resolve(strict=True)
        path = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if path.is_dir():
        path = path / "index.html"
    if base not in path.parents or not path.is_file():
        return None
    return path


def media_type(path: Path) -> str:
    """The media type by extension; files named ``SHA256SUMS`` and the like are plain text."""
    ext = path.name.rsplit(".", 1)[-1].lower() if "." in path.name else "txt"
    return _TYPES.get(ext, "application/octet-stream")


def listing(tree: Path) -> list[str]:
    """The names of the sub-folders of ``tree``, sorted (for /releases/)."""
    if not tree.is_dir():
        return []
    return sorted(p.name for p in tree.iterdir() if p.is_dir() and _SEGMENT.fullmatch(p.name))


def releases_folder(dumps_dir: Path) -> Path:
    """Where ``nigraph release`` wrote (``DUMPS/releases``)."""
    return dumps_dir / "releases"


def site_folder(dumps_dir: Path) -> Path:
    """Where ``mkdocs build`` wrote the documentation site (``DUMPS/site``)."""
    return dumps_dir / "site"


def latest(dumps_dir: Path) -> str | None:
    """The newest release under ``DUMPS/releases``, or None."""
    return latest_release(releases_folder(dumps_dir))


def release_void(dumps_dir: Path) -> list[ox.Triple]:
    """VoID/DCAT links from the dataset to its releases: ``dcat:hasVersion`` each, ``dcat:hasCurrentVersion`` the latest."""
    versions = releases_in(releases_folder(dumps_dir))
    dcat = PREFIXES["dcat"]
    out = [ox.Triple(DATASET, ox.NamedNode(dcat + "hasVersion"), ox.NamedNode(f"{BASE}releases/{v}/void#dataset"))
           for v in versions]
    if versions:
        out.append(ox.Triple(DATASET, ox.NamedNode(dcat + "hasCurrentVersion"),
                             ox.NamedNode(f"{BASE}releases/{versions[-1]}/void#dataset")))
    return out


def answer(dumps_dir: Path, path: str, site: pages.Site) -> tuple[int, bytes | str, str, dict[str, str]] | None:
    """The response to ``/docs/…`` or ``/releases/…`` as (status, body, media type, headers); None for other paths."""
    for prefix, folder, missing in (
            ("docs", site_folder(dumps_dir), "No documentation site here: run <code>mkdocs build</code> in the "
                                             "project (it writes dist/site/)."),
            ("releases", releases_folder(dumps_dir), "No release yet: run <code>nigraph release VERSION</code>.")):
        if path != prefix and not path.startswith(prefix + "/"):
            continue
        if path == prefix:
            return 301, b"", "text/plain", {"Location": site.url(prefix + "/")}
        rel = path[len(prefix) + 1:]
        if prefix == "releases" and rel == "":
            versions = releases_in(folder)
            items = "".join(f'<li><a href="{pages.esc(site.url(f"releases/{v}/"))}">{pages.esc(v)}</a></li>'
                            for v in reversed(versions))
            body = f"<h1>Releases 版本</h1><ul>{items}</ul>" if versions else f"<h1>Releases 版本</h1><p>{missing}</p>"
            return 200, pages.layout(site, "Releases", body), "text/html", {}
        if prefix == "releases" and rel.count("/") == 1 and rel.endswith("/") and find(folder, rel + "SHA256SUMS"):
            version = rel[:-1]
            names = sorted(p.name for p in (folder / version).iterdir() if p.is_file() and not p.name.startswith("."))
            items = "".join(f'<li><a href="{pages.esc(site.url(f"releases/{version}/{n}"))}">{pages.esc(n)}</a></li>'
                            for n in names)
            return 200, pages.layout(site, f"Release {version}", f"<h1>Release {pages.esc(version)}</h1><ul>{items}</ul>"), \
                "text/html", {}
        found = find(folder, rel)
        if found is None:
            if prefix == "docs" and not folder.is_dir():
                return 404, pages.layout(site, "Documentation", f"<h1>Documentation 文档</h1><p>{missing}</p>"), "text/html", {}
            return None if prefix == "releases" and not folder.is_dir() else (404, "not found\n", "text/plain", {})
        return 200, found.read_bytes(), media_type(found), {}
    return None
