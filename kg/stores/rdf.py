"""The graph as RDF on standard vocabularies, an embedded Oxigraph store, and SHACL.

The mapping (the ontology is ``ontology/govkg.ttl``, the shapes ``ontology/shapes.ttl``):

* Every node ``kind:a:b`` becomes ``<https://w3id.org/govkg/id/kind/a/b>`` (each part
  percent-encoded only where an IRI needs it, so Chinese names stay readable; regions
  use their 6-digit admin codes: ``id/region/370104``), typed with its ``gkg:`` class and
  the W3C class it specialises (org:OrganizationalUnit, prov:Activity, qb:Observation …),
  with ``dcterms:identifier`` = the node id.
* Names: ``skos:prefLabel``\\@zh (canonical) and ``skos:altLabel``\\@zh (every other spelling).
* Units ``org:subOrganizationOf`` their region and ``org:classification`` their functional
  categories (SKOS concepts ``id/function/…``); leaders ``org:holds`` an ``org:Post``
  (``id/post/<code>/区长``) that is ``org:postIn`` the region, and are ``org:memberOf`` it.
* A unit's role in a task is a shortcut property (``gkg:leadUnit`` / ``gkg:assistUnit`` /
  ``gkg:responsibleUnit``, leaders ``gkg:overseenBy``: all sub-properties of
  ``prov:wasAssociatedWith``) plus a ``prov:qualifiedAssociation`` carrying the role concept
  (``prov:hadRole``), the document's role word, the name as written and its source span.
* Provenance: ``prov:wasDerivedFrom`` the document, and ``gkg:sourceSpan`` an
  ``oa:SpecificResource`` whose ``oa:TextPositionSelector`` (start/end into the raw text)
  and ``oa:TextQuoteSelector`` (``oa:exact`` = the quote) pin the exact text.
* Indicators are ``qb:Observation``\\s: ``sdmx-dimension:refArea`` the region,
  ``sdmx-dimension:refPeriod`` the year, ``gkg:metric`` a concept, ``gkg:targetValue`` /
  ``gkg:actualValue`` (sub-properties of ``sdmx-measure:obsValue``),
  ``sdmx-attribute:unitMeasure`` a concept.
  Their status against the actual: ``gkg:status``, ``gkg:statusRule``,
  ``gkg:elapsedShare``, ``gkg:shareDone``; ``gkg:sameMetricAs`` the enclosing region's
  target for the metric (``gkg:comparableUpward`` on the district's indicator).
* A row of a progress report is a ``gkg:ProgressEntry``, a ``prov:Entity``: a statement
  read from the report (``prov:wasDerivedFrom``) about a task, not the work itself (the
  task is the ``prov:Activity``). It ``gkg:reportsOn`` its task (``gkg:linkScore``,
  ``gkg:linkMethod``, ``gkg:linkRunnerUp`` on the entry: an entry reports on one task)
  and is ``gkg:reportedBy`` its units (sub-property of ``prov:wasAttributedTo``, with a
  ``prov:qualifiedAttribution`` carrying role, role word, name as written and span).
  A unit answering for a task through a progress row has the usual association, with
  ``gkg:via`` the entry. ``gkg:statesActual`` the indicator whose actual it gives.
* A district task ``gkg:carriesOut`` a city task; the score, method and evidence are on a
  ``gkg:Correspondence`` (``gkg:qualifiedCarriesOut``, ``gkg:cityTask``).

Triples are written as N-Triples lines in Python and parsed by Oxigraph in chunks, which
keeps millions of triples to seconds.
"""

from __future__ import annotations

import math
import re
from itertools import groupby
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from kg.errors import StoreError

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "govkg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
ROLES_TSV = ROOT / "data" / "roles.tsv"
FUNCTIONS_TSV = ROOT / "data" / "functions.tsv"

