"""The terminal session keeps going whatever one command does."""

from __future__ import annotations

import sqlite3

import pytest

from bot.terminal import TerminalSession
from retrieval.services import Services


def test_an_unexpected_error_in_one_command_is_one_line_and_the_next_command_runs(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.reindex()
    session = TerminalSession(services)

    def broken() -> None:
        raise RuntimeError("the registry exploded")

    monkeypatch.setattr(services.registry, "get", broken)
    assert (
        session.handle("overlap")
        == "error: overlap failed (RuntimeError: the registry exploded); the session goes on"
    )
    answer = session.handle("when did egypt join the ilrs?")
    assert answer is not None and "6 December 2023" in answer


def test_a_storage_failure_in_the_session_gets_the_line_with_the_fix(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.reindex()
    session = TerminalSession(services)

    def damaged() -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(services.catalog, "documents", damaged)
    catalog = services.settings.data_dir / "catalog.sqlite3"
    assert session.handle("sources") == (
        f"error: the catalog {catalog} is damaged (database disk image is malformed); move it aside and run "
        "`python -m retrieval index` to rebuild it from the corpus"
    )
    assert session.handle("help") is not None and session.handle("quit") is None
