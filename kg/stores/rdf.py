"""The graph as RDF: the triples of the mapping (:mod:`kg.stores.rdfmap`) written as N-Triples
lines or Turtle, an in-memory Oxigraph store, and conversions (rdflib, a Turtle file as
N-Triples).

Triples are written as N-Triples lines in Python and parsed by Oxigraph in chunks, which
keeps millions of triples to seconds; graph.ttl is written directly as Turtle by the same
writer (:func:`serialize_chunks`), or in parts (:func:`serialize_part`, one per shard, and
:func:`serialize_shared`) joined after one :func:`turtle_header`.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from kg.errors import StoreError
from kg.stores.rdfmap import (
    ATTRIBUTION_EDGES, ATTRS, CLASSES, CONCEPT_ATTRS, DATASET, EDGE_ATTRS, EDGE_SPANS, EDGES,
    ENTITY_PREFIX, EXTRA_SPANS, ID, PREFIXES, QUALIFIED_EDGES, ROLE_LABELS, ROLE_OF_EDGE,
    SCHEMES, SPANS, STRUCTURE, STRUCTURE_COMPONENTS, _DATE_RE, _bool, _camel, _date, _dec,
    _int, _quote, _str, _t, _year, _zh, concept_iri, iri_part, node_iri, vocabulary,
)

FORMATS = ("turtle", "ntriples")
_OWN_IRI = f"<{ID}"


# ---------------------------------------------------------------- triples

# A concept, as the parts hand it to the global part: (IRI, scheme, label, extra), extra =
# (curie of the predicate, object) pairs, the object an ``<IRI>``, a ``"literal"`` or a curie.
Concept = tuple[str, str, str, tuple[tuple[str, str], ...]]


def _turtle_name(curie: str) -> str:
    """A curie as Turtle writes it: ``rdf:type`` → ``a``, the rest as is (our local names are
    plain words, and every prefix but ``id`` is in :func:`turtle_header`)."""
    return "a" if curie == "rdf:type" else curie


def _int_ttl(v) -> str:
    return str(int(v))                                       # 6 is "6"^^xsd:integer


def _dec_ttl(v) -> Optional[str]:
    o = _dec(v)
    return None if o is None else o[:o.index("^^") + 2] + "xsd:decimal"


def _bool_ttl(v) -> str:
    return "true" if v else "false"


def _date_ttl(v) -> str:
    return f'"{v}"^^xsd:date' if _DATE_RE.match(str(v)) else _str(v)


def _year_ttl(v) -> str:
    return f'"{int(v):04d}"^^xsd:gYear'


# The N-Triples literal writers' Turtle twins (the same literal, shorter); _zh and _str are both.
TURTLE_LITERALS = {_int: _int_ttl, _dec: _dec_ttl, _bool: _bool_ttl, _date: _date_ttl, _year: _year_ttl}


class _Writer:
    """Writes the mapping's triples as N-Triples lines or as Turtle, where a subject's
    consecutive triples make one statement (``s p o ;\\n    p o .``).

    The text accumulates in ``out`` (taken by :meth:`take`). Concepts are recorded as they
    are named (``concepts``, the first record of an IRI wins) and written by
    :meth:`write_concepts`, so that a node's statement is not broken by them and a part can
    hand them to the global part instead. Node IRIs are made once per id."""

    def __init__(self, turtle: bool = False):
        self.turtle = turtle
        self.out: list[str] = []
        self._last = None
        self._begun = False
        self.concepts: dict[str, Concept] = {}
        self._concept_terms: dict[tuple, str] = {}
        self._iris: dict[str, str] = {}
        self.t = {c: _turtle_name(c) if turtle else _t(c) for c in _CURIES}
        self.lit = (lambda fn: TURTLE_LITERALS.get(fn, fn)) if turtle else (lambda fn: fn)
        self.add = self._add_turtle if turtle else self._add_line
        t = self.t
        self.node_attrs = {ntype: [(key, t[pred], self.lit(fn))
                                   for attrs in (ATTRS["*"], ATTRS[ntype]) for key, (pred, fn) in attrs.items()]
                           for ntype in CLASSES}
        self.classes = {ntype: [t[main], *(t[c] for c in extra)] for ntype, (main, extra) in CLASSES.items()}
        self._edge_preds: dict[tuple, tuple[str, bool]] = {}
        self.dataset = f"<{DATASET}>"

    def _add_line(self, s: str, p: str, o: str) -> None:
        self.out.append(f"{s} {p} {o} .")

    def _add_turtle(self, s: str, p: str, o: str) -> None:
        if s == self._last:
            self.out.append(f" ;\n    {p} {o}")
        else:                                    # the first statement's " .\n" is cut by take()
            self.out.append(f" .\n{s} {p} {o}")
            self._last = s

    def take(self, final: bool = False):
        """What was written since the last take: N-Triples lines (a list), or Turtle text
        (``final``: the last statement closed)."""
        out, self.out = self.out, []
        if not self.turtle:
            return out
        text = "".join(out).replace(_OWN_IRI, "<")      # relative to @base (turtle_header)
        if text and not self._begun:
            text, self._begun = text[3:], True
        if final and self._begun:
            text += " .\n"
            self._begun, self._last = False, None
        return text

    def iri(self, node_id: str) -> str:
        """``<IRI>`` of a node id."""
        term = self._iris.get(node_id)
        if term is None:
            term = self._iris[node_id] = f"<{node_iri(node_id)}>"
        return term

    def edge_pred(self, etype: str, source_type: Optional[str],
                  target_type: Optional[str] = None) -> tuple[str, bool]:
        """The predicate of an edge from a node of ``source_type`` (to one of ``target_type``), and
        whether it is written from the target to the source."""
        key = (etype, source_type, target_type)
        found = self._edge_preds.get(key)
        if found is None:
            pred, reverse = EDGES.get(key) or EDGES.get((etype, source_type), (None, False))
            camel = "gkg:" + _camel(etype)
            term = self.t[pred] if pred else camel if self.turtle else _t(camel)
            found = self._edge_preds[key] = (term, reverse)
        return found

    def concept(self, scheme: str, label: str, extra: tuple[tuple[str, str], ...] = (),
                iri: Optional[str] = None) -> str:
        key = (scheme, label, iri)
        term = self._concept_terms.get(key)
        if term is None:
            iri = iri or concept_iri(scheme, label)
            self.concepts.setdefault(iri, (iri, scheme, label, tuple(extra)))
            term = self._concept_terms[key] = f"<{iri}>"
        return term

    def role(self, role: str) -> str:
        term = self._concept_terms.get(("role", role))
        if term is None:
            extra = (("skos:notation", _str(role)), ("rdf:type", "prov:Role"))
            term = self.concept("role", ROLE_LABELS.get(role, role), extra, iri=concept_iri("role", role))
            self._concept_terms[("role", role)] = term
        return term

    def write_concepts(self, records: Iterable[Concept]) -> None:
        t = self.t
        for iri, scheme, label, extra in records:
            s = f"<{iri}>"
            self.add(s, t["rdf:type"], t["skos:Concept"])
            self.add(s, t["skos:prefLabel"], _zh(label))
            self.add(s, t["skos:inScheme"], f"<{ID}scheme/{scheme}>")
            for p, o in extra:
                self.add(s, t[p], o if o[0] in '<"' else t[o])

    def span(self, owner: str, doc_id, start, end, quote, name: str = "") -> None:
        """``owner gkg:sourceSpan`` a SpecificResource with position and quote selectors;
        ``name``: another span of the node's (``actual``: ``gkg:actualSpan``, ``#actual-span``)."""
        if doc_id is None or start is None or end is None:
            return
        t, add, lit_int = self.t, self.add, self.lit(_int)
        base = owner[:-1] + "#" + (f"{name}-" if name else "")
        span, pos, quo = base + 'span>', base + 'position>', base + 'quote>'
        add(owner, t[SPANS[name]], span)
        if self.turtle:                 # the three statements in one piece (a span a fact: hot)
            a, sel = t["rdf:type"], (f"{pos}, {quo}" if quote is not None else pos)
            text = (f" .\n{span} {a} {t['oa:SpecificResource']} ;\n    {t['oa:hasSource']} "
                    f"{self.iri('doc:' + str(doc_id))} ;\n    {t['oa:hasSelector']} {sel}"
                    f" .\n{pos} {a} {t['oa:TextPositionSelector']} ;\n    {t['oa:start']} "
                    f"{lit_int(start)} ;\n    {t['oa:end']} {lit_int(end)}")
            if quote is not None:
                text += f" .\n{quo} {a} {t['oa:TextQuoteSelector']} ;\n    {t['oa:exact']} {_str(quote)}"
            self.out.append(text)
            self._last = quo if quote is not None else pos
            return
        add(span, t["rdf:type"], t["oa:SpecificResource"])
        add(span, t["oa:hasSource"], self.iri("doc:" + str(doc_id)))
        add(span, t["oa:hasSelector"], pos)
        if quote is not None:
            add(span, t["oa:hasSelector"], quo)
        add(pos, t["rdf:type"], t["oa:TextPositionSelector"])
        add(pos, t["oa:start"], lit_int(start))
        add(pos, t["oa:end"], lit_int(end))
        if quote is not None:
            add(quo, t["rdf:type"], t["oa:TextQuoteSelector"])
            add(quo, t["oa:exact"], _str(quote))


