"""A PostgreSQL server that goes away and comes back: one line saying to try again shortly, never the
password, and the same process answering again once it is back (no restart)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.errors import friendly_message
from retrieval.errors import DatabaseUnavailable, SearchUnavailable
from retrieval.services import Services
from tests.helpers import make_settings, write_sample_corpus
from tests.postgres_server import PASSWORD, PostgresServer, find_binaries

pytestmark = pytest.mark.postgres

QUESTION = "When did Egypt join the ILRS?"


@pytest.fixture
def server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own, which it may stop and start (the session's is shared)."""
    binaries = find_binaries()
    assert binaries is not None, "PostgreSQL is needed (initdb and pg_ctl)"
    own = PostgresServer(binaries).start()
    try:
        yield own
    finally:
        own.stop()


@pytest.fixture
def services(tmp_path: Path, server: PostgresServer) -> Iterator[Services]:
    corpus = write_sample_corpus(tmp_path / "corpus")
    svc = Services(make_settings(tmp_path, corpus=corpus, database_url=server.create_database()))
    svc.reindex()
    yield svc
    svc.close()


def _refused_quickly(call: object, *args: object) -> DatabaseUnavailable:
    """Run the call, which must fail with DatabaseUnavailable within a few seconds; returns the error."""
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable) as refused:
        call(*args)  # type: ignore[operator]
    assert time.monotonic() - started < 10
    return refused.value


def test_answers_during_an_outage_say_try_again_shortly_and_resume_without_a_restart(
    services: Services, server: PostgresServer, caplog: pytest.LogCaptureFixture
) -> None:
    assert "6 December 2023" in services.answerer.answer(QUESTION).text
    server.pause()
    try:
        for _ in range(3):  # the first finds the pooled connections dead, the next ones a refused server
            error = _refused_quickly(services.answerer.answer, QUESTION)
            assert isinstance(error, SearchUnavailable)
            assert str(error).startswith("the PostgreSQL database 'test_")
            assert "cannot be reached right now (" in str(error) and str(error).endswith(
                "; try again shortly"
            )
            assert friendly_message(error) == "Search is unavailable right now; try again shortly."
        # a reindex and the status need the database too: the same line, as quickly
        assert str(_refused_quickly(services.reindex)).endswith("; try again shortly")
        assert str(_refused_quickly(services.stats)).endswith("; try again shortly")
    finally:
        server.resume()
    answer = services.answerer.answer(QUESTION)  # the same process, its pool renewed by itself
    assert "6 December 2023" in answer.text and answer.citations
    assert services.reindex().chunks_embedded == 0 and services.stats().reindexing is None
    assert PASSWORD not in caplog.text


def test_a_server_restarted_between_two_questions_goes_unnoticed(
    services: Services, server: PostgresServer
) -> None:
    assert "6 December 2023" in services.answerer.answer(QUESTION).text
    assert services.stats().runs  # every pool now holds a connection, which the restart will end
    server.pause()
    server.resume()
    # no call saw the outage: the dead connections are found at checkout and replaced, not reported
    assert "6 December 2023" in services.answerer.answer(QUESTION).text
    assert services.reindex().chunks_embedded == 0
    assert [r.outcome for r in services.stats().runs] == ["finished", "finished"]
