"""Where the project's sources are: the folder you work in, or the copy packaged with nigraph.

A *project* is a folder holding ``ontology/nigraph.ttl`` (beside ``shapes/``, ``queries/`` and
``data/``). Commands read the project given with ``--root``; without it, the first project found
in the current folder or one of its parents; outside any project, the copy of the sources that
the wheel carries (``nigraph/_project/``, put there by ``setup.py``). An editable install has no
such copy, so there the checkout the package was installed from is used.

Outputs never go into the packaged copy: outside a project the default output folder is
``./dist`` of the current folder (:attr:`Project.dist`).

>>> import tempfile
>>> top = Path(tempfile.mkdtemp())
>>> (top / "ontology").mkdir(); _ = (top / "ontology" / "nigraph.ttl").write_text("")
>>> (top / "data" / "more").mkdir(parents=True)
>>> find_project(top / "data" / "more") == top
True
>>> find_project(Path(tempfile.mkdtemp())) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["MARKER", "Project", "is_project", "find_project", "packaged_root", "resolve"]

#: The file that makes a folder a nigraph project.
MARKER = Path("ontology") / "nigraph.ttl"


@dataclass(frozen=True)
class Project:
    """The sources a command reads and where its outputs go by default.

    :param root: the folder holding ``ontology/``, ``shapes/``, ``queries/`` and ``data/``.
    :param packaged: True when ``root`` is the copy packaged with nigraph (no project was found).
    :param dist: the default output folder (``root/dist``, or ``./dist`` for the packaged copy).
    """

    root: Path
    packaged: bool
    dist: Path


def is_project(folder: Path) -> bool:
    """True if ``folder`` holds ``ontology/nigraph.ttl``."""
    return (folder / MARKER).is_file()


def find_project(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that is a project, or None."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_project(folder):
            return folder
    return None


def packaged_root() -> Path | None:
    """The sources shipped with nigraph: the wheel's ``nigraph/_project``, else the checkout of an
    editable install (the folder above ``src/``), else None."""
    bundled = resources.files("nigraph").joinpath("_project")
    if bundled.is_dir() and is_project(Path(str(bundled))):
        return Path(str(bundled))
    checkout = Path(__file__).resolve().parents[3]
    if is_project(checkout) and (checkout / "pyproject.toml").is_file():
        return checkout
    return None


def resolve(root: Path | None, *, cwd: Path | None = None) -> Project:
    """Choose the sources for a command.

    :param root: the ``--root`` the user gave, or None.
    :param cwd: the current folder (default: :meth:`Path.cwd`).
    :returns: ``root`` as given; else the project around ``cwd``; else the packaged copy.
    :raises LookupError: if there is no project here and nigraph was installed without its sources.
    """
    cwd = (cwd or Path.cwd()).resolve()
    if root is not None:
        return Project(root, False, root / "dist")
    found = find_project(cwd)
    if found is not None:
        shown = Path(".") if found == cwd else found  # relative, as before, when run in the project itself
        return Project(shown, False, shown / "dist")
    packaged = packaged_root()
    if packaged is None:
        raise LookupError(f"no nigraph project in {cwd} or above (no {MARKER}), and this installation "
                          "carries no packaged sources; give --root PROJECT")
    return Project(packaged, True, cwd / "dist")
