"""The projections a graph is exported to, by name: one registry, as rdflib registers its
serializers (by module path, loaded when used: ``kg --help`` imports none of them).
``kg export --format NAME`` takes its choices from :data:`EXPORTS` and dispatches through
:func:`export`; a new projection is one entry here.

Each export either writes bytes (RDF, a Cypher script) or fills a folder (the CSVs of
``neo4j-admin database import``); an RDF format that can be written from the Turtle file
``kg build`` wrote is streamed from it (:func:`stream`), of any size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from kg.errors import StoreError
from kg.resources import entry


@dataclass(frozen=True)
class Export:
    name: str
    help: str
    target: str                  # "module:function": graph → bytes, or (graph, folder) for a folder
    folder: bool = False         # fills a folder instead of writing bytes
    from_turtle: bool = False    # streamed from graph.ttl when it is there

    def load(self) -> Callable:
        return entry(self.target)


_CONVERT_TURTLE = "kg.stores.rdf:convert_turtle"        # a Turtle file → turtle or ntriples bytes


EXPORTS: dict[str, Export] = {e.name: e for e in (
    Export("turtle", "RDF as Turtle, streamed from graph.ttl", "kg.stores.rdf:serialize_turtle",
           from_turtle=True),
    Export("jsonld", "RDF as JSON-LD compacted with govkg's @context (built in memory)",
           "kg.stores.jsonld:serialize"),
    Export("ntriples", "RDF as N-Triples, streamed from graph.ttl", "kg.stores.rdf:serialize_ntriples",
           from_turtle=True),
    Export("cypher", "a self-contained Cypher script (batched MERGE)", "kg.stores.neo4j_export:cypher_script"),
    Export("neo4j-csv", "CSVs for neo4j-admin database import (a folder; exact, not for spreadsheets)",
           "kg.stores.neo4j_export:export_csv", folder=True),
)}


def get(name: str) -> Export:
    try:
        return EXPORTS[name]
    except KeyError:
        raise StoreError(f"unknown export format {name!r}; choose one of {', '.join(EXPORTS)}") from None


def export(graph, name: str) -> bytes:
    """The graph in the export ``name`` (one that writes bytes)."""
    e = get(name)
    if e.folder:
        raise StoreError(f"the {name} export writes a folder, not a file")
    return e.load()(graph)


def fill(graph, name: str, folder: Path):
    """Write the export ``name`` (one that fills a folder) into ``folder``; what it returns."""
    e = get(name)
    if not e.folder:
        raise StoreError(f"the {name} export writes a file, not a folder")
    return e.load()(graph, folder)


def stream(turtle: Path, name: str) -> Iterator[bytes]:
    """The export ``name`` streamed from a Turtle file, for the exports that can be."""
    if not get(name).from_turtle:
        raise StoreError(f"the {name} export cannot be streamed from {turtle}")
    return entry(_CONVERT_TURTLE)(turtle, name)
