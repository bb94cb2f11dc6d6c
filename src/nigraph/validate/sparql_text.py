"""Read a SHACL-SPARQL query's text: what the specification forbids, and whether the fast engine may join it.

SHACL pre-binds ``$this`` (§5.3.1). The specification restricts such queries (§5.3.1.1): no ``MINUS``,
no federated query (``SERVICE``), no ``VALUES``, no ``AS ?var`` for a pre-bound variable, and every
sub-query returns the pre-bound variables. nigraph refuses such a query before anything runs, and also
refuses a dataset clause (``FROM``), which rdflib would fetch over the network: validation never
reaches the network.

The fast engine evaluates a constraint for all focus nodes at once by joining the focus nodes into the
query's top-level group. That equals pre-binding only for a *flat* query: one group of triple patterns,
``FILTER`` (with ``EXISTS`` bodies that are flat too) and ``BIND``, and groups (alone or joined by
``UNION``) that are flat and do not mention ``$this`` (pre-binding changes nothing inside them, and the
join with the focus nodes commutes with theirs); no sub-query, ``OPTIONAL``, ``GRAPH``,
``LIMIT``/``OFFSET``, and aggregates only when grouped by ``$this``. Anything else goes to pySHACL.

>>> forbidden("SELECT $this WHERE { $this ?p ?o MINUS { $this a <http://e/C> } }")
'MINUS is not allowed in a SHACL-SPARQL query (SHACL §5.3.1.1)'
>>> forbidden('SELECT $this WHERE { $this <http://e/p> "MINUS VALUES SERVICE" } # SERVICE')
>>> flat_reason("SELECT $this WHERE { $this <http://e/p> ?v FILTER NOT EXISTS { ?v a <http://e/C> } }")
>>> flat_reason("SELECT $this WHERE { OPTIONAL { $this <http://e/p> ?v } }")
'uses OPTIONAL'
>>> flat_reason("SELECT $this WHERE { $this <http://e/p> ?v { ?v a <http://e/C> } UNION { ?v a <http://e/D> } }")
>>> flat_reason("SELECT $this WHERE { { $this <http://e/p> 1 } UNION { ?v a <http://e/D> } }")
'uses $this inside a nested group'
"""

from __future__ import annotations

import re

__all__ = ["strip", "forbidden", "flat_reason", "network_reason", "reads_any_of", "lexical_reason",
           "join_focus_nodes", "PRE_BOUND"]

#: Variables SHACL may pre-bind (``$value`` and parameters belong to constraint components, which
#: the fast engine never compiles).
PRE_BOUND = ("this", "shapesGraph", "currentShape")

# Comments, strings (long ones first) and IRIs; what is left is keywords, names, variables, punctuation.
_LEXEME = re.compile(r'''(?sx)
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
''')


def strip(query: str) -> str:
    """The query with comments removed and every string and IRI replaced by a placeholder.

    >>> strip('SELECT * WHERE { ?s <http://e/VALUES> "VALUES" } # VALUES')
    'SELECT * WHERE { ?s <> "" }  '
    """
    def repl(m: re.Match) -> str:
        if m.group("comment"):
            return " "
        return '""' if m.group("string") else "<>"
    return _LEXEME.sub(repl, query)


def _keyword(word: str) -> re.Pattern:
    # a keyword, not part of a variable (?values), a prefixed name (ex:minus) or a longer word
    return re.compile(rf"(?<![\w?$:.\-]){word}(?![\w:\-])", re.IGNORECASE)


_FORBIDDEN = [("MINUS", "MINUS"), ("VALUES", "VALUES"), ("SERVICE", "SERVICE (a federated query)"),
              ("FROM", "FROM (a dataset clause)"), ("LOAD", "LOAD")]
_FORBIDDEN_RE = [(_keyword(w), label) for w, label in _FORBIDDEN]
_AS_PRE_BOUND = re.compile(r"\bAS\s*[?$](" + "|".join(PRE_BOUND) + r")\b", re.IGNORECASE)
_SELECT = _keyword("SELECT")


def _subquery_projections(text: str) -> list[str]:
    """The projection (between SELECT and its WHERE or ``{``) of every sub-query (every SELECT but the first)."""
    out = []
    for m in list(_SELECT.finditer(text))[1:]:
        rest = text[m.end():]
        end = re.search(r"\bWHERE\b|\{", rest, re.IGNORECASE)
        out.append(rest[:end.start()] if end else rest)
    return out


