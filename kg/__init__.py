"""govkg: Chinese government work documents → a knowledge graph of who is responsible for what."""

__version__ = "0.1.0"
__all__ = ["build_graph", "load_documents", "__version__"]


def __getattr__(name: str):
    """The entry points, imported when first asked for: every ``kg`` command imports this
    package first, and ``kg --help`` should not load the whole pipeline (kg.build imports
    every reader, layout and resolver: a fifth of a second)."""
    if name == "build_graph":
        from kg.build import build_graph

        return build_graph
    if name == "load_documents":
        from kg.documents import load_documents

        return load_documents
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
