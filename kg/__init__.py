"""govkg: Chinese government work documents → a knowledge graph of who is responsible for what."""

from kg.build import build_graph, load_documents

__version__ = "0.1.0"
__all__ = ["build_graph", "load_documents", "__version__"]
