"""The RDF mapping of the graph, as data: prefixes, IRIs, literal writers and the tables that say
which predicate each node and edge attribute of the contract (kg/contract.py) becomes.

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

The writer (:mod:`kg.stores.rdf`) and the JSON-LD context (:mod:`kg.stores.jsonld`) read these
tables; SHACL is :mod:`kg.stores.shacl`.
"""

from __future__ import annotations

import math
import re
from typing import Callable, Optional

from kg.extract.roles import role_table
from kg.resolve.functions import categories
from kg.resources import folder

ONTOLOGY = folder("ontology") / "govkg.ttl"

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

_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "<": "\\u003C"}
_ESC_RE = re.compile(r'[\\"\n\r<]')
XSD = PREFIXES["xsd"]
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _quote(text: str) -> str:
    """A string literal; ``<`` as ``\\u003C``, so that no literal holds an IRI's opening
    (Turtle writes our IRIs relative to ``@base``: see :func:`turtle_header`)."""
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
# A task's time limit: the words as written, the date they name, ongoing or not, where read.
_DEADLINE_ATTRS = {"deadline": ("gkg:deadline", _zh), "due": ("gkg:dueDate", _date),
                   "deadline_ongoing": ("gkg:deadlineOngoing", _bool),
                   "deadline_source": ("gkg:deadlineSource", _str)}
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
    "Unit": {"unit_kind": ("gkg:unitKind", _str), "collective": ("gkg:collective", _bool)},
    "Leader": {"name": ("skos:prefLabel", _zh)},
    "Task": {"seq": ("gkg:seq", _int), "number": ("gkg:number", _str),
             "text": ("dcterms:description", _zh), "year": ("gkg:year", _int),
             "section": ("gkg:section", _zh), "category": ("gkg:category", _zh),
             "level": ("gkg:level", _int), "number_inferred": ("gkg:numberInferred", _bool),
             "progress": ("gkg:progress", _zh), "next_steps": ("gkg:nextSteps", _zh),
             **_DEADLINE_ATTRS},
    "Indicator": {"year": ("sdmx-dimension:refPeriod", _year), "kind": ("gkg:indicatorKind", _str),
                  "target": ("gkg:targetValue", _dec), "target_high": ("gkg:targetHigh", _dec),
                  "qualifier": ("gkg:qualifier", _zh), "stretch": ("gkg:stretchTarget", _dec),
                  "direction": ("gkg:direction", _str), "main": ("gkg:main", _bool),
                  "scope": ("gkg:scope", _str),
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
                      "elapsed": ("gkg:elapsedShare", _dec), "level": ("gkg:level", _int), **_DEADLINE_ATTRS},
}
# Attributes that name a concept: attribute → (predicate, concept scheme).
CONCEPT_ATTRS = {
    "Unit": {"functions": ("org:classification", "function")},
    "Indicator": {"metric": ("gkg:metric", "metric"), "unit": ("sdmx-attribute:unitMeasure", "uom"),
                  "actual_unit": ("gkg:actualUnitMeasure", "uom")},
    "ProgressEntry": {"metric": ("gkg:metric", "metric"), "actual_unit": ("gkg:actualUnitMeasure", "uom")},
}
# (edge type, source node type[, target node type]) → (predicate, written from the target to
# the source?); the three-part key, where there is one, wins.
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
    ("OVERSEES", "Leader", "ProgressEntry"): ("gkg:supervisedBy", True),
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
ENTITY_PREFIX = "progress:"     # node ids of progress entries: role edges to them are attributions
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
# The spans a node has besides its own (sourceSpan): the span's name → (predicate, the node's
# attributes holding the document, start and end, or None: the node's doc_id).
SPANS = {"": "gkg:sourceSpan", "actual": "gkg:actualSpan", "progress": "gkg:progressSpan",
         "next-steps": "gkg:nextStepsSpan", "deadline": "gkg:deadlineSpan"}
EXTRA_SPANS = {
    "Indicator": (("actual", ("actual_doc_id", "actual_start", "actual_end")),),
    "Task": (("deadline", (None, "deadline_start", "deadline_end")),),
    "ProgressEntry": (("progress", (None, "progress_start", "progress_end")),
                      ("next-steps", (None, "next_steps_start", "next_steps_end")),
                      ("deadline", (None, "deadline_start", "deadline_end"))),
}
# Edges whose span is written on their source node as a named span (a node has one such edge).
EDGE_SPANS = {"STATES_ACTUAL": "actual"}
# What the mapping does with the contract's attributes (kg.contract) that the tables above do not
# name: (node or edge type, or "*"; attribute) → (the predicate that carries it, or None: left
# out of RDF) and why. tests/test_contract.py fails on an attribute of the contract found nowhere.
_SPAN_KEYS = ("doc_id", "start", "end", "quote")
_ROLE_KEYS = {"role": ("prov:hadRole", "the role concept of the qualified association"),
              "role_word": ("gkg:roleWord", "on the qualified association"),
              "as_written": ("gkg:asWritten", "on the qualified association"),
              "via": ("gkg:via", "on the qualified association"),
              **{k: ("gkg:sourceSpan", "the qualified association's span") for k in _SPAN_KEYS}}