_CURIES = sorted({
    "rdf:type", "skos:Concept", "skos:ConceptScheme", "skos:prefLabel", "skos:altLabel",
    "skos:inScheme", "skos:notation", "skos:definition", "gkg:sourceSpan", "oa:SpecificResource",
    "oa:hasSource", "oa:hasSelector", "oa:TextPositionSelector", "oa:TextQuoteSelector",
    "oa:start", "oa:end", "oa:exact", "dcterms:identifier", "prov:qualifiedAssociation",
    "prov:Association", "prov:agent", "prov:hadRole", "prov:wasDerivedFrom", "gkg:roleWord",
    "gkg:asWritten", "prov:Role", "org:holds", "org:Post", "org:postIn", "rdfs:label",
    "prov:qualifiedAttribution", "prov:Attribution", "gkg:via", "gkg:joinedBecause",
    "prov:wasAssociatedWith", "prov:wasAttributedTo", "qb:dataSet", "qb:DataSet", "qb:structure",
    "qb:DataStructureDefinition", "qb:component", "qb:ComponentSpecification", "qb:order",
    "qb:componentRequired", "qb:codeList", "rdfs:comment",
    *(kind for kind, _, _ in STRUCTURE_COMPONENTS), *(prop for _, prop, _ in STRUCTURE_COMPONENTS),
    *SPANS.values(),
    *(c for attrs in EDGE_ATTRS.values() for c, _ in attrs.values()),
    *(c for p, k, t, attrs in QUALIFIED_EDGES.values() for c in (p, k, t, *(a for a, _ in attrs.values()))),
    *(c for attrs in ATTRS.values() for c, _ in attrs.values()),
    *(c for attrs in CONCEPT_ATTRS.values() for c, _ in attrs.values()),
    *(p for p, _ in EDGES.values()),
    *(c for main, extra in CLASSES.values() for c in (main, *extra)),
})


