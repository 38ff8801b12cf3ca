"""The library's one family of errors. Only kg.cli turns them into exits."""


class KgError(Exception):
    """Base class: the message says what went wrong and what to do about it."""


class SourceError(KgError):
    """A file could not be read: missing, empty, binary, unknown encoding or kind."""

    def __init__(self, path, message: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


class ExtractError(KgError):
    """A document was read but no layout fits it, or a layout could not parse it."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class StoreError(KgError):
    """Writing to or reading from a store (RDF, Neo4j) failed."""


class QueryError(KgError):
    """A canned or user query is unknown, malformed or missing a parameter."""
