"""The exception hierarchy of migkg; only :mod:`migkg.cli` turns these into exit codes."""

from __future__ import annotations

__all__ = [
    "BuildError",
    "EmptyDocumentError",
    "EngineError",
    "InconsistentGraphError",
    "InputError",
    "MigKGError",
    "QueryError",
    "StoreError",
    "UnreadableDocumentError",
    "UnsupportedFormatError",
]


class MigKGError(Exception):
    """Base class of every error migkg raises on purpose."""

    exit_code = 2


class InputError(MigKGError):
    """A path or argument given by the user cannot be used."""


class UnreadableDocumentError(InputError):
    """A document is binary, corrupt, encrypted or in an encoding that cannot be decoded."""


class EmptyDocumentError(InputError):
    """A document holds no text (empty, whitespace only, or only markup)."""


class UnsupportedFormatError(InputError):
    """A file's type is not one migkg reads."""


class QueryError(MigKGError):
    """A SPARQL query is unknown, malformed, not read-only, or failed to run."""


class StoreError(MigKGError):
    """The graph store is missing, locked by another process, or damaged."""


class BuildError(MigKGError):
    """A build could not complete; the previous output is left as it was."""


class EngineError(MigKGError):
    """An extraction engine cannot start (e.g. Spark is not installed) or its job failed."""


class InconsistentGraphError(MigKGError):
    """The graph contradicts the ontology (HermiT finds it inconsistent) or does not conform to
    the SHACL shapes: a "no" answer, not a failure."""

    exit_code = 1