BASE = "https://w3id.org/govkg/"
ID = BASE + "id/"
GKG = BASE + "ontology#"
PREFIXES = {
    "gkg": GKG,
    "id": ID,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
FORMATS = ("turtle", "ntriples", "jsonld")


def _t(curie: str) -> str:
    """``skos:prefLabel`` → ``<http://www.w3.org/2004/02/skos/core#prefLabel>``."""
    prefix, local = curie.split(":", 1)
    return f"<{PREFIXES[prefix]}{local}>"


# ---------------------------------------------------------------- IRIs

# What an IRI path segment may hold as is: ASCII iunreserved and RFC 3987 ucschar
# (in re.VERBOSE a character class keeps its spaces, so the classes are built plainly).
_IRI_SAFE = "A-Za-z0-9\\-._~" "\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF\U00010000-\U000EFFFD"
_UNICODE_SPACES = "\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_IRI_UNSAFE_RE = re.compile(f"[^{_IRI_SAFE}]|[{_UNICODE_SPACES}]")


def _pct(m: re.Match) -> str:
    return "".join(f"%{b:02X}" for b in m.group().encode("utf-8"))


def iri_part(text: str) -> str:
    """Percent-encode what an IRI segment cannot hold; Chinese stays readable."""
    return _IRI_UNSAFE_RE.sub(_pct, str(text))


def node_iri(node_id: str) -> str:
    """``unit:370113:区发展改革局`` → ``https://w3id.org/govkg/id/unit/370113/区发展改革局``."""
    return ID + "/".join(iri_part(p) for p in str(node_id).split(":"))


def node_id_of(iri: str) -> str:
    """The inverse of :func:`node_iri` (a span's ``#fragment`` is kept): for messages."""
    from urllib.parse import unquote

    if not iri.startswith(ID):
        return iri
    path, hash_, frag = iri[len(ID):].partition("#")
    return ":".join(unquote(p) for p in path.split("/")) + hash_ + frag


def concept_iri(scheme: str, label: str) -> str:
    return f"{ID}{scheme}/{iri_part(label)}"


# ---------------------------------------------------------------- literals

_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESC_RE = re.compile(r'[\\"\n\r]')
XSD = PREFIXES["xsd"]
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _quote(text: str) -> str:
    return '"' + _ESC_RE.sub(lambda m: _ESC[m.group()], text) + '"'


def _zh(v) -> str:
    return _quote(str(v)) + "@zh"


def _str(v) -> str:
    return _quote(str(v))


def _int(v) -> str:
    return f'"{int(v)}"^^<{XSD}integer>'


def _dec(v) -> Optional[str]:
    x = float(v)
    if not math.isfinite(x):
        return None
    text = repr(x) if "e" not in repr(x) else f"{x:.12f}".rstrip("0")
    return f'"{text}"^^<{XSD}decimal>'


def _bool(v) -> str:
    return f'"{"true" if v else "false"}"^^<{XSD}boolean>'


def _date(v) -> str:
    return f'"{v}"^^<{XSD}date>' if _DATE_RE.match(str(v)) else _str(v)


def _year(v) -> str:
    return f'"{int(v):04d}"^^<{XSD}gYear>'


# ---------------------------------------------------------------- the mapping, as data

# type → (its gkg class, the standard classes it is also typed with)
CLASSES = {
    "Region": ("gkg:Region", ("org:Organization", "dcterms:Location")),
    "Document": ("gkg:Document", ("foaf:Document", "prov:Entity")),
    "Unit": ("gkg:Unit", ("org:OrganizationalUnit", "prov:Agent")),
    "Leader": ("gkg:Leader", ("foaf:Person", "prov:Agent")),
    "Task": ("gkg:Task", ("prov:Activity",)),
    "Indicator": ("gkg:Indicator", ("qb:Observation",)),
    "Project": ("gkg:Project", ("prov:Entity",)),
    "ProgressEntry": ("gkg:ProgressEntry", ("prov:Entity",)),
}
# Scalar attributes: (node type or "*") → attribute → (predicate, literal writer).
ATTRS: dict[str, dict[str, tuple[str, Callable]]] = {
    "*": {"label": ("rdfs:label", _zh)},
    "Region": {"name": ("skos:prefLabel", _zh), "code": ("gkg:adminCode", _str),
               "level": ("gkg:adminLevel", _str)},
    "Document": {"doc_id": ("gkg:docId", _str), "path": ("gkg:path", _str),
                 "title": ("dcterms:title", _zh), "year": ("gkg:year", _int),
                 "kind": ("gkg:documentKind", _str), "layout": ("gkg:layout", _str),
                 "fit": ("gkg:layoutFit", _dec), "period": ("gkg:period", _zh),
                 "date": ("dcterms:date", _date), "author": ("gkg:authorName", _zh),
                 "post": ("gkg:authorPost", _zh), "encoding": ("gkg:encoding", _str)},
    "Unit": {"unit_kind": ("gkg:unitKind", _str)},
    "Leader": {"name": ("skos:prefLabel", _zh)},
    "Task": {"seq": ("gkg:seq", _int), "number": ("gkg:number", _str),
             "text": ("dcterms:description", _zh), "year": ("gkg:year", _int),
             "section": ("gkg:section", _zh), "category": ("gkg:category", _zh),
             "level": ("gkg:level", _int), "number_inferred": ("gkg:numberInferred", _bool),
             "progress": ("gkg:progress", _zh), "next_steps": ("gkg:nextSteps", _zh)},
    "Indicator": {"year": ("sdmx-dimension:refPeriod", _year), "kind": ("gkg:indicatorKind", _str),
                  "target": ("gkg:targetValue", _dec), "target_high": ("gkg:targetHigh", _dec),
                  "qualifier": ("gkg:qualifier", _zh), "stretch": ("gkg:stretchTarget", _dec),
                  "direction": ("gkg:direction", _str), "main": ("gkg:main", _bool),
                  "actual": ("gkg:actualValue", _dec), "period": ("gkg:actualPeriod", _zh),
                  "status": ("gkg:status", _str), "status_rule": ("gkg:statusRule", _str),
                  "elapsed": ("gkg:elapsedShare", _dec), "share_done": ("gkg:shareDone", _dec)},
    "Project": {},
    "ProgressEntry": {"seq": ("gkg:seq", _int), "number": ("gkg:number", _str),
                      "text": ("dcterms:description", _zh), "year": ("gkg:year", _int),
                      "category": ("gkg:category", _zh), "number_inferred": ("gkg:numberInferred", _bool),
                      "period": ("gkg:period", _zh), "progress": ("gkg:progress", _zh),
                      "next_steps": ("gkg:nextSteps", _zh), "status": ("gkg:status", _str),
                      "status_word": ("gkg:statusWord", _zh), "actual": ("gkg:actualValue", _dec),
                      "elapsed": ("gkg:elapsedShare", _dec)},
}
# Attributes that name a concept: attribute → (predicate, concept scheme).
CONCEPT_ATTRS = {
    "Unit": {"functions": ("org:classification", "function")},
    "Indicator": {"metric": ("gkg:metric", "metric"), "unit": ("sdmx-attribute:unitMeasure", "uom"),
                  "actual_unit": ("gkg:actualUnitMeasure", "uom")},
    "ProgressEntry": {"metric": ("gkg:metric", "metric"), "actual_unit": ("gkg:actualUnitMeasure", "uom")},
}
# (edge type, source node type) → (predicate, written from the target to the source?)
EDGES = {
    ("LEADS", "Unit"): ("gkg:leadUnit", True),
    ("ASSISTS", "Unit"): ("gkg:assistUnit", True),
    ("RESPONSIBLE_FOR", "Unit"): ("gkg:responsibleUnit", True),
    ("OVERSEES", "Leader"): ("gkg:overseenBy", True),
    ("FROM_DOCUMENT", "Task"): ("prov:wasDerivedFrom", False),
    ("PART_OF", "Task"): ("dcterms:isPartOf", False),
    ("PART_OF", "Region"): ("org:subOrganizationOf", False),
    ("IN_REGION", "Unit"): ("org:subOrganizationOf", False),
    ("IN_REGION", "Leader"): ("org:memberOf", False),
    ("IN_REGION", "Document"): ("dcterms:spatial", False),
    ("IN_REGION", "Indicator"): ("sdmx-dimension:refArea", False),
    ("HAS_TARGET", "Task"): ("gkg:statesTarget", False),
    ("HAS_TARGET", "Region"): ("gkg:mainTarget", False),
    ("MENTIONS", "Task"): ("gkg:mentions", False),
    ("DELIVERED", "Leader"): ("dcterms:creator", True),
    ("FROM_DOCUMENT", "ProgressEntry"): ("prov:wasDerivedFrom", False),
    ("MENTIONS", "ProgressEntry"): ("gkg:mentions", False),
    ("REPORTED_BY", "Unit"): ("gkg:reportedBy", True),
    ("REPORTS_ON", "ProgressEntry"): ("gkg:reportsOn", False),
    ("STATES_ACTUAL", "ProgressEntry"): ("gkg:statesActual", False),
    ("SAME_METRIC", "Indicator"): ("gkg:sameMetricAs", False),
    ("CARRIES_OUT", "Task"): ("gkg:carriesOut", False),
}
# Edge attributes written on the edge's source node, for edges a node has at most one of.
EDGE_ATTRS = {
    "REPORTS_ON": {"score": ("gkg:linkScore", _dec), "method": ("gkg:linkMethod", _str),
                   "second": ("gkg:linkRunnerUp", _dec)},
    "SAME_METRIC": {"comparable": ("gkg:comparableUpward", _bool)},
}
# Edges qualified by a resource of their own: type → (property, class, property to the
# target, attribute → (predicate, literal writer)).
QUALIFIED_EDGES = {
    "CARRIES_OUT": ("gkg:qualifiedCarriesOut", "gkg:Correspondence", "gkg:cityTask",
                    {"score": ("gkg:linkScore", _dec), "method": ("gkg:linkMethod", _str),
                     "evidence": ("gkg:evidence", _zh)}),
}
# Role edges on an entity (a progress entry) are qualified attributions, not associations.
ATTRIBUTION_EDGES = frozenset({"REPORTED_BY"})
# Edges read from a text: their role concept (prov:hadRole) in the qualified association.
ROLE_OF_EDGE = {"LEADS": "lead", "ASSISTS": "assist", "RESPONSIBLE_FOR": "responsible",
                "OVERSEES": "oversee", "REPORTED_BY": None}      # None: the edge's own role
SCHEMES = {
    "function": "职能分类 functional categories of departments",
    "role": "角色 normalized roles of units and leaders in a task",
    "role-word": "角色用语 the documents' own role words (牵头单位 …)",
    "metric": "指标 metrics of targets",
    "uom": "计量单位 units of measure",
    "post": "职务 posts held by leaders",
}
ROLE_LABELS = {"lead": "牵头", "assist": "配合", "responsible": "负责", "oversee": "牵头领导"}


def _camel(edge_type: str) -> str:
    head, *rest = edge_type.lower().split("_")
    return head + "".join(w.title() for w in rest)


# ---------------------------------------------------------------- triples

class _Writer:
    """Collects N-Triples lines; concepts and spans are written once."""

    def __init__(self):
        self.lines: list[str] = []
        self._concepts: set[str] = set()
        self.t = {c: _t(c) for c in _CURIES}

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .")

    def concept(self, scheme: str, label: str, extra: Iterable[tuple[str, str]] = (),
                iri: Optional[str] = None) -> str:
        iri = iri or concept_iri(scheme, label)
        s = f"<{iri}>"
        if iri not in self._concepts:
            self._concepts.add(iri)
            t = self.t
            self.add(s, t["rdf:type"], t["skos:Concept"])
            self.add(s, t["skos:prefLabel"], _zh(label))
            self.add(s, t["skos:inScheme"], f"<{ID}scheme/{scheme}>")
            for p, o in extra:
                self.add(s, p, o)
        return s

    def role(self, role: str) -> str:
        extra = [(self.t["skos:notation"], _str(role)), (self.t["rdf:type"], self.t["prov:Role"])]
        return self.concept("role", ROLE_LABELS.get(role, role), extra, iri=concept_iri("role", role))

    def span(self, owner: str, doc_id, start, end, quote) -> None:
        """``owner gkg:sourceSpan`` a SpecificResource with position and quote selectors."""
        if doc_id is None or start is None or end is None:
            return
        t = self.t
        base = owner[:-1]
        span, pos, quo = base + '#span>', base + '#position>', base + '#quote>'
        doc = f"<{node_iri('doc:' + str(doc_id))}>"
        self.add(owner, t["gkg:sourceSpan"], span)
        self.add(span, t["rdf:type"], t["oa:SpecificResource"])
        self.add(span, t["oa:hasSource"], doc)
        self.add(span, t["oa:hasSelector"], pos)
        self.add(pos, t["rdf:type"], t["oa:TextPositionSelector"])
        self.add(pos, t["oa:start"], _int(start))
        self.add(pos, t["oa:end"], _int(end))
        if quote is not None:
            self.add(span, t["oa:hasSelector"], quo)
            self.add(quo, t["rdf:type"], t["oa:TextQuoteSelector"])
            self.add(quo, t["oa:exact"], _str(quote))


_CURIES = sorted({
    "rdf:type", "skos:Concept", "skos:ConceptScheme", "skos:prefLabel", "skos:altLabel",
    "skos:inScheme", "skos:notation", "skos:definition", "gkg:sourceSpan", "oa:SpecificResource",
    "oa:hasSource", "oa:hasSelector", "oa:TextPositionSelector", "oa:TextQuoteSelector",
    "oa:start", "oa:end", "oa:exact", "dcterms:identifier", "prov:qualifiedAssociation",
    "prov:Association", "prov:agent", "prov:hadRole", "prov:wasDerivedFrom", "gkg:roleWord",
    "gkg:asWritten", "prov:Role", "org:holds", "org:Post", "org:postIn", "rdfs:label",
    "prov:qualifiedAttribution", "prov:Attribution", "gkg:via", "gkg:joinedBecause",
    *(c for attrs in EDGE_ATTRS.values() for c, _ in attrs.values()),
    *(c for p, k, t, attrs in QUALIFIED_EDGES.values() for c in (p, k, t, *(a for a, _ in attrs.values()))),
    *(c for attrs in ATTRS.values() for c, _ in attrs.values()),
    *(c for attrs in CONCEPT_ATTRS.values() for c, _ in attrs.values()),
    *(p for p, _ in EDGES.values()),
    *(c for main, extra in CLASSES.values() for c in (main, *extra)),
})


def _node_lines(w: _Writer, graph, types: dict[str, str]) -> Iterator[None]:
    """Each node's lines into ``w`` (and its type into ``types``), yielding before each node."""
    t = w.t
    common = ATTRS["*"]
    for nid, a in graph.nodes(data=True):
        yield
        ntype = a.get("type")
        if ntype not in CLASSES:
            raise StoreError(f"node {nid!r} has type {ntype!r}; expected one of {', '.join(CLASSES)}")
        types[nid] = ntype
        s = f"<{node_iri(nid)}>"
        main, extra = CLASSES[ntype]
        w.add(s, t["rdf:type"], t[main])
        for c in extra:
            w.add(s, t["rdf:type"], t[c])
        w.add(s, t["dcterms:identifier"], _str(nid))
        for attrs in (common, ATTRS[ntype]):
            for key, (pred, lit) in attrs.items():
                v = a.get(key)
                if v is None or v == "":
                    continue
                o = lit(v)
                if o is not None:
                    w.add(s, t[pred], o)
        for key, (pred, scheme) in CONCEPT_ATTRS.get(ntype, {}).items():
            v = a.get(key)
            for label in ([v] if isinstance(v, str) else v or ()):
                if label:
                    w.add(s, t[pred], w.concept(scheme, label))
        if ntype in ("Unit", "Project"):
            names = [n for n in (a.get("aliases") or ()) if n]
            pref = a.get("name") or (names[0] if names else None)
            if pref:
                w.add(s, t["skos:prefLabel"], _zh(pref))
            for alias in dict.fromkeys(names):
                if alias != pref:
                    w.add(s, t["skos:altLabel"], _zh(alias))
            for why in a.get("joins") or ():
                w.add(s, t["gkg:joinedBecause"], _zh(why))
        if ntype == "Leader":
            code = a.get("region_code") or a.get("region") or ""
            region = f"<{node_iri('region:' + str(code))}>" if code else None
            for post in a.get("posts") or ():
                extra_ = [(t["org:postIn"], region)] if region else []
                key = f"{ID}post/{iri_part(code)}/{iri_part(post)}" if code else None
                p = w.concept("post", post, extra_, iri=key)
                w.add(p, t["rdf:type"], t["org:Post"])
                w.add(s, t["org:holds"], p)
        if ntype in ("Task", "Indicator", "ProgressEntry"):
            if ntype == "Indicator" and a.get("doc_id"):
                w.add(s, t["prov:wasDerivedFrom"], f"<{node_iri('doc:' + str(a['doc_id']))}>")
            w.span(s, a.get("doc_id"), a.get("start"), a.get("end"), a.get("quote"))


def _edge_lines(w: _Writer, graph, types: dict[str, str]) -> Iterator[None]:
    """Each edge's lines into ``w``, yielding before each edge."""
    t = w.t
    for u, v, key, a in graph.edges(keys=True, data=True):
        yield
        etype = a.get("type", key)
        pred, reverse = EDGES.get((etype, types[u]), (None, False))
        p = t[pred] if pred else f"<{GKG}{_camel(etype)}>"
        su, sv = f"<{node_iri(u)}>", f"<{node_iri(v)}>"
        subj, obj = (sv, su) if reverse else (su, sv)
        w.add(subj, p, obj)
        for key, (pred_, lit) in EDGE_ATTRS.get(etype, {}).items():
            if a.get(key) is not None and (o := lit(a[key])) is not None:
                w.add(su, t[pred_], o)
        if etype in QUALIFIED_EDGES:
            qprop, qclass, qtarget, attrs = QUALIFIED_EDGES[etype]
            qual = f"<{node_iri(u)}/{_camel(etype)}/{node_iri(v)[len(ID):]}>"
            w.add(su, t[qprop], qual)
            w.add(qual, t["rdf:type"], t[qclass])
            w.add(qual, t[qtarget], sv)
            for key, (pred_, lit) in attrs.items():
                if a.get(key) is not None and (o := lit(a[key])) is not None:
                    w.add(qual, t[pred_], o)
        if etype in ROLE_OF_EDGE:
            role = ROLE_OF_EDGE[etype] or a.get("role") or "responsible"
            attribution = etype in ATTRIBUTION_EDGES
            assoc = f"<{node_iri(v)}/{'reported-' if attribution else ''}{role}/{node_iri(u)[len(ID):]}>"
            w.add(subj, t["prov:qualifiedAttribution" if attribution else "prov:qualifiedAssociation"], assoc)
            w.add(assoc, t["rdf:type"], t["prov:Attribution" if attribution else "prov:Association"])
            w.add(assoc, t["prov:agent"], obj)
            w.add(assoc, t["prov:hadRole"], w.role(role))
            if a.get("role_word"):
                w.add(assoc, t["gkg:roleWord"], w.concept("role-word", a["role_word"]))
            if a.get("as_written"):
                w.add(assoc, t["gkg:asWritten"], _zh(a["as_written"]))
            if a.get("via"):
                w.add(assoc, t["gkg:via"], f"<{node_iri(a['via'])}>")
            w.span(assoc, a.get("doc_id"), a.get("start"), a.get("end"), a.get("quote"))


def _scheme_lines(w: _Writer) -> None:
    t = w.t
    for scheme, label in SCHEMES.items():
        s = f"<{ID}scheme/{scheme}>"
        w.add(s, t["rdf:type"], t["skos:ConceptScheme"])
        w.add(s, t["skos:prefLabel"], _quote(label))


def vocabulary() -> list[tuple[str, str]]:
    """The concepts every export carries, from data/: (scheme, label), role words and functions."""
    out = [("role", r) for r in ROLE_LABELS]
    for path, scheme in ((ROLES_TSV, "role-word"), (FUNCTIONS_TSV, "function")):
        if not path.exists():
            continue
        rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()
                if ln.strip() and not ln.startswith("#")]
        out += [(scheme, r[0].strip()) for r in rows[1:] if r[0].strip()]
    return out


