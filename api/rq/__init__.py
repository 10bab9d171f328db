"""The canned SPARQL of the web layer and the CLI: one ``<name>.rq`` file per query, in this folder.

A file holds one query without PREFIX declarations: the prefix block is :data:`PREFIXES`
(:func:`ontology.namespaces.sparql_prefixes`, the one place the prefixes come from), prepended by :func:`sparql`.
Every variable part is a ``$name`` placeholder filled by :mod:`graph.prepared` with a strictly serialised term
(checked IRI, escaped literal, integer, VALUES list).  The store interface takes query text (``Store.select``)
and so does a remote SPARQL endpoint, so this binding works on every store; no value is ever pasted as text.

:func:`template` returns a :class:`graph.prepared.FileTemplate` at once; its file is read at first use (never at
import) and kept.
"""

from __future__ import annotations

from graph.prepared import FileTemplate, Template, prepare
from ontology.namespaces import sparql_prefixes

PREFIXES = sparql_prefixes()
"""The PREFIX block every canned query runs with."""

def template(name: str) -> FileTemplate:
    """The query of ``api/rq/{name}.rq`` as a template (its file read at first use)."""
    return FileTemplate("api", name)


def sparql(query: Template, **params: object) -> str:
    """The runnable text of a canned query: the prefix block, then ``query`` with its placeholders filled."""
    return PREFIXES + prepare(query, **params)
