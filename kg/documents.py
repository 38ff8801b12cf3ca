"""One input file at a time: its job (the file, its manifest entry, the options), its document
(kg.sources), its extraction (kg.extract), and what the user should know about it.

These are the per-document steps every build runs, in whichever process reads the file (kg.shards,
driven by kg.build). A file that cannot be read or whose layout is not recognised becomes a
:class:`Failure` with its path and the reason; it does not stop the others.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Mapping, Optional

from kg.errors import KgError, SourceError
from kg.extract.plausible import checked
from kg.extract.registry import EXTRACTORS, best_extractor
from kg.model import NOTHING_READ, Document, Extraction, NormText, Problem
from kg.sources import document_files, read_document
from kg.sources.manifest import load_manifest, period_problem, period_year
from kg.sources.normalize import format_characters


@dataclass(frozen=True)
class Failure:
    path: str
    message: str


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The input files: each file named, and the readable files of each folder, sorted."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(document_files(p))
        elif p.exists():
            files.append(p)
        else:
            raise SourceError(p, "no such file or folder")
    return files


@dataclass(frozen=True)
class Job:
    """One input file and everything that decides how it is read."""

    path: Path
    entry: Optional[dict]                 # its manifest entry
    options: dict                         # command-line overrides that are set
    root: Optional[Path]                  # paths are stored relative to it
    resolved: Optional[Path] = None       # the absolute path, symlinks resolved

    def context(self) -> str:
        """What, besides the bytes, the cached extraction depends on."""
        return repr((str(self.resolved or self.path.resolve()), str(self.root),
                     sorted((self.entry or {}).items()), sorted(self.options.items())))


def jobs_for(paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]]
             ) -> tuple[list[Job], list[Failure]]:
    """The input files with their manifest entries; an unreadable manifest fails its files."""
    options = {k: v for k, v in (overrides or {}).items() if v is not None}
    manifests: dict[Path, dict | KgError] = {}
    jobs: list[Job] = []
    failures: list[Failure] = []
    taken: dict[str, Path] = {}            # document id → the file that has it
    cwd = Path.cwd().resolve()
    folders: dict[Path, Path] = {}         # a folder as given → resolved (once, not per file)
    for f in discover(paths):
        folder = folders.get(f.parent)
        if folder is None:
            folder = folders[f.parent] = f.parent.resolve()
        resolved = f.resolve() if f.is_symlink() else folder / f.name
        if folder not in manifests:
            try:
                manifests[folder] = load_manifest(folder)
            except KgError as e:
                manifests[folder] = e
        manifest = manifests[folder]
        if isinstance(manifest, KgError):
            failures.append(Failure(str(f), str(manifest)))
            continue
        entry = manifest.get(f.name)
        doc_id = (entry or {}).get("id") or f.stem
        if doc_id in taken:
            failures.append(Failure(str(f), f"{f}: document id {doc_id!r} is already taken by {taken[doc_id]}: "
                                            "rename the file or give it an `id` in manifest.toml"))
            continue
        taken[doc_id] = f
        jobs.append(Job(f, entry, options, cwd if resolved.is_relative_to(cwd) else None, resolved))
    return jobs, failures


def compact(doc: Document) -> Document:
    """The document with its offset map as an array of 32-bit offsets: a tuple of Python
    ints costs about 36 bytes a character, the array 4 (same indexing and bisect)."""
    offsets = doc.norm.offsets
    if isinstance(offsets, array) or len(doc.text) >= 2**32:
        return doc
    return replace(doc, norm=NormText(doc.norm.text, array("I", offsets)))


def read(job: Job) -> Document:
    return read_document(job.path, overrides=job.entry, options=job.options, root=job.root)


def extract(doc: Document) -> Extraction:
    extractor, fit = best_extractor(doc)
    x = checked(extractor.extract(doc))
    return x if x.fit == fit else replace(x, fit=fit)


def extraction_of(job: Job, doc: Optional[Document] = None
                  ) -> tuple[Optional[Extraction], Optional[Failure]]:
    """One file (or its ``doc`` when already read) to extraction: (extraction, None) or
    (None, failure)."""
    try:
        doc = doc or compact(read(job))
    except KgError as e:
        return None, Failure(str(job.path), str(e))
    try:
        return extract(doc), None
    except KgError as e:
        return None, Failure(doc.path, str(e))


def load_documents(
    paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]] = None
) -> tuple[list[Document], list[Failure]]:
    """Read every input file; manifest entries next to a file, then ``overrides``, win over detection."""
    jobs, failures = jobs_for(paths, overrides)
    docs: list[Document] = []
    for job in jobs:
        try:
            docs.append(read(job))
        except KgError as e:
            failures.append(Failure(str(job.path), str(e)))
    return docs, failures


def extraction_problems(extractions: Iterable[Extraction]) -> list[Problem]:
    """What the user should know about each document (:func:`document_problems`) and what its
    extractor reported, document after document."""
    return [p for x in extractions for p in (*document_problems(x), *x.problems)]


def document_problems(x: Extraction) -> list[Problem]:
    """What the user should know about a document as a whole: nothing read from it, no region
    or year, invisible characters ignored, a kind that disagrees with the layout that was read,
    a period that cannot be (detected from the text: an override that cannot be is an error) or
    is of another year."""
    doc, m = x.document, x.document.meta
    out = []
    if not any(t.level == 0 for t in x.tasks) and not x.indicators:
        out.append(Problem(doc.id, doc.path, 1, f"nothing was read from this document: no task, unit, "
                           f"leader or target (read as {x.layout})", code=NOTHING_READ))
    if not m.region:
        out.append(Problem(doc.id, doc.path, 1, "region not detected: its units are kept apart from "
                           "other documents'; give --region or a manifest.toml entry"))
    if m.year is None:
        out.append(Problem(doc.id, doc.path, 1, "year not detected: its targets are kept apart from other "
                           "documents'; give --year or a manifest.toml entry"))
    hidden = format_characters(doc.text)
    if hidden:
        out.append(Problem(doc.id, doc.path, 1, f"{hidden} invisible format characters (soft hyphens, "
                           "zero-width or direction marks) were ignored"))
    layout = next((e for e in EXTRACTORS if e.name == x.layout), None)
    kinds = getattr(layout, "kinds", (layout.kind,)) if layout else ()
    if m.kind and kinds and m.kind not in kinds and dict(m.sources).get("kind") != "detected":
        out.append(Problem(doc.id, doc.path, 1, f"kind is given as {m.kind} but the text reads as the "
                           f"{x.layout} layout ({', '.join(kinds)}): check --kind or the manifest"))
    if m.period:
        problem = period_problem(m.period)
        if problem:
            out.append(Problem(doc.id, doc.path, 1, f"{problem}: target statuses will be unknown"))
        elif m.year and period_year(m.period) not in (None, m.year):
            out.append(Problem(doc.id, doc.path, 1, f"period {m.period} is not of the document's year "
                               f"{m.year}: check --period, --year or the manifest"))
    return out