def ntriples_lines(graph) -> list[str]:
    """The graph as N-Triples lines (not deduplicated): the one place the mapping runs."""
    return [ln for block in ntriples_blocks(graph) for ln in block]


def ntriples_blocks(graph, size: int = 50_000) -> Iterator[list[str]]:
    """The graph's N-Triples lines in blocks of about ``size`` lines, as the graph is walked
    (the vocabulary, then the nodes, then the edges), never all of them at once."""
    w = _Writer()
    _scheme_lines(w)
    for scheme, label in vocabulary():
        if scheme == "role":
            w.role(label)
        else:
            w.concept(scheme, label)
    types: dict[str, str] = {}
    for part in (_node_lines(w, graph, types), _edge_lines(w, graph, types)):
        for _ in part:
            if len(w.lines) >= size:
                yield w.lines
                w.lines = []
    yield w.lines


# ---------------------------------------------------------------- store and files

def to_store(graph, store=None, chunk: int = 500_000):
    """The graph in an in-memory (or the given) :class:`pyoxigraph.Store`.

    The lines are bulk-loaded by Oxigraph in chunks of ``chunk`` lines (measured fastest;
    ``lenient``: the IRIs and literals are ours, already well-formed). 3.9 M triples
    take about 4 s to write and 12 s to load on a 2-core machine.
    """
    import pyoxigraph as ox

    store = ox.Store() if store is None else store
    try:
        for block in ntriples_blocks(graph, chunk):
            store.bulk_load("\n".join(block) + "\n", ox.RdfFormat.N_TRIPLES, lenient=True)
    except (SyntaxError, ValueError, OSError) as e:
        raise StoreError(f"could not load the graph into Oxigraph: {e}") from e
    return store


