"""SHACL: the graph checked against ``ontology/shapes.ttl`` with pyshacl; violations told by
govkg ids and prefixed names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from kg.errors import StoreError
from kg.resources import folder
from kg.stores.rdf import rdflib_graph
from kg.stores.rdfmap import ID, PREFIXES, node_id_of

SHAPES = folder("ontology") / "shapes.ttl"


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