ELSEWHERE: dict[tuple[str, str], tuple[Optional[str], str]] = {
    ("*", "id"): ("dcterms:identifier", "the node id"),
    ("*", "type"): ("rdf:type", "the gkg class and the W3C classes it specialises"),
    ("*", "key"): (None, "an edge's key in the MultiDiGraph is its type"),
    ("Unit", "name"): ("skos:prefLabel", "the canonical name"),
    ("Unit", "aliases"): ("skos:altLabel", "every other spelling"),
    ("Project", "name"): ("skos:prefLabel", "the canonical name"),
    ("Project", "aliases"): ("skos:altLabel", "every other name of the group"),
    ("Project", "joins"): ("gkg:joinedBecause", "why names were joined"),
    ("Leader", "posts"): ("org:holds", "an org:Post of the region"),
    ("Document", "name"): (None, "the title (dcterms:title), or the document id when it has none"),
    ("Task", "name"): (None, "the task text (dcterms:description) as a display name"),
    ("ProgressEntry", "name"): (None, "the row text (dcterms:description) as a display name"),
    ("Indicator", "name"): (None, "the metric's name: gkg:metric names the concept"),
    ("Region", "parent"): ("org:subOrganizationOf", "the PART_OF edge to the parent region"),
    **{(t, "region"): (EDGES[("IN_REGION", t)][0], "the IN_REGION edge") if ("IN_REGION", t) in EDGES
       else (None, "the document's region (dcterms:spatial of prov:wasDerivedFrom)")
       for t in ("Document", "Unit", "Leader", "Task", "Indicator", "ProgressEntry")},
    ("Unit", "region_code"): (None, "the region's code: the IN_REGION edge's region has gkg:adminCode"),
    ("Leader", "region_code"): (None, "the region's code: the IN_REGION edge's region has gkg:adminCode"),
    **{(t, k): ("gkg:sourceSpan", "the node's span") for t in ("Task", "Indicator", "ProgressEntry")
       for k in _SPAN_KEYS},
    **{(t, k): (SPANS[name], f"the node's {name} span") for t, spans in EXTRA_SPANS.items()
       for name, keys in spans for k in keys if k},
    **{(e, k): v for e in ("LEADS", "ASSISTS", "RESPONSIBLE_FOR", "OVERSEES", "REPORTED_BY")
       for k, v in _ROLE_KEYS.items()},
    **{("FROM_DOCUMENT", k): (None, "the text of the node itself: its gkg:sourceSpan") for k in _SPAN_KEYS},
    **{(e, k): (SPANS[name], f"the {name} span of the edge's source, which has one such edge")
       for e, name in EDGE_SPANS.items() for k in _SPAN_KEYS},
    **{("HAS_TARGET", k): (None, "where the task states the target: the indicator's gkg:sourceSpan holds "
                                 "the statement that won; another document's is left out")
       for k in _SPAN_KEYS},
    **{("MENTIONS", k): (None, "where and how a project name was found: in graph.json and Neo4j only")
       for k in (*_SPAN_KEYS, "how")},
    ("SAME_METRIC", "metric"): (None, "both indicators state it (gkg:metric)"),
    ("SAME_METRIC", "year"): (None, "both indicators state it (sdmx-dimension:refPeriod)"),
}


def mapping_of(kind: str, attr: str) -> tuple[Optional[str], str]:
    """Where the RDF mapping writes the attribute ``attr`` of a node or edge type ``kind``:
    (predicate or None, how). A :class:`KeyError` for one it does not know."""
    for table in (ATTRS.get(kind, {}), ATTRS["*"] if kind in CLASSES else {}):
        if attr in table:
            return table[attr][0], "a literal of the node"
    if attr in CONCEPT_ATTRS.get(kind, {}):
        return CONCEPT_ATTRS[kind][attr][0], "a concept"
    if attr in EDGE_ATTRS.get(kind, {}):
        return EDGE_ATTRS[kind][attr][0], "on the edge's source node"
    if kind in QUALIFIED_EDGES and attr in QUALIFIED_EDGES[kind][3]:
        return QUALIFIED_EDGES[kind][3][attr][0], "on the edge's qualification"
    if (kind, attr) in ELSEWHERE:
        return ELSEWHERE[(kind, attr)]
    return ELSEWHERE[("*", attr)]


# The indicators as one qb:DataSet: its structure's components, in order, as (kind, property,
# required). A target stated without a figure (固定资产投资合理增长) is an observation without
# the measure.
DATASET = f"{ID}dataset/indicators"
STRUCTURE = f"{ID}structure/indicators"
STRUCTURE_COMPONENTS = (
    ("qb:dimension", "sdmx-dimension:refArea", True),
    ("qb:dimension", "sdmx-dimension:refPeriod", True),
    ("qb:dimension", "gkg:metric", True),
    ("qb:measure", "gkg:targetValue", True),
    ("qb:attribute", "sdmx-attribute:unitMeasure", False),
    ("qb:attribute", "gkg:qualifier", False),
    ("qb:attribute", "gkg:actualValue", False),
)


def _camel(edge_type: str) -> str:
    head, *rest = edge_type.lower().split("_")
    return head + "".join(w.title() for w in rest)


def vocabulary() -> list[tuple[str, str]]:
    """The concepts every export carries, from data/: (scheme, label), role words and functions."""
    return ([("role", r) for r in ROLE_LABELS] + [("role-word", w) for w in role_table()]
            + [("function", c) for c in categories()])
