"""One clear line, with the fix, for a broken data folder, catalog, vector store or disk.

The command line, the terminal session and the bot pass an exception they did not expect through
`explain`: a read-only or unusable data folder, a full disk, a damaged catalog or vector store, a
PostgreSQL catalog that cannot be reached becomes a StorageError saying what is wrong and what to do; anything else stays unexpected (a
traceback, in the log).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from retrieval.errors import StorageError

_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, then what caused it (a library often wraps the OS error)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _inside(path: str | os.PathLike[str] | None, folder: Path) -> bool:
    if path is None:
        return True  # no file named: the data folder is what this process writes to
    named, folder = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return named.is_relative_to(folder) or folder.is_relative_to(named)  # in it, or on the way to it


def disk_full(where: str, detail: str) -> StorageError:
    return StorageError(
        f"no space left to write {where} ({detail}); free some space on that disk (or raise the file-size "
        "limit) and run the command again: nothing half-written is used"
    )


def unwritable(data_dir: Path, detail: str) -> StorageError:
    return StorageError(
        f"cannot write to the data folder {data_dir} ({detail}); make it writable for this user, or set "
        "DATA_DIR to a folder that is"
    )


def explain(exc: BaseException, data_dir: Path) -> StorageError | None:
    """The clear line for a storage failure behind `exc`, or None when it is something else."""
    data_dir = Path(data_dir)
    catalog, vectors = data_dir / "catalog.sqlite3", data_dir / "chroma"
    for cause in _chain(exc):
        if isinstance(cause, StorageError):
            return cause
        if isinstance(cause, sqlite3.Error):
            return _sqlite(cause, data_dir, catalog)
        if type(cause).__module__.startswith("chromadb"):
            return _chroma(cause, data_dir, vectors)
        if type(cause).__module__.startswith(("psycopg", "psycopg_pool")):
            return _postgres(cause)
        if isinstance(cause, OSError):
            return _os(cause, data_dir)
    return None


def _sqlite(exc: sqlite3.Error, data_dir: Path, catalog: Path) -> StorageError:
    message = _first_line(exc)
    lowered = message.lower()
    if "full" in lowered:
        return disk_full(str(catalog), message)
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return unwritable(data_dir, message)
    if "locked" in lowered or "busy" in lowered:
        return StorageError(f"the catalog {catalog} stayed locked by another process ({message}); try again")
    return StorageError(
        f"the catalog {catalog} is damaged ({message}); move it aside and run `python -m retrieval index` "
        "to rebuild it from the corpus"
    )


def _postgres(exc: BaseException) -> StorageError:
    """The server's or the driver's own words (they never carry the password), and where to look."""
    return StorageError(
        f"the PostgreSQL catalog cannot be used ({_first_line(exc)}); check DATABASE_URL, that the server "
        "is running and reachable, and that the user may connect to that database"
    )


def _chroma(exc: BaseException, data_dir: Path, vectors: Path) -> StorageError:
    message = _first_line(exc)
    lowered = message.lower()
    if "(code: 13)" in lowered or "disk is full" in lowered or "no space left" in lowered:
        return disk_full(str(vectors), message)
    if any(s in lowered for s in ("(code: 8)", "(code: 14)", "readonly", "read-only", "permission denied")):
        return unwritable(data_dir, message)
    return StorageError(
        f"the vector store {vectors} cannot be used ({message}); if it is damaged, move that folder aside "
        "and run `python -m retrieval index`: every chunk missing from it is re-embedded"
    )


def _os(exc: OSError, data_dir: Path) -> StorageError | None:
    detail = exc.strerror or _first_line(exc)
    name = exc.filename
    if exc.errno in _FULL:
        return disk_full(str(name or data_dir), detail)
    if not _inside(name, data_dir):
        return StorageError(f"cannot use {name}: {detail}")
    if exc.errno in _DENIED:
        return unwritable(data_dir, detail)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return StorageError(
            f"the data folder {data_dir} cannot be used: {name} is in the way ({detail}); move it aside, or "
            "set DATA_DIR to a folder that exists or can be created"
        )
    if name is None:  # not a file operation (a socket, say): not ours to explain
        return None
    return StorageError(f"cannot use {name} in the data folder {data_dir}: {detail}")
