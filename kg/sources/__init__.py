"""Read documents: one reader per kind of file, then normalization and metadata.

A reader is ``reader(path, doc_id) -> RawText`` (text, encoding, tables); a
new input format is one module and one line in :data:`READERS`.
:func:`read_document` picks the reader by suffix, normalizes the text,
detects the metadata and applies overrides from a manifest
(:mod:`kg.sources.manifest`) and from options (the CLI), recording in
``DocMeta.sources`` where each field came from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from pathlib import Path

from kg.errors import SourceError
from kg.model import PROGRESS, DocMeta, Document
from kg.sources import docx, html, pdf, text
from kg.sources.manifest import check_override, load_manifest
from kg.sources.metadata import detect_meta, detect_months
from kg.sources.normalize import normalize
from kg.sources.text import RawText

Reader = Callable[[Path, str], RawText]

READERS: dict[str, Reader] = {
    ".txt": text.read_text_file,
    ".md": text.read_text_file,
    ".docx": docx.read_docx,
    ".pdf": pdf.read_pdf_document,
    ".html": html.read_html_document,
    ".htm": html.read_html_document,
}

_META_FIELDS = tuple(f.name for f in fields(DocMeta) if f.name != "sources")


def _checked(overrides: Mapping[str, object] | None, path: Path, origin: str) -> dict:
    out = {}
    for key, value in (overrides or {}).items():
        try:
            out[key] = check_override(key, value)
        except ValueError as e:
            raise SourceError(path, f"{origin} override: {e}") from None
    return out


def _apply(meta: DocMeta, layers: list[tuple[str, dict]], norm_text: str) -> DocMeta:
    """Overrides on top of the detected metadata; a detected period follows the final kind and year."""
    values = {name: getattr(meta, name) for name in _META_FIELDS}
    origin = {name: "detected" for name in _META_FIELDS if values[name] is not None}
    for source, overrides in layers:
        for key, value in overrides.items():
            if key in values:
                values[key] = value
                origin[key] = source
    if origin.get("region") not in (None, "detected") and origin.get("region_code") == "detected":
        values["region_code"] = _code_of(values["region"], values["region_code"])
        if values["region_code"] is None:
            origin.pop("region_code")
    if "period" not in origin or origin["period"] == "detected":
        months = (detect_months(values["title"], norm_text)
                  if values["kind"] == PROGRESS else None)
        values["period"] = (f"{values['year']}年{months}" if months and values["year"]
                            else months)
        origin.pop("period", None)
        if months:
            origin["period"] = "detected"
    sources = tuple((name, origin[name]) for name in _META_FIELDS if name in origin)
    return replace(meta, **values, sources=sources)


def _code_of(name: str, detected: str | None) -> str | None:
    """The code of the region an override names: the detected one if it bears that name,
    else the only region of that name, else None (铁西区 of two cities)."""
    from kg.resolve.regions import region_by_code, regions_named

    found = region_by_code(detected) if detected else None
    if found is not None and found.name == name:
        return detected
    named = regions_named(name)
    return named[0].code if len(named) == 1 else None


def read_document(path: str | Path, *, doc_id: str | None = None,
                  overrides: Mapping[str, object] | None = None,
                  options: Mapping[str, object] | None = None,
                  root: str | Path | None = None) -> Document:
    """Read one document file into a :class:`Document` with its metadata.

    ``overrides`` (from the manifest) and then ``options`` (from the command
    line) replace detected fields: region, year, kind, title, period, date,
    author, post, id. The id is ``doc_id`` if given, else the overrides' id,
    else the file stem. ``path`` is stored relative to ``root`` when given.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError(path, f"unknown kind of file {path.suffix or '(no suffix)'!r}; "
                                f"known kinds: {', '.join(sorted(READERS))}")
    if not path.is_file():
        raise SourceError(path, "no such file")
    layers = [("manifest", _checked(overrides, path, "manifest")),
              ("option", _checked(options, path, "option"))]
    ids = [layer.get("id") for _, layer in layers if layer.get("id")]
    doc_id = doc_id or (ids[-1] if ids else path.stem)
    raw = reader(path, doc_id)
    norm = normalize(raw.text)
    meta = _apply(detect_meta(raw.text, norm.text), layers, norm.text)
    return Document(id=doc_id, path=_stored_path(path, root), text=raw.text, norm=norm,
                    encoding=raw.encoding, tables=raw.tables, page_starts=raw.page_starts, meta=meta)


def _stored_path(path: Path, root: str | Path | None) -> str:
    if root is None:
        return path.as_posix()
    try:
        return path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def document_files(directory: str | Path) -> list[Path]:
    """The files of a folder that are documents: a known suffix, in name order.

    A README and Word's ``~$`` lock files are not documents.
    """
    return sorted(p for p in Path(directory).iterdir()
                  if p.is_file() and p.suffix.lower() in READERS
                  and not p.name.startswith("~$")            # Word's lock files
                  and not p.stem.upper().startswith("README"))


def read_directory(directory: str | Path, *, root: str | Path | None = None) -> list[Document]:
    """Every document of a folder, with its manifest applied."""
    manifest = load_manifest(directory)
    return [read_document(p, overrides=manifest.get(p.name), root=root) for p in document_files(directory)]


__all__ = ["READERS", "Reader", "RawText", "document_files", "read_document", "read_directory",
           "load_manifest"]
