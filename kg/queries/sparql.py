"""SPARQL texts: what govkg refuses to run (updates, SERVICE), and LATERAL rewritten for rdflib."""

from __future__ import annotations

import re

from kg.errors import QueryError

_SPARQL_TOKENS = re.compile("|".join((
    r"\#[^\n]*",                                  # a comment
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",             # a long string in '''
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',             # a long string in """
    r"'(?:[^'\\\n]|\\.)*'",                       # a string in '
    r'"(?:[^"\\\n]|\\.)*"',                       # a string in "
    r"<[^<>\"{}|^`\\\x00-\x20]*>",                # an IRI
    r"[?$]\w+",                                   # a variable
    r"[\w.-]*:[\w.:%-]*",                         # a prefixed name (ex:SERVICE is a name)
    r"(?P<word>[A-Za-z_]\w*)",                    # a keyword or a function name
)))


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _codepoint(m: re.Match) -> str:
    code = int(m.group(1) or m.group(2), 16)
    return chr(code) if code <= 0x10FFFF else m.group(0)


_UPDATES = frozenset("INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY WITH".split())


def check_sparql(text: str, where: str) -> None:
    """Refuse a SPARQL text that would change a store or make the engine ask another server:
    an update (LOAD, DELETE …: only queries are run, and the engines refuse updates as
    queries, but say so plainly) or a ``SERVICE`` clause (Oxigraph and rdflib send it over
    HTTP), also written with SPARQL's ``\\u`` escapes, which rdflib reads before it parses."""
    text = _CODEPOINT.sub(_codepoint, text)
    words = [m for m in _SPARQL_TOKENS.finditer(text) if m.group("word")]
    form = next((m for m in words if m.group("word").upper() not in ("PREFIX", "BASE")), None)
    for m in words:
        word = m.group("word").upper()
        line = text.count("\n", 0, m.start()) + 1
        if m is form and word in _UPDATES:
            raise QueryError(f"{where}:{line}: {word} is an update; govkg runs queries only (SELECT), "
                             "and never changes the graph from a query")
        if word == "SERVICE":
            raise QueryError(f"{where}:{line}: SERVICE would send the query to another server over the "
                             "network; govkg answers only from its own graph: remove the SERVICE clause")


_LATERAL_OPTIONAL = re.compile(r"LATERAL\s*\{\s*(?=OPTIONAL\s*\{)")   # LATERAL { OPTIONAL { … } }


def without_lateral(text: str) -> str:
    """``LATERAL { OPTIONAL { P } }`` as ``OPTIONAL { P }``, for evaluators without SPARQL
    1.2's LATERAL (rdflib): the same answers; LATERAL only makes Oxigraph evaluate P once
    per solution instead of for the whole graph before joining."""
    out, pos = [], 0
    for m in _LATERAL_OPTIONAL.finditer(text):
        if m.start() < pos:
            continue
        depth, i = 1, m.end()
        while depth and i < len(text):          # the brace that closes LATERAL's group
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if depth:
            raise QueryError("a LATERAL group of the query is not closed")
        out += [text[pos:m.start()], without_lateral(text[m.end():i - 1])]
        pos = i
    return "".join(out) + text[pos:]