def _write_node(w: _Writer, nid: str, ntype: str, a: dict) -> str:
    """A node's triples; its ``<IRI>``."""
    t, add = w.t, w.add
    s = w.iri(nid)
    rdf_type = t["rdf:type"]
    for c in w.classes[ntype]:
        add(s, rdf_type, c)
    add(s, t["dcterms:identifier"], _str(nid))
    for key, pred, lit in w.node_attrs[ntype]:
        v = a.get(key)
        if v is None or v == "":
            continue
        o = lit(v)
        if o is not None:
            add(s, pred, o)
    for key, (pred, scheme) in CONCEPT_ATTRS.get(ntype, {}).items():
        v = a.get(key)
        for label in ([v] if isinstance(v, str) else v or ()):
            if label:
                add(s, t[pred], w.concept(scheme, label))
    if ntype in ("Unit", "Project"):
        names = [n for n in (a.get("aliases") or ()) if n]
        pref = a.get("name") or (names[0] if names else None)
        if pref:
            add(s, t["skos:prefLabel"], _zh(pref))
        for alias in dict.fromkeys(names):
            if alias != pref:
                add(s, t["skos:altLabel"], _zh(alias))
        for why in a.get("joins") or ():
            add(s, t["gkg:joinedBecause"], _zh(why))
    elif ntype == "Leader":
        code = a.get("region_code") or a.get("region") or ""
        region = w.iri("region:" + str(code)) if code else None
        extra = (("org:postIn", region), ("rdf:type", "org:Post")) if region else (("rdf:type", "org:Post"),)
        for post in a.get("posts") or ():
            key = f"{ID}post/{iri_part(code)}/{iri_part(post)}" if code else None
            add(s, t["org:holds"], w.concept("post", post, extra, iri=key))
    if ntype in ("Task", "Indicator", "ProgressEntry"):
        if ntype == "Indicator":
            add(s, t["qb:dataSet"], w.dataset)
            if a.get("doc_id"):
                add(s, t["prov:wasDerivedFrom"], w.iri("doc:" + str(a["doc_id"])))
        w.span(s, a.get("doc_id"), a.get("start"), a.get("end"), a.get("quote"))
        for name, (doc_key, start_key, end_key) in EXTRA_SPANS.get(ntype, ()):
            if a.get(start_key) is not None:
                w.span(s, a.get(doc_key or "doc_id"), a.get(start_key), a.get(end_key), None, name)
    return s


