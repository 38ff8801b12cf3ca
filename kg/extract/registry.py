"""The layout extractors, and the choice of one for a document by fit.

A new layout is one new module and one line in :data:`EXTRACTORS`.
"""

from __future__ import annotations

from kg.errors import ExtractError
from kg.extract.base import Extractor
from kg.extract.division_list import DIVISION_LIST
from kg.extract.division_table import DIVISION_TABLE
from kg.extract.inline import INLINE
from kg.extract.narrative import NARRATIVE
from kg.extract.progress_table import PROGRESS_TABLE
from kg.model import Document

EXTRACTORS: list[Extractor] = [DIVISION_LIST, INLINE, PROGRESS_TABLE, DIVISION_TABLE, NARRATIVE]

MIN_FIT = 0.2    # below this no layout is believed


def best_extractor(doc: Document) -> tuple[Extractor, float]:
    """The extractor that fits ``doc`` best, and its fit (the first one wins a tie)."""
    scored = [(ex.fit(doc), k, ex) for k, ex in enumerate(EXTRACTORS)]
    fit, _, ex = max(scored, key=lambda t: (t[0], -t[1]))
    if fit < MIN_FIT:
        fits = ", ".join(f"{e.name}={f:.2f}" for f, _, e in scored)
        raise ExtractError(doc.path, f"no known layout: every fit is below {MIN_FIT} ({fits})")
    return ex, fit
