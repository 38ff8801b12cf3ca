"""JSON-LD for other systems: compacted with govkg's published ``@context``.

The context (``ontology/context.jsonld``, published as ``https://w3id.org/govkg/context.jsonld``)
is made from the RDF mapping itself (:data:`kg.stores.rdfmap.ATTRS`, ``EDGES``, …): each predicate
the mapping writes gets a term named by its local name (``leadUnit``, ``prefLabel``,
``targetValue``), coerced to what the mapping writes for it (an IRI, a ``@zh`` string, an
``xsd:decimal``); node IRIs are relative to ``@base`` (``task/jinan-2025-work-report/1``).
:func:`context` makes it and a test holds the shipped file equal to it.

The export embeds the context (an offline reader needs no network) and is compacted by rdflib's
JSON-LD serializer: the graph is held in memory, which suits a city or a district; a national
graph is exported as Turtle or N-Triples, which stream.
"""

from __future__ import annotations

import json
from typing import Optional

from kg.resources import folder
from kg.stores import rdf, rdfmap

CONTEXT_FILE = folder("ontology") / "context.jsonld"
CONTEXT_URL = rdfmap.BASE + "context.jsonld"

# Object properties the writer uses outside the mapping's tables.
_OBJECT_PROPERTIES = (
    *rdfmap.SPANS.values(), "oa:hasSource", "oa:hasSelector", "prov:qualifiedAssociation",
    "prov:qualifiedAttribution", "prov:agent", "prov:hadRole", "prov:wasDerivedFrom",
    "prov:wasAssociatedWith", "prov:wasAttributedTo", "gkg:roleWord", "gkg:via", "org:holds",
    "org:postIn", "skos:inScheme", "qb:dataSet", "qb:structure", "qb:component",
    "qb:dimension", "qb:measure", "qb:attribute",
)
# Literal properties the writer uses outside the mapping's tables → their literal writer.
_LITERAL_PROPERTIES = {
    "skos:prefLabel": rdfmap._zh, "skos:altLabel": rdfmap._zh, "gkg:asWritten": rdfmap._zh,
    "gkg:joinedBecause": rdfmap._zh, "oa:start": rdfmap._int, "oa:end": rdfmap._int, "oa:exact": rdfmap._str,
    "dcterms:identifier": rdfmap._str, "skos:notation": rdfmap._str, "qb:order": rdfmap._int,
}
# A literal writer → how the context coerces the property's values (None: JSON's own types,
# strings and integers, need no coercion).
_COERCION = {
    rdfmap._zh: {"@language": "zh"}, rdfmap._dec: {"@type": "xsd:decimal"},
    rdfmap._date: {"@type": "xsd:date"}, rdfmap._year: {"@type": "xsd:gYear"},
    rdfmap._str: None, rdfmap._int: None, rdfmap._bool: None,
}


def _properties() -> dict[str, Optional[dict]]:
    """Every predicate the mapping writes → its coercion (``{"@type": "@id"}`` for IRIs);
    a predicate written with two kinds of value gets none."""
    found: dict[str, Optional[dict]] = {}

    def put(curie: str, coercion: Optional[dict]) -> None:
        if curie in found and found[curie] != coercion:
            coercion = None
        found[curie] = coercion

    iri = {"@type": "@id"}
    for attrs in rdfmap.ATTRS.values():
        for curie, writer in attrs.values():
            put(curie, _COERCION[writer])
    for attrs in rdfmap.EDGE_ATTRS.values():
        for curie, writer in attrs.values():
            put(curie, _COERCION[writer])
    for prop, _cls, target, attrs in rdfmap.QUALIFIED_EDGES.values():
        put(prop, iri)
        put(target, iri)
        for curie, writer in attrs.values():
            put(curie, _COERCION[writer])
    for attrs in rdfmap.CONCEPT_ATTRS.values():
        for curie, _scheme in attrs.values():
            put(curie, iri)
    for curie, _reverse in rdfmap.EDGES.values():
        put(curie, iri)
    for edge_type in rdfmap.ROLE_OF_EDGE:            # edges without a table entry: gkg:camelCase
        if not any(k[0] == edge_type for k in rdfmap.EDGES):
            put("gkg:" + rdfmap._camel(edge_type), iri)
    for curie in _OBJECT_PROPERTIES:
        put(curie, iri)
    for curie, writer in _LITERAL_PROPERTIES.items():
        put(curie, _COERCION[writer])
    return found


