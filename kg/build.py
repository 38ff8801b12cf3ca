"""The pipeline: files → documents → extractions → resolved names → one graph.

``build_graph(paths)`` is what ``kg build`` runs. A file that cannot be read or
whose layout is not recognised does not stop the others: it is listed in
``BuildResult.failures`` with its path and the reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Optional

from kg.errors import KgError, SourceError
from kg.model import Document, Extraction, Problem


@dataclass(frozen=True)
class Failure:
    path: str
    message: str


@dataclass
class BuildResult:
    graph: object                                   # networkx.MultiDiGraph
    extractions: list[Extraction] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def documents(self) -> list[Document]:
        return [x.document for x in self.extractions]


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The input files: each file named, and the readable files of each folder, sorted."""
    from kg.sources import document_files

    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(document_files(p))
        elif p.exists():
            files.append(p)
        else:
            raise SourceError(p, "no such file or folder")
    return files


def _root(path: Path) -> Path | None:
    """Store paths relative to the working directory when the file lies below it."""
    cwd = Path.cwd().resolve()
    return cwd if path.resolve().is_relative_to(cwd) else None


def load_documents(
    paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]] = None
) -> tuple[list[Document], list[Failure]]:
    """Read every input file; manifest entries next to a file, then ``overrides``, win over detection."""
    from kg.sources import read_document
    from kg.sources.manifest import load_manifest

    manifests: dict[Path, dict] = {}
    docs: list[Document] = []
    failures: list[Failure] = []
    for f in discover(paths):
        folder = f.parent.resolve()
        try:
            if folder not in manifests:
                manifests[folder] = load_manifest(folder)
            entry = manifests[folder].get(f.name)
            options = {k: v for k, v in (overrides or {}).items() if v is not None}
            docs.append(read_document(f, overrides=entry, options=options, root=_root(f)))
        except KgError as e:
            failures.append(Failure(str(f), str(e)))
    return docs, failures


def extract_documents(docs: Iterable[Document]) -> tuple[list[Extraction], list[Failure]]:
    from kg.extract.registry import best_extractor

    extractions: list[Extraction] = []
    failures: list[Failure] = []
    for doc in docs:
        try:
            extractor, fit = best_extractor(doc)
            x = extractor.extract(doc)
            if x.fit != fit:
                from dataclasses import replace

                x = replace(x, fit=fit)
            extractions.append(x)
        except KgError as e:
            failures.append(Failure(doc.path, str(e)))
    return extractions, failures


def build_from_extractions(extractions: list[Extraction]):
    """Resolve unit names per region and assemble the graph (see kg.graph)."""
    from kg.graph import assemble
    from kg.resolve.units import resolve_units

    names: dict[str, Counter] = defaultdict(Counter)
    for x in extractions:
        region = x.document.meta.region or ""
        for t in x.tasks:
            for u in t.units:
                names[region][u.name] += 1
    identities = resolve_units({r: dict(c) for r, c in names.items()})
    return assemble(extractions, identities)


def build_graph(
    paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]] = None
) -> BuildResult:
    """Read, extract, resolve and assemble; failures are collected, not raised."""
    docs, failures = load_documents(paths, overrides)
    extractions, more = extract_documents(docs)
    failures.extend(more)
    graph, problems = build_from_extractions(extractions)
    all_problems = [p for x in extractions for p in x.problems] + problems
    return BuildResult(graph, extractions, failures, all_problems)