def _write_edge(w: _Writer, su: str, utype: Optional[str], v: str, key: str, a: dict) -> None:
    """The triples of one edge from the node ``su`` (an ``<IRI>``) of type ``utype`` to ``v``."""
    t, add = w.t, w.add
    etype = a.get("type", key)
    to_entity = v.startswith(ENTITY_PREFIX)
    p, reverse = w.edge_pred(etype, utype, "ProgressEntry" if to_entity else None)
    sv = w.iri(v)
    subj, obj = (sv, su) if reverse else (su, sv)
    add(subj, p, obj)
    for k, (pred_, lit) in EDGE_ATTRS.get(etype, {}).items():
        if a.get(k) is not None and (o := w.lit(lit)(a[k])) is not None:
            add(su, t[pred_], o)
    if etype in EDGE_SPANS:
        w.span(su, a.get("doc_id"), a.get("start"), a.get("end"), a.get("quote"), EDGE_SPANS[etype])
    if etype in QUALIFIED_EDGES:
        qprop, qclass, qtarget, attrs = QUALIFIED_EDGES[etype]
        qual = f"{su[:-1]}/{_camel(etype)}/{sv[1 + len(ID):]}"
        add(su, t[qprop], qual)
        add(qual, t["rdf:type"], t[qclass])
        add(qual, t[qtarget], sv)
        for k, (pred_, lit) in attrs.items():
            if a.get(k) is not None and (o := w.lit(lit)(a[k])) is not None:
                add(qual, t[pred_], o)
    if etype in ROLE_OF_EDGE:
        role = ROLE_OF_EDGE[etype] or a.get("role") or "responsible"
        attribution = etype in ATTRIBUTION_EDGES or to_entity
        assoc = f"{sv[:-1]}/{'reported-' if attribution else ''}{role}/{su[1 + len(ID):]}"
        add(subj, t["prov:wasAttributedTo" if attribution else "prov:wasAssociatedWith"], obj)
        add(subj, t["prov:qualifiedAttribution" if attribution else "prov:qualifiedAssociation"], assoc)
        add(assoc, t["rdf:type"], t["prov:Attribution" if attribution else "prov:Association"])
        add(assoc, t["prov:agent"], obj)
        add(assoc, t["prov:hadRole"], w.role(role))
        if a.get("role_word"):
            add(assoc, t["gkg:roleWord"], w.concept("role-word", a["role_word"]))
        if a.get("as_written"):
            add(assoc, t["gkg:asWritten"], _zh(a["as_written"]))
        if a.get("via"):
            add(assoc, t["gkg:via"], w.iri(a["via"]))
        w.span(assoc, a.get("doc_id"), a.get("start"), a.get("end"), a.get("quote"))


