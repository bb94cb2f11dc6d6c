"""Shared parts every stage uses: IRIs, errors, loading files, the store, serialisation, safe writes.

Modules: :mod:`.iri` (namespaces, the IRI policy), :mod:`.errors` (error families and exit codes),
:mod:`.load` (source files → quads, errors with file:line), :mod:`.store` (the pyoxigraph store),
:mod:`.serialize` (deterministic Turtle, N-Triples, JSON-LD, N-Quads, TriG, RDF/XML),
:mod:`.canonical` (the build's canonical N-Quads, from which every dump is written natively),
:mod:`.files` (atomic writes and directory swaps), :mod:`.sparql_lex` (strings, IRIs and
comments of SPARQL text, for lexical checks), :mod:`.project` (where the sources are: the
project around the current folder, or the copy packaged with nigraph).

May import: nothing of nigraph outside ``core``.
"""