def context() -> dict:
    """govkg's JSON-LD context: the prefixes, ``@base`` for node IRIs, and a term per
    predicate (its local name; when two predicates share one, the first in sorted order
    has it and the other is written with its prefix)."""
    ctx: dict = {"@base": rdfmap.ID}
    ctx.update({p: ns for p, ns in sorted(rdfmap.PREFIXES.items()) if p != "id"})
    taken = set(ctx)
    for curie, coercion in sorted(_properties().items()):
        term = curie.split(":", 1)[1]
        if term in taken or not term.replace("_", "a").isalnum():
            continue
        taken.add(term)
        ctx[term] = {"@id": curie, **coercion} if coercion else curie
    return ctx


def context_document() -> str:
    """The context as the file ``ontology/context.jsonld`` holds it."""
    return json.dumps({"@context": context()}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


_XSD_NATIVE = {rdfmap.XSD + "integer": int, rdfmap.XSD + "boolean": lambda v: v == "true"}


class _Compactor:
    """Triples → compacted node objects under :func:`context`: a term where the value fits
    its coercion, the prefixed name otherwise; node IRIs relative to ``@base``."""

    def __init__(self, ctx: dict):
        self.prefixes = sorted(((ns, p) for p, ns in ctx.items() if isinstance(ns, str) and
                                not p.startswith("@") and ns.startswith("http")), key=lambda x: -len(x[0]))
        self.terms: dict[str, tuple[str, dict]] = {}
        for term, d in ctx.items():
            if term.startswith("@"):
                continue
            curie, coercion = (d, {}) if isinstance(d, str) else (d["@id"], {k: v for k, v in d.items() if k != "@id"})
            if ":" in curie and not curie.startswith("http"):
                prefix, local = curie.split(":", 1)
                self.terms[ctx[prefix] + local] = (term, coercion)

    def curie(self, iri: str) -> str:
        for ns, prefix in self.prefixes:
            if iri.startswith(ns) and iri != ns:
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def ref(self, iri: str) -> str:
        """A node's IRI relative to ``@base``; a vocabulary's as a prefixed name."""
        return iri[len(rdfmap.ID):] if iri.startswith(rdfmap.ID) else self.curie(iri)

    def value(self, o, coercion: dict):
        """(the value as written under a term with ``coercion``, whether it fits the term)."""
        import pyoxigraph as ox

        if isinstance(o, (ox.NamedNode, ox.BlankNode)):
            ref = self.ref(o.value) if isinstance(o, ox.NamedNode) else f"_:{o.value}"
            return (ref, True) if coercion.get("@type") == "@id" else ({"@id": ref}, not coercion)
        lang, dtype = o.language, o.datatype.value
        if lang:
            if coercion.get("@language") == lang:
                return o.value, True
            return {"@value": o.value, "@language": lang}, not coercion
        if "@type" in coercion and self.curie(dtype) == coercion["@type"]:
            return o.value, True
        if coercion:
            return None, False
        if dtype == rdfmap.XSD + "string":
            return o.value, True
        if dtype in _XSD_NATIVE:
            return _XSD_NATIVE[dtype](o.value), True
        return {"@value": o.value, "@type": self.curie(dtype)}, True

    def node(self, subject, pairs) -> dict:
        import pyoxigraph as ox

        out: dict = {}
        for p, o in pairs:
            if p.value == rdfmap.PREFIXES["rdf"] + "type" and isinstance(o, ox.NamedNode):
                key, v = "@type", self.curie(o.value)
            else:
                term, coercion = self.terms.get(p.value, (None, {}))
                v, fits = self.value(o, coercion) if term else (None, False)
                if term and fits:
                    key = term
                else:                           # a value the term's coercion does not fit
                    key, (v, _) = self.curie(p.value), self.value(o, {})
            if key in out:
                have = out[key]
                out[key] = [*have, v] if isinstance(have, list) else [have, v]
            else:
                out[key] = v
        ref = self.ref(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
        first = {"@id": ref, **({"@type": out.pop("@type")} if "@type" in out else {})}
        return {**first, **dict(sorted(out.items()))}


def serialize(graph) -> bytes:
    """The graph as JSON-LD compacted under :func:`context`, which it embeds: one object per
    node, sorted by ``@id`` (a task, its span and selectors side by side). It loads in rdflib
    or any JSON-LD processor without a network, to the triples of the N-Triples export."""
    import pyoxigraph as ox

    by_subject: dict = {}
    for block in rdf.ntriples_blocks(graph):
        for t in ox.parse("\n".join(block).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
            by_subject.setdefault(t.subject, {})[(t.predicate, t.object)] = None
    ctx = context()
    compactor = _Compactor(ctx)
    nodes = [compactor.node(s, sorted(pairs, key=lambda po: (po[0].value, str(po[1]))))
             for s, pairs in by_subject.items()]
    nodes.sort(key=lambda n: n["@id"])
    out = {"@context": ctx, "@graph": nodes}
    return (json.dumps(out, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