def forbidden(query: str) -> str | None:
    """Why SHACL (or nigraph, for the network) forbids this query, or ``None`` if it may run.

    :param query: the text of an ``sh:select`` or ``sh:ask``.
    :returns: a one-line reason.
    """
    text = strip(query)
    for pattern, label in _FORBIDDEN_RE:
        if pattern.search(text):
            return f"{label} is not allowed in a SHACL-SPARQL query (SHACL §5.3.1.1)" if label != "LOAD" \
                else "LOAD is not allowed in a SHACL-SPARQL query"
    m = _AS_PRE_BOUND.search(text)
    if m:
        return f"'AS ${m.group(1)}' assigns a pre-bound variable (not allowed, SHACL §5.3.1.1)"
    for projection in _subquery_projections(text):
        uses_this = re.search(r"[?$]this\b", text)
        if uses_this and not re.search(r"[?$]this\b", projection) and "*" not in projection:
            return "a sub-query does not return $this (not allowed, SHACL §5.3.1.1)"
    return None


_AGGREGATE = re.compile(r"(?<![\w?$:])(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)
_GROUP_BY = re.compile(r"\bGROUP\s+BY\b(?P<keys>.*?)(?=\bHAVING\b|\bORDER\b|\bLIMIT\b|\bOFFSET\b|$)",
                       re.IGNORECASE | re.DOTALL)


def flat_reason(query: str) -> str | None:
    """Why joining the focus nodes into this SELECT would not equal pre-binding ``$this``, or ``None``.

    :param query: an ``sh:select`` text that :func:`forbidden` accepts.
    """
    text = strip(query)
    if len(_SELECT.findall(text)) != 1:
        return "has a sub-query"
    for word in ("OPTIONAL", "GRAPH", "LIMIT", "OFFSET", "REDUCED", "ASK", "CONSTRUCT", "DESCRIBE"):
        if _keyword(word).search(text):
            return f"uses {word}"
    if re.search(r"[?$](shapesGraph|currentShape|PATH|nigraph\w*)\b", text):
        return "uses $shapesGraph, $currentShape, $PATH or a ?nigraph… variable"
    head, brace, body = text.partition("{")
    if not brace:
        return "has no WHERE group"
    if not re.search(r"[?$]this\b", head) and "*" not in head:
        return "does not return $this"
    depth = 1
    i = 0
    while i < len(body) and depth > 0:
        c = body[i]
        if c == "{":
            before = body[:i].rstrip()
            if depth == 1 and not re.search(r"\bEXISTS$", before, re.IGNORECASE):
                end = body.find("}", i + 1)  # a group in the top-level group (e.g. a UNION branch)
                inner = body[i + 1:end] if end >= 0 else "{"
                if "{" in inner:
                    return "has a nested group in a nested group"
                if re.search(r"[?$]this\b", inner):
                    return "uses $this inside a nested group"
                i = end + 1
                continue
            if depth != 1:
                return "has a nested group (other than a flat FILTER EXISTS)"
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    tail = body[i:]
    grouped = _GROUP_BY.search(tail)
    if grouped and not re.search(r"[?$]this\b", grouped.group("keys")):
        return "groups without $this"
    if not grouped and (_AGGREGATE.search(text) or _keyword("HAVING").search(tail)):
        return "aggregates without GROUP BY $this"
    return None


def network_reason(query: str) -> str | None:
    """Why running this query could reach the network (``SERVICE``, ``FROM``, ``LOAD``), or ``None``.

    >>> network_reason("SELECT * WHERE { SERVICE <http://e/sparql> { ?s ?p ?o } }")
    'SERVICE (a federated query) could reach the network'
    """
    text = strip(query)
    for word, label in (("SERVICE", "SERVICE (a federated query)"), ("FROM", "FROM (a dataset clause)"), ("LOAD", "LOAD")):
        if _keyword(word).search(text):
            return f"{label} could reach the network"
    return None


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\"{}|^`\\\s]*)>", re.IGNORECASE)
_PNAME = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w.-]*)?:((?:[\w\-]|\\.)(?:[\w.\-]|\\.)*[\w\-]|(?:[\w\-]|\\.))?")
_VAR_PREDICATE = re.compile(r"(?:[?$]\w+|<>|\"\"|\]|;|\w:\w*)\s+[?$]\w+\s+(?P<obj>[?$]\w+|<>|\"\"|\[|\(|[\w-]*:)")
_NEGATED = re.compile(r"!\s*(?:<|\^|\(\s*[<^a]|[A-Za-z][\w.-]*:|a\b)")