def _turtle(lines: list[str]) -> str:
    """Sorted N-Triples lines → Turtle grouped by subject (N-Triples terms are Turtle terms)."""
    return "".join(_turtle_chunks([lines], sort=False))


def _turtle_chunks(blocks: Iterable[list[str]], sort: bool = True) -> Iterator[str]:
    """N-Triples blocks → Turtle text, a chunk per block: each block's lines grouped by
    subject (sorted within the block; a subject met again in a later block, as an edge's
    subject, is written again there: valid Turtle, same triples)."""
    names = {f"<{ns}": f"{prefix}:" for prefix, ns in PREFIXES.items() if prefix != "id"}
    rdf_type = _t("rdf:type")

    def short(iri: str) -> str:
        if iri == rdf_type:
            return "a"
        ns, _, local = iri[1:-1].rpartition("#") if "#" in iri else iri[1:-1].rpartition("/")
        sep = "#" if "#" in iri else "/"
        prefix = names.get(f"<{ns}{sep}")
        return f"{prefix}{local}" if prefix and re.fullmatch(r"[A-Za-z][\w-]*", local) else iri

    xsd_int = f"^^<{XSD}integer>"
    typed_re = re.compile(r'^(?P<lex>".*")\^\^(?P<dt><[^>]*>)$')

    def obj(o: str) -> str:
        if o.startswith("<"):
            return short(o)
        if o.endswith(xsd_int):
            return o[1:-len(xsd_int) - 1]                # "6"^^xsd:integer → 6
        if o in ('"true"^^<%sboolean>' % XSD, '"false"^^<%sboolean>' % XSD):
            return o[1:o.index('"', 1)]
        m = typed_re.match(o)
        return f"{m.group('lex')}^^{short(m.group('dt'))}" if m else o

    yield "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items() if p != "id") + "\n\n"
    for lines in blocks:
        if sort:
            lines = sorted(set(lines))
        out = []
        for subject, group in groupby(lines, key=lambda ln: ln[:ln.index(" ")]):
            pairs = [ln[len(subject) + 1:-2].split(" ", 1) for ln in group]
            pairs.sort(key=lambda po: po[0] != rdf_type)           # rdf:type first
            body = " ;\n    ".join(f"{short(p)} {obj(o)}" for p, o in pairs)
            out.append(f"{subject} {body} .\n")
        yield "".join(out)