def _graph_triples(w: _Writer, graph, own: Optional[Callable[[str], bool]] = None) -> Iterator[None]:
    """Each node's triples, then those of its edges, into ``w``, yielding after each node.

    ``own``: which nodes to write (default every node with attributes: a node known only
    as an edge's end, without attributes, is another part's); an edge is written with its
    source when the source or the target is written."""
    succ = graph.succ
    for nid, a in graph.nodes(data=True):
        ntype = a.get("type")
        mine = bool(a) if own is None else own(nid)
        if mine:
            if ntype not in CLASSES:
                raise StoreError(f"node {nid!r} has type {ntype!r}; expected one of {', '.join(CLASSES)}")
            su = _write_node(w, nid, ntype, a)
        else:
            su = None
        for v, keyed in succ[nid].items():
            if not mine and (own is None or not own(v)):
                continue
            su = su or w.iri(nid)
            for key, ea in keyed.items():
                _write_edge(w, su, ntype, v, key, ea)
        yield


def _scheme_lines(w: _Writer) -> None:
    t = w.t
    for scheme, label in SCHEMES.items():
        s = f"<{ID}scheme/{scheme}>"
        w.add(s, t["rdf:type"], t["skos:ConceptScheme"])
        w.add(s, t["skos:prefLabel"], _quote(label))
    _structure_lines(w)


def _structure_lines(w: _Writer) -> None:
    """The indicators' qb:DataSet and its qb:DataStructureDefinition."""
    t, add = w.t, w.add
    add(w.dataset, t["rdf:type"], t["qb:DataSet"])
    add(w.dataset, t["rdfs:label"], _zh("目标指标"))
    add(w.dataset, t["rdfs:comment"], _quote("targets and actuals read from the documents, by region, "
                                             "year and metric") + "@en")
    add(w.dataset, t["qb:structure"], f"<{STRUCTURE}>")
    add(f"<{STRUCTURE}>", t["rdf:type"], t["qb:DataStructureDefinition"])
    for order, (kind, prop, required) in enumerate(STRUCTURE_COMPONENTS, 1):
        spec = f"<{STRUCTURE}/{prop.split(':', 1)[1]}>"
        add(f"<{STRUCTURE}>", t["qb:component"], spec)
        add(spec, t["rdf:type"], t["qb:ComponentSpecification"])
        add(spec, t[kind], t[prop])
        add(spec, t["qb:order"], w.lit(_int)(order))
        if kind == "qb:attribute":
            add(spec, t["qb:componentRequired"], w.lit(_bool)(required))


def _vocabulary_concepts(w: _Writer) -> None:
    for scheme, label in vocabulary():
        if scheme == "role":
            w.role(label)
        else:
            w.concept(scheme, label)


def _blocks(w: _Writer, graph, size: int, own=None, whole: bool = True,
            concepts: Iterable[Concept] = ()) -> Iterator:
    """What ``w`` writes, taken every ``size`` pieces: with ``whole``, the schemes and the
    vocabulary, then the graph (the nodes of ``own``), then every concept named (and
    ``concepts``)."""
    if whole:
        _scheme_lines(w)
        _vocabulary_concepts(w)
        for c in concepts:
            w.concepts.setdefault(c[0], c)
    for _ in _graph_triples(w, graph, own):
        if len(w.out) >= size:
            yield w.take()
    if whole:
        w.write_concepts(list(w.concepts.values()))
    yield w.take(final=True)


def ntriples_lines(graph) -> list[str]:
    """The graph as N-Triples lines (not deduplicated): the one place the mapping runs."""
    return [ln for block in ntriples_blocks(graph) for ln in block]


def ntriples_blocks(graph, size: int = 50_000) -> Iterator[list[str]]:
    """The graph's N-Triples lines in blocks of about ``size`` lines, as the graph is walked
    (the schemes, then each node and its edges, then the concepts), never all at once."""
    return _blocks(_Writer(), graph, size)


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


