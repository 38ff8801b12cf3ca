"""Names a user gives (a region, a unit, a leader) → the graph's nodes, or an error naming the
closest names the graph has: a value that names nothing is never an empty answer.

- a **region** by its name, its code or a short name the gazetteer knows for one region
  (长清 → 长清区); it stands for itself and every region PART_OF it;
- a **unit** by its name or any spelling seen (an alias), with its region in front for one
  region (长清区发展改革局); a district-generic name (区发展改革局) also selects the unit of the
  same function in every other region; a spelling variant compares by
  :func:`kg.resolve.units.canonical_key` (区人社局 = 区人力资源和社会保障局);
- a **leader** by name.
"""

from __future__ import annotations

import difflib
from typing import Iterable, Optional

from kg.errors import KgError

# A generic department name starts with its level: 区发展改革局 is a name every district uses.
_LEVEL_PREFIX = ("区", "县", "市")


class NameNotFound(KgError):
    """A name given by the user that the graph does not have; the message suggests the closest."""

    def __init__(self, kind: str, name: str, known: Iterable[str], where: str = ""):
        self.kind, self.name = kind, name
        self.suggestions = closest(name, known)
        hint = f"; did you mean {'、'.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no {kind} named {name!r}{where} in the graph{hint}")


def closest(name: str, known: Iterable[str], n: int = 5) -> list[str]:
    """The names most like ``name`` (difflib's ratio ≥ 0.5: 武义 → 武毅, 历下 → 历下区), best first."""
    return difflib.get_close_matches(name, sorted(set(known)), n=n, cutoff=0.5)


def _names(d: dict) -> list[str]:
    return [x for x in (d.get("name"), *(d.get("aliases") or ())) if x]


def _typed(g, type_: str, regions: Optional[set[str]] = None) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d.get("type") == type_
            and (regions is None or d.get("region") in regions)]


def _where(regions: Optional[set[str]], region: Optional[str]) -> str:
    return f" in {region}" if regions is not None and region else ""


def region_names(g, name: str) -> set[str]:
    """The names of the region ``name`` (a name, a code or a short name) and of every region
    PART_OF it; :class:`NameNotFound` with the closest region names when the graph has none."""
    from kg.resolve.regions import region_by_name, regions_named

    regions = {n: d for n, d in g.nodes(data=True) if d.get("type") == "Region"}
    wanted = {name}
    found = region_by_name(name)
    if found is None:
        short = regions_named(name, short=True)
        found = short[0] if len(short) == 1 else None
    if found is not None:
        wanted.add(found.name)
    roots = [n for n, d in regions.items() if wanted & {d.get("name"), d.get("code")}]
    if not roots:
        raise NameNotFound("region", name, (d.get("name") for d in regions.values() if d.get("name")))
    return regions_within(g, regions, roots)


def regions_within(g, regions: dict, roots: Iterable) -> set[str]:
    """The names of the region nodes ``roots`` and of every region PART_OF one of them
    (``regions``: the graph's Region nodes, id → attributes)."""
    out, todo = set(roots), list(roots)
    while todo:
        r = todo.pop()
        for child, _, k in g.in_edges(r, keys=True):
            if k == "PART_OF" and child in regions and child not in out:
                out.add(child)
                todo.append(child)
    return {regions[r]["name"] for r in out}


def units_named(g, name: str, regions: Optional[set[str]] = None, region: Optional[str] = None) -> set[str]:
    """The unit nodes ``name`` names (of ``regions`` when given); see the module docstring."""
    from kg.resolve.units import canonical_key, split_region_prefix

    units = _typed(g, "Unit", regions)
    name = "".join(name.split())
    found = {n for n in units if name in _names(g.nodes[n])}
    if not found:
        prefix, rest = split_region_prefix(name)
        if prefix is not None and rest != name:
            found = {n for n in units if g.nodes[n].get("region") == prefix.name and rest in _names(g.nodes[n])}
            name = rest if found else name
    if not found:
        key = canonical_key(name)
        found = {n for n in units if any(canonical_key(x) == key for x in _names(g.nodes[n]))}
    if not found:
        raise NameNotFound("unit", name, (x for n in units for x in _names(g.nodes[n])), _where(regions, region))
    return with_generic(g, units, found, name)


def with_generic(g, units: Iterable[str], found: set[str], name: str) -> set[str]:
    """``found`` (the units ``name`` names), and, when ``name`` is district-generic
    (区发展改革局), the unit of the same function in every other region among ``units``."""
    if not name.startswith(_LEVEL_PREFIX):
        return found
    functions = {frozenset(g.nodes[n].get("functions") or ()) for n in found} - {frozenset()}
    covered = {g.nodes[n].get("region") for n in found}
    return found | {n for n in units
                    if g.nodes[n].get("region") not in covered
                    and g.nodes[n].get("name", "").startswith(name[0])
                    and frozenset(g.nodes[n].get("functions") or ()) in functions}


def leaders_named(g, name: str, regions: Optional[set[str]] = None, region: Optional[str] = None) -> set[str]:
    """The leader nodes called ``name`` (of ``regions`` when given)."""
    leaders = _typed(g, "Leader", regions)
    found = {n for n in leaders if name.strip() in _names(g.nodes[n])}
    if not found:
        raise NameNotFound("leader", name, (x for n in leaders for x in _names(g.nodes[n])),
                           _where(regions, region))
    return found
