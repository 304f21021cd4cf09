"""migkg: a knowledge graph of global migration governance, extracted with evidence."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("migkg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