def _without_comments_and_strings(query: str) -> str:
    return _LEXEME.sub(lambda m: " " if m.group("comment") else ('""' if m.group("string") else m.group(0)), query)


def reads_any_of(query: str, predicates: set[str] | frozenset[str]) -> str | None:
    """Whether the query may read a triple whose predicate is in ``predicates`` (literals the store rewrites).

    A query reads the predicates it names; one with a variable predicate whose object it uses, a negated
    property set, or a ``BASE`` may read any, and is counted as reading them.

    >>> p = {"http://e/n"}
    >>> reads_any_of("PREFIX e: <http://e/> SELECT ?s WHERE { ?s e:n ?v }", p)
    'reads <http://e/n>'
    >>> reads_any_of("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }", p) is None
    True
    >>> reads_any_of("SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }", p)
    'has a variable predicate'
    """
    if not predicates:
        return None
    text = _without_comments_and_strings(query)
    bare = strip(query)
    if _keyword("BASE").search(bare):
        return "has a BASE"
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(text)}
    named = {m.group(1) for m in _IRI.finditer(text)}
    for m in _PNAME.finditer(bare):
        ns = prefixes.get(m.group(1) or "")
        if ns is not None:
            named.add(ns + (m.group(2) or "").replace("\\", ""))
    if re.search(r"(?<![\w?$:])a(?![\w:])", bare):
        named.add(_RDF_TYPE)
    hit = sorted(named & set(predicates))
    if hit:
        return f"reads <{hit[0]}>"
    body = bare.partition("{")[2]
    for m in _VAR_PREDICATE.finditer(body):
        obj = m.group("obj")
        if not obj.startswith(("?", "$")) or len(re.findall(rf"[?$]{re.escape(obj[1:])}\b", bare)) > 1:
            return "has a variable predicate"
    if _NEGATED.search(body):
        return "has a negated property set"
    return None


_LEXICAL = re.compile(r"(?<![\w?$:])(STR|DATATYPE|sameTerm|GROUP_CONCAT|SAMPLE|STRDT|STRLANG|xsd:string)\s*\(|"
                      r"<>\s*\(", re.IGNORECASE)


def lexical_reason(query: str) -> str | None:
    """Why this query may see the difference between a literal as written and as a store keeps it (the same
    value: ``"60.0"`` and ``"60"``, ``xsd:int`` and ``xsd:integer``), or ``None``: the functions that read
    the lexical form or datatype, ``sameTerm``, and casts by IRI.

    >>> lexical_reason("SELECT $this WHERE { $this <http://e/v> ?v FILTER (isNumeric(?v) && ?v > 100) }")
    >>> lexical_reason("SELECT $this WHERE { $this <http://e/v> ?v FILTER (STR(?v) = '60.0') }")
    'uses STR(…)'
    """
    m = _LEXICAL.search(strip(query))
    if m is None:
        return None
    return f"uses {m.group(1) or 'a function named by IRI'}(…)"


def _code_spans(query: str):
    """``(start, end)`` of the parts of the query outside comments, strings and IRIs."""
    pos = 0
    for m in _LEXEME.finditer(query):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(query)


def join_focus_nodes(query: str, slot: str) -> str:
    """The query with ``$this`` spelt ``?this`` and ``slot`` put first in its WHERE group (outside
    comments, strings and IRIs, where neither may change).

    >>> join_focus_nodes('SELECT $this WHERE { $this <http://e/p> "$this {" }', "{{T}}")
    'SELECT ?this WHERE { {{T}} ?this <http://e/p> "$this {" }'
    """
    out, inserted, pos = [], False, 0
    for start, end in _code_spans(query):
        out.append(query[pos:start])
        code = re.sub(r"\$this\b", "?this", query[start:end])
        if not inserted and "{" in code:
            i = code.index("{") + 1
            code = f"{code[:i]} {slot}{code[i:]}"
            inserted = True
        out.append(code)
        pos = end
    return "".join(out)
