"""Copies the project's sources (ontology/, shapes/, queries/, data/) into the wheel as nigraph/_project/.

pyproject.toml holds all the metadata; this file only adds that copy, which setuptools' own
configuration cannot express (package data must lie inside a package folder, and these folders
are edited at the repository's top level). The copy is made when the wheel is built, so nothing
is committed twice. An editable install (``make venv``) skips it: there
:func:`nigraph.core.project.packaged_root` finds the checkout itself.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: The folders every command may read (nigraph.core.project).
BUNDLED = ("ontology", "shapes", "queries", "data")


class BuildWithProject(build_py):
    """``build_py`` that also copies :data:`BUNDLED` into ``nigraph/_project`` of the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "nigraph" / "_project"
        shutil.rmtree(target, ignore_errors=True)
        for name in BUNDLED:
            shutil.copytree(HERE / name, target / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))


setup(cmdclass={"build_py": BuildWithProject})
