"""The layout extractors, and the choice of one for a document by fit.

A new layout is one new module and one line in :data:`EXTRACTORS`.
"""

from __future__ import annotations

from kg.errors import ExtractError
from kg.extract.base import Extractor
from kg.extract.layouts.markers import MARKERS
from kg.extract.layouts.narrative import NARRATIVE
from kg.extract.layouts.progress_table import PROGRESS_TABLE
from kg.model import Document

# The cheap fits first: a progress table or a speech to the deputies (各位代表, 我代表…人民政府,
# no annotation bracket, no table) is known without the markers reading the whole document.
EXTRACTORS: list[Extractor] = [PROGRESS_TABLE, NARRATIVE, MARKERS]

MIN_FIT = 0.2    # below this no layout is believed


PERFECT = 1.0    # fits are shares (0..1): a perfect fit cannot be beaten, only tied


def best_extractor(doc: Document) -> tuple[Extractor, float]:
    """The extractor that fits ``doc`` best, and its fit (the first one wins a tie, so the
    first perfect fit ends the search: the later layouts need not read the document)."""
    scored = []
    for k, ex in enumerate(EXTRACTORS):
        scored.append((ex.fit(doc), k, ex))
        if scored[-1][0] >= PERFECT:
            return ex, scored[-1][0]
    fit, _, ex = max(scored, key=lambda t: (t[0], -t[1]))
    if fit < MIN_FIT:
        fits = ", ".join(f"{e.name}={f:.2f}" for f, _, e in scored)
        raise ExtractError(doc.path, f"no known layout: every fit is below {MIN_FIT} ({fits})")
    return ex, fit
