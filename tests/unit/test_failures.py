"""Which failures get a line with the fix (storage), and which stay unexpected."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from retrieval.failures import explain

DATA = Path("/srv/coalition/data")


@pytest.mark.parametrize(
    ("exc", "starts"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "no space left to write /srv/coalition/data "),
        (
            OSError(errno.EROFS, "Read-only file system", str(DATA / "index.lock")),
            "cannot write to the data folder",
        ),
        (sqlite3.OperationalError("attempt to write a readonly database"), "cannot write to the data folder"),
        (
            sqlite3.DatabaseError("file is not a database"),
            "the catalog /srv/coalition/data/catalog.sqlite3 is damaged",
        ),
        (
            sqlite3.OperationalError("database or disk is full"),
            "no space left to write /srv/coalition/data/catalog",
        ),
        (
            NotADirectoryError(errno.ENOTDIR, "Not a directory", str(DATA)),
            "the data folder /srv/coalition/data cannot",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "/home/me/report.pdf"),
            "cannot use /home/me/report.pdf",
        ),
    ],
)
def test_storage_failures_get_a_line_with_the_fix(exc: BaseException, starts: str) -> None:
    failure = explain(exc, DATA)
    assert failure is not None and str(failure).startswith(starts), failure


def test_a_wrapped_os_error_is_found_behind_the_library_error() -> None:
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as inner:
            raise RuntimeError("the library failed") from inner
    except RuntimeError as outer:
        failure = explain(outer, DATA)
    assert failure is not None and str(failure).startswith("no space left to write")


@pytest.mark.parametrize(
    "exc",
    [ValueError("a bug"), KeyError("x"), ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")],
)
def test_other_failures_stay_unexpected(exc: BaseException) -> None:
    assert explain(exc, DATA) is None
