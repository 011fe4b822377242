"""The core's own error types. Each maps to one friendly line in the CLI and in the bot."""

from __future__ import annotations


class RetrievalError(Exception):
    """Base class for expected, user-explainable failures."""


class CorpusNotFound(RetrievalError):
    """The corpus folder does not exist or is not a folder."""


class CorpusUnreadable(RetrievalError):
    """The corpus folder (or a folder in it) cannot be listed; the index is left as it was."""


class StorageError(RetrievalError):
    """The data folder, catalog, vector store or disk cannot be used as they are; the message says how to fix it."""


class ModelMismatch(RetrievalError):
    """The index was built with another embedding model; it is refused, never mixed."""


class IndexEmpty(RetrievalError):
    """Nothing has been indexed yet."""


class IndexBusy(RetrievalError):
    """A reindex is already running."""

    def __init__(self, message: str, holder: str | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class SearchUnavailable(RetrievalError):
    """The vector store (for example a Chroma server) cannot be reached right now."""


class DatabaseUnavailable(SearchUnavailable):
    """The PostgreSQL database (DATABASE_URL) cannot be reached right now; answers, votes and reindexes wait
    until it is back."""


class BadInput(RetrievalError):
    """A question or argument that cannot be used as given."""


class RegistryError(RetrievalError):
    """The members registry is invalid; the previous registry stays in use."""


class UnknownName(RetrievalError):
    """An unknown coalition or member, with the nearest valid names."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class ProposalError(RetrievalError):
    """A registry proposal cannot be decided as asked: unknown, decided already, or its row is invalid."""