def turtle_header() -> str:
    """The ``@base`` and ``@prefix`` lines every Turtle text of ours is written under. Our own
    IRIs are written relative to ``@base`` (``<unit/370113/区发展改革局>``: a third of the
    bytes of a national graph.ttl was their common start), not with a prefix (local names
    holding "/" would have to be escaped)."""
    return (f"@base <{ID}> .\n"
            + "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items() if p != "id") + "\n")


def serialize_chunks(graph, fmt: str = "turtle", *, header: bool = True) -> Iterator[bytes]:
    """The graph as ``turtle`` or ``ntriples``, in UTF-8 chunks made as the graph is walked
    (for files of millions of triples: never the whole text in memory).

    Turtle groups a subject's consecutive triples in one statement; ``header=False`` leaves
    out :func:`turtle_header` (for texts joined after one header). The text is the same for
    the same graph (its nodes and edges in the same order). A node without attributes (an
    edge's end, written by another part) is not written; its edges are, with their source."""
    if fmt == "ntriples":
        for block in ntriples_blocks(graph):
            yield ("\n".join(block) + "\n").encode("utf-8") if block else b""
    elif fmt == "turtle":
        if header:
            yield turtle_header().encode("utf-8")
        yield from _turtle_chunks(_Writer(turtle=True), graph)
    else:
        yield serialize(graph, fmt)


def serialize_part(graph, own: Callable[[str], bool]) -> tuple[bytes, list[Concept]]:
    """One part of graph.ttl (Turtle without the header): the nodes for which ``own`` is
    true and every edge from or to one of them, and the concepts these triples name
    (sorted), which the part does not write: :func:`serialize_shared` writes them once."""
    w = _Writer(turtle=True)
    text = b"".join(_turtle_chunks(w, graph, own=own, whole=False))
    return text, sorted(w.concepts.values())


def serialize_shared(graph, concepts: Iterable[Concept] = ()) -> bytes:
    """The global part of graph.ttl (Turtle without the header): the concept schemes, the
    vocabulary, ``concepts`` (the parts', see :func:`serialize_part`) and every node and edge
    of ``graph`` (the shared Region and Project nodes)."""
    return b"".join(_turtle_chunks(_Writer(turtle=True), graph, concepts=sorted(set(concepts))))


def _turtle_chunks(w: _Writer, graph, **kw) -> Iterator[bytes]:
    for text in _blocks(w, graph, 20_000, **kw):
        if text:
            yield text.encode("utf-8")


def serialize(graph, fmt: str = "turtle") -> bytes:
    """The graph as ``turtle`` or ``ntriples`` bytes.

    N-Triples is written from the sorted triples (stable, diff-friendly), Turtle as
    :func:`serialize_chunks` writes it. A :class:`pyoxigraph.Store` is dumped as is. (JSON-LD:
    :mod:`kg.stores.jsonld`; every export by name: :mod:`kg.stores.exports`.)
    """
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}
    if fmt not in formats:
        raise StoreError(f"unknown RDF format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if not isinstance(graph, ox.Store):
        if fmt == "ntriples":
            return ("\n".join(sorted(set(ntriples_lines(graph)))) + "\n").encode("utf-8")
        return b"".join(serialize_chunks(graph, "turtle"))
    prefixes = {k: v for k, v in PREFIXES.items() if k != "id"} if fmt != "ntriples" else None
    try:
        return graph.dump(format=formats[fmt], from_graph=ox.DefaultGraph(), prefixes=prefixes)
    except (ValueError, OSError) as e:
        raise StoreError(f"could not write {fmt}: {e}") from e


def serialize_turtle(graph) -> bytes:
    return serialize(graph, "turtle")


def serialize_ntriples(graph) -> bytes:
    return serialize(graph, "ntriples")


def rdflib_graph(graph):
    """The graph as an :class:`rdflib.Graph` (parsed from the N-Triples export)."""
    import rdflib

    g = rdflib.Graph()
    g.parse(data=serialize(graph, "ntriples").decode("utf-8"), format="nt")
    return g


def convert_turtle(path: Path, fmt: str, batch: int = 200_000) -> Iterator[bytes]:
    """A Turtle file (the graph.ttl `kg build` wrote) as ``turtle`` (its bytes as they are) or
    ``ntriples`` (parsed and written by Oxigraph a batch of triples at a time): an export of
    any size without the graph in memory."""
    import pyoxigraph as ox

    if fmt not in ("turtle", "ntriples"):
        raise StoreError(f"cannot stream {fmt!r} from {path}; choose turtle or ntriples")
    try:
        if fmt == "turtle":
            with path.open("rb") as f:
                while block := f.read(1 << 23):
                    yield block
            return
        triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        while chunk := list(islice(triples, batch)):
            yield ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES)
    except (OSError, SyntaxError, ValueError) as e:
        raise StoreError(f"{path}: cannot read it as Turtle ({e}): run `kg build` again") from e
