"""DATABASE_URL: checked at start with one clear line that never shows the password."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config.settings import Settings, describe
from retrieval.catalog import SqliteCatalog, open_catalog
from tests.helpers import make_settings

SECRET = "hunter2-secret"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            f"mysql://bot:{SECRET}@db:3306/coalition",
            "the scheme is 'mysql'; it must start with postgresql://",
        ),
        (f"postgresql://bot:{SECRET}@:5432/coalition", "it names no host"),
        (f"postgresql://bot:{SECRET}@db:5432/", "it names no database"),
        (f"postgresql://bot:{SECRET}@db:port/coalition", "it cannot be read as a URL: is the port a number"),
        # an unescaped / in the password ends the host early: the error must not quote what follows
        (f"postgresql://bot:{SECRET}/x@db:5432/coalition", "it cannot be read as a URL"),
    ],
)
def test_a_malformed_database_url_is_one_clear_line_without_the_password(url: str, reason: str) -> None:
    with pytest.raises(ValidationError) as error:
        Settings.model_validate({"database_url": url})
    line = describe(error.value)
    assert line.startswith("invalid setting: DATABASE_URL=(hidden): expected a PostgreSQL URL such as ")
    assert reason in line and SECRET not in line


def test_the_command_line_stops_on_a_malformed_database_url_with_that_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from config.settings import get_settings
    from retrieval import cli

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DATABASE_URL", f"postgresql://bot:{SECRET}@db:5432/")
    get_settings.cache_clear()
    try:
        assert cli.main(["stats", "--data-dir", str(tmp_path / "data")]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith("error: invalid setting: DATABASE_URL=(hidden): expected a PostgreSQL URL")
    assert "it names no database" in err and SECRET not in err and len(err.strip().splitlines()) == 1


def test_a_postgres_url_is_accepted_and_shown_without_user_or_password() -> None:
    settings = Settings.model_validate(
        {"database_url": f"postgres://bot:{SECRET}@db.internal:6543/coalition"}
    )
    assert settings.catalog_location == "PostgreSQL database 'coalition' on db.internal:6543"
    assert SECRET not in repr(settings) and SECRET not in str(settings.model_dump())


def test_without_database_url_the_catalog_is_the_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url="")  # an empty variable means the default
    assert settings.database_url is None
    catalog = open_catalog(settings)
    try:
        assert isinstance(catalog, SqliteCatalog)
        assert catalog.path == tmp_path / "data" / "catalog.sqlite3" and catalog.path.exists()
        assert settings.catalog_location == str(tmp_path / "data" / "catalog.sqlite3")
    finally:
        catalog.close()
