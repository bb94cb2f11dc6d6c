"""Validation results: typed, frozen, and rendered for people (text) or machines (JSON, Turtle).

A :class:`Report` holds :class:`Result` rows. Every engine (pySHACL, the compiled SPARQL
fast path, the ``shapes/checks/*.rq`` queries) produces the same rows, so two reports can be
compared with :meth:`Result.key`.

>>> r = Result(focus="https://w3id.org/nigraph/id/task/1.1", path="https://w3id.org/nigraph/def/subTaskOf",
...            component=SH + "MinCountConstraintComponent",
...            shape="https://w3id.org/nigraph/shapes/SubTaskShape-subTaskOf",
...            messages=(("en", "Give one nig:subTaskOf."), ("zh", "请给出 nig:subTaskOf。")))
>>> print(Report(conforms=False, results=(r,)).render("text"))
nid:task/1.1
  [Violation] nig:subTaskOf  MinCount (SubTaskShape-subTaskOf)
    value: (none)
    Give one nig:subTaskOf.
    请给出 nig:subTaskOf。
<BLANKLINE>
1 violation on 1 resource; does not conform.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pyoxigraph

from ..core.iri import PREFIXES, SHAPES

__all__ = ["SH", "Result", "Report", "term_text", "short", "FAIL_ON", "LEVELS"]

SH = PREFIXES["sh"]
_RDF_TYPE = PREFIXES["rdf"] + "type"
#: Severities from the mildest; a severity outside ``sh:`` (SHACL allows any IRI) ranks as a violation.
LEVELS = ("Info", "Warning", "Violation")
#: ``--fail-on`` choices: the mildest severity that makes ``nigraph validate`` exit 1.
FAIL_ON = ("violation", "warning", "info")


def term_text(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None) -> str | None:
    """A term as N-Triples text (``<iri>``, ``_:b``, ``"lit"@en``); IRIs of focus nodes, paths and shapes
    are stored bare (without ``<>``) by the engines, values keep the full form.

    >>> term_text(pyoxigraph.Literal("2020-01-01", datatype=pyoxigraph.NamedNode(PREFIXES["xsd"] + "date")))
    '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> term_text(None) is None
    True
    """
    return None if term is None else str(term)


def short(iri: str | None) -> str:
    """Shorten an IRI with the project prefixes (``nid:``, ``nig:`` …) for people.

    >>> short("https://w3id.org/nigraph/def/Goal"), short("https://w3id.org/nigraph/shapes/GoalShape")
    ('nig:Goal', 'GoalShape')
    """
    if iri is None:
        return "(none)"
    if iri.startswith(("[", "(", "_:", '"')):  # a path other than one IRI, a blank node, a literal
        return iri
    if iri.startswith(SHAPES):
        return iri[len(SHAPES):]
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, prefix
    return f"{name}:{iri[len(best):]}" if best else iri


def _value_text(value: str | None) -> str:
    if value is None:
        return "(none)"
    if value.startswith("<") and value.endswith(">"):
        return short(value[1:-1])
    return value


@dataclass(frozen=True)
class Result:
    """One validation result (one row of a SHACL validation report).

    :param focus: the focus node (IRI text, or ``_:id`` for a blank node).
    :param path: the property path: an IRI, or a path of several steps written as Turtle
        (``[ sh:inversePath <p> ]``, ``( <p> <q> )``), or ``None``.
    :param component: the constraint component IRI (``sh:…ConstraintComponent``).
    :param shape: the shape (or ``shapes/checks/<name>`` check) that produced the result.
    :param value: the value found, as N-Triples text, or ``None``.
    :param constraint: the ``sh:SPARQLConstraint`` node for SPARQL-based results, else ``None``.
    :param severity: ``"Violation"``, ``"Warning"``, ``"Info"``, or the IRI of another severity.
    :param messages: ``(language, text)`` pairs, sorted.
    """

    focus: str
    path: str | None
    component: str
    shape: str
    value: str | None = None
    constraint: str | None = None
    severity: str = "Violation"
    messages: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def key(self) -> tuple[str, str | None, str, str, str | None, str | None, str]:
        """What identifies a result across engines: focus, path, component, shape, value, constraint, severity."""
        return (self.focus, self.path, self.component, self.shape, self.value, self.constraint, self.severity)

    @property
    def level(self) -> int:
        """0 Info, 1 Warning, 2 Violation (and any severity outside ``sh:``)."""
        return LEVELS.index(self.severity) if self.severity in LEVELS else 2

    def sort_key(self) -> tuple[str, ...]:
        """Order of results in reports: by focus node, path, component, shape, value."""
        return tuple(x or "" for x in self.key())

    def as_dict(self) -> dict[str, object]:
        return {
            "focus": self.focus, "path": self.path, "component": self.component, "shape": self.shape,
            "value": self.value, "constraint": self.constraint, "severity": self.severity,
            "messages": {lang: text for lang, text in self.messages},
        }


@dataclass(frozen=True)
class Report:
    """Outcome of a validation. As in SHACL, ``conforms`` is false when there is any result, whatever its
    severity; :meth:`fails` says whether results of a given severity or worse were found.

    :param conforms: no result at all.
    :param results: sorted results; every result is kept, also two that read the same.
    :param engine: which engine produced the SHACL part (``"fast"`` or ``"pyshacl"``).
    :param routes: ``(shape, "compiled" | "pyshacl", reason)`` for each shape with a target (fast engine).
    """

    conforms: bool
    results: tuple[Result, ...]
    engine: str = "fast"
    routes: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)

    def keys(self) -> set[tuple]:
        """The set of :meth:`Result.key` of all results (for cross-checking engines)."""
        return {r.key() for r in self.results}

    def key_list(self) -> list[tuple]:
        """Every :meth:`Result.key`, sorted, duplicates kept."""
        return sorted((r.key() for r in self.results), key=lambda k: tuple(x or "" for x in k))

    def fails(self, fail_on: str = "violation") -> bool:
        """Whether any result has severity ``fail_on`` (``"violation"``, ``"warning"``, ``"info"``) or worse.

        >>> r = Result(focus="http://e/a", path=None, component=SH + "NodeKindConstraintComponent",
        ...            shape="http://e/S", severity="Warning")
        >>> report = Report(conforms=False, results=(r,))
        >>> report.fails("violation"), report.fails("warning")
        (False, True)
        """
        level = FAIL_ON[::-1].index(fail_on)
        return any(r.level >= level for r in self.results)

    def render(self, fmt: str = "text") -> str:
        """Render as ``"text"`` (people), ``"json"`` or ``"turtle"`` (the SHACL validation report graph)."""
        if fmt == "json":
            return self.to_json()
        if fmt == "turtle":
            return self.to_turtle()
        if fmt != "text":
            raise ValueError(f"unknown report format {fmt!r}")
        return self.to_text()

    def to_text(self) -> str:
        lines: list[str] = []
        by_focus: dict[str, list[Result]] = {}
        for r in self.results:
            by_focus.setdefault(r.focus, []).append(r)
        for focus in sorted(by_focus):
            lines.append(short(focus))
            for r in by_focus[focus]:
                rule = short(r.constraint or r.shape)
                comp = short(r.component).removeprefix("sh:").removesuffix("ConstraintComponent")
                lines.append(f"  [{r.severity}] {short(r.path)}  {comp} ({rule})")
                lines.append(f"    value: {_value_text(r.value)}")
                for _, text in sorted(r.messages, key=lambda m: (m[0] != "en", m[0])):
                    lines.append(f"    {text}")
            lines.append("")
        m = len(by_focus)
        if self.conforms:
            lines.append("conforms: no violations.")
        else:
            counts: dict[str, int] = {}
            for r in self.results:
                name = {"Violation": "violation", "Warning": "warning", "Info": "info"}.get(r.severity, short(r.severity))
                counts[name] = counts.get(name, 0) + 1
            order = sorted(counts, key=lambda k: ("violation", "warning", "info").index(k)
                           if k in ("violation", "warning", "info") else -1)
            parts = ", ".join(f"{counts[k]} {k}{'s' if counts[k] != 1 and k != 'info' else ''}" for k in order)
            lines.append(f"{parts} on {m} resource{'s' if m != 1 else ''}; does not conform.")
        return "\n".join(lines)

    def to_json(self) -> str:
        doc = {"conforms": self.conforms, "engine": self.engine, "results": [r.as_dict() for r in self.results]}
        return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True)

    def to_turtle(self) -> str:
        """The standard SHACL validation report graph (``sh:ValidationReport``) as Turtle, in result order."""
        def iri(text: str) -> str:
            return str(pyoxigraph.NamedNode(text))

        def node(text: str) -> str:  # a blank node, a literal (sh:targetNode may name one), or an IRI
            return text if text.startswith(("_:", '"')) else iri(text)

        def severity(text: str) -> str:
            return f"sh:{text}" if text in LEVELS else iri(text)

        out = [f"@prefix sh: <{SH}> .", "", "[] a sh:ValidationReport ;",
               f"    sh:conforms {'true' if self.conforms else 'false'}" + (" ;" if self.results else " .")]
        for i, r in enumerate(self.results):
            props = [("a", "sh:ValidationResult"),
                     ("sh:focusNode", node(r.focus)),
                     ("sh:resultSeverity", severity(r.severity)),
                     ("sh:sourceConstraintComponent", iri(r.component)),
                     ("sh:sourceShape", node(r.shape))]
            if r.path is not None:
                props.append(("sh:resultPath", r.path if r.path.startswith(("[", "(")) else iri(r.path)))
            if r.value is not None:
                props.append(("sh:value", r.value))
            if r.constraint is not None:
                props.append(("sh:sourceConstraint", node(r.constraint)))
            props += [("sh:resultMessage", str(pyoxigraph.Literal(text, language=lang))) for lang, text in r.messages]
            body = " ;\n        ".join(f"{p} {o}" for p, o in props)
            end = " ." if i == len(self.results) - 1 else " ,"
            head = "    sh:result [\n        " if i == 0 else "        [\n        "
            out.append(f"{head}{body}\n    ]{end}")
        return "\n".join(out) + "\n"