def serialize_chunks(graph, fmt: str = "turtle") -> Iterator[bytes]:
    """The graph as ``turtle`` or ``ntriples``, in UTF-8 chunks made as the graph is walked
    (for files of millions of triples: never the whole text in memory)."""
    if fmt == "ntriples":
        for block in ntriples_blocks(graph):
            yield ("\n".join(block) + "\n").encode("utf-8") if block else b""
    elif fmt == "turtle":
        for text in _turtle_chunks(ntriples_blocks(graph)):
            yield text.encode("utf-8")
    else:
        yield serialize(graph, fmt)


def serialize(graph, fmt: str = "turtle") -> bytes:
    """The graph as ``turtle``, ``ntriples`` or ``jsonld`` bytes.

    Turtle and N-Triples are written from the sorted triples (stable, diff-friendly,
    grouped by subject); JSON-LD by Oxigraph. A :class:`pyoxigraph.Store` is dumped as is.
    """
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD}
    if fmt not in formats:
        raise StoreError(f"unknown RDF format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt != "jsonld" and not isinstance(graph, ox.Store):
        lines = sorted(set(ntriples_lines(graph)))     # a subject's lines are contiguous
        if fmt == "ntriples":
            return ("\n".join(lines) + "\n").encode("utf-8")
        return _turtle(lines).encode("utf-8")
    store = graph if isinstance(graph, ox.Store) else to_store(graph)
    # No prefix for id/: local names holding "/" would be escaped, full IRIs read better.
    prefixes = {k: v for k, v in PREFIXES.items() if k != "id"} if fmt != "ntriples" else None
    try:
        return store.dump(format=formats[fmt], from_graph=ox.DefaultGraph(), prefixes=prefixes)
    except (ValueError, OSError) as e:
        raise StoreError(f"could not write {fmt}: {e}") from e


# ---------------------------------------------------------------- SHACL

@dataclass(frozen=True)
class Violation:
    focus: str          # the node, as its govkg id when it has one: unit:370113:区财政局
    path: str           # the property, as a prefixed name: skos:prefLabel
    message: str
    severity: str = "Violation"
    value: str = ""

    def __str__(self) -> str:
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{value}"


@dataclass(frozen=True)
class Validation:
    conforms: bool
    violations: tuple[Violation, ...] = ()

    def __str__(self) -> str:
        if self.conforms:
            return "conforms: the graph satisfies every shape"
        lines = [f"{len(self.violations)} violation(s):"]
        lines += [f"  {v}" for v in self.violations]
        return "\n".join(lines)


def _compact(term) -> str:
    text = str(term)
    if text.startswith(ID):
        return node_id_of(text)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and prefix != "id":
            return f"{prefix}:{text[len(ns):]}"
    return text


def rdflib_graph(graph):
    """The graph as an :class:`rdflib.Graph` (parsed from the N-Triples export)."""
    import rdflib

    g = rdflib.Graph()
    g.parse(data=serialize(graph, "ntriples").decode("utf-8"), format="nt")
    return g


def validate(graph, shapes: Optional[Path] = None) -> Validation:
    """Check the graph against ``ontology/shapes.ttl`` (SHACL core) with pyshacl."""
    import rdflib
    from pyshacl import validate as shacl_validate

    shapes_path = Path(shapes or SHAPES)
    if not shapes_path.exists():
        raise StoreError(f"{shapes_path}: no such shapes file")
    data = graph if isinstance(graph, rdflib.Graph) else rdflib_graph(graph)
    shacl = rdflib.Graph().parse(shapes_path, format="turtle")
    conforms, report, _ = shacl_validate(data, shacl_graph=shacl, inference="none",
                                         advanced=False, allow_warnings=True)
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found = []
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        def one(p):
            v = report.value(r, p)
            return "" if v is None else v
        path = one(SH.resultPath)
        found.append(Violation(
            focus=_compact(one(SH.focusNode)),
            path=_compact(path) if not isinstance(path, rdflib.BNode) else "(path)",
            message=str(one(SH.resultMessage)) or str(_compact(one(SH.sourceConstraintComponent))),
            severity=str(one(SH.resultSeverity)).rsplit("#", 1)[-1],
            value=_compact(one(SH.value)) if one(SH.value) != "" else "",
        ))
    found.sort(key=lambda v: (v.focus, v.path, v.message))
    return Validation(conforms=bool(conforms), violations=tuple(found))
