"""The members registry: validation that names the row, atomic reloads, aliases and look-ups."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from retrieval.errors import RegistryError, UnknownName
from retrieval.members_registry import (
    FIELDS,
    Registry,
    RegistryHolder,
    fold,
    human_date,
    load_registry,
    parse_as_of,
)
from tests.conftest import REPO

REGISTRY = REPO / "corpus" / "members.csv"
SHARED_FACTS = REPO.parent / "shared" / "facts" / "members.csv"
ARTICLE_IDS = {p.stem for p in (REPO / "corpus" / "articles").glob("*.md")}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(REGISTRY, ARTICLE_IDS)


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(**over: str) -> dict[str, str]:
    row = {
        "coalition": "ilrs",
        "member": "Egypt",
        "member_type": "country",
        "joined": "2023-12-06",
        "status": "member",
        "order": "8",
        "article": "egypt",
        "sources": "https://e.org/a",
        "notes": "",
    }
    row.update(over)
    return row


def test_every_row_article_exists_and_names_the_member_with_its_date(registry: Registry) -> None:
    for m in registry.rows:
        body = (REPO / "corpus" / "articles" / f"{m.article}.md").read_text(encoding="utf-8")
        names = [
            m.member,
            re.sub(r"\s*\(.*?\)", "", m.member).split(",")[0],
            *re.findall(r"\(([^)]+)\)", m.member),
        ]
        assert any(n and n in body for n in names), f"{m.article} does not name {m.member}"
        assert m.joined_human in body, f"{m.article} does not state {m.member}'s date {m.joined_human}"


def test_the_body_a_member_signed_with_is_named_beside_it_in_the_rows_article(registry: Registry) -> None:
    partnered = [m for m in registry.rows if m.signed_with]
    assert {m.signed_with for m in partnered} == {
        "China National Space Administration (CNSA)",
        "Deep Space Exploration Laboratory (DSEL)",
    }
    for m in partnered:
        body = (REPO / "corpus" / "articles" / f"{m.article}.md").read_text(encoding="utf-8")
        member = re.sub(r"\s*\(.*?\)", "", m.member).split(",")[0]
        short = re.findall(r"\(([^)]+)\)", m.signed_with)[0]
        assert any(member in s and short in s for s in re.split(r"(?<=[.!?])\s+", body)), m.member


def test_a_registry_without_the_optional_columns_loads(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.csv", [_row()])
    assert "signed_with" not in path.read_text(encoding="utf-8")
    assert [m.signed_with for m in load_registry(path, {"egypt"}).rows] == [""]


@pytest.mark.skipif(not SHARED_FACTS.exists(), reason="shared facts not beside this checkout")
def test_registry_covers_every_member_of_the_shared_facts_with_the_same_dates(registry: Registry) -> None:
    with SHARED_FACTS.open(encoding="utf-8") as fh:
        facts = list(csv.DictReader(fh))
    ours = {(m.coalition, m.member): m for m in registry.rows}
    for fact in facts:
        row = ours.get((fact["coalition"], fact["member"]))
        assert row is not None, f"missing {fact['coalition']} {fact['member']}"
        assert row.joined == fact["joined"], (fact["member"], row.joined, fact["joined"])
        # the facts file files the Isle of Man (a Crown Dependency) under organisation with a note saying it is a
        # territory; the registry gives it that type of its own
        refined = row.member_type == "territory" and "territory" in fact["notes"]
        assert row.member_type == fact["member_type"] or refined
        assert fact["source"] in row.sources
    assert len(ours) == len(facts)


def test_caveated_members_keep_their_status(registry: Registry) -> None:
    assert [m.status for m in registry.member("Latvia")] == ["announced"]
    assert {m.coalition: m.status for m in registry.member("UAE")} == {
        "artemis_accords": "member",
        "ilrs": "unconfirmed",
    }


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"coalition": "gateway"}, "unknown coalition 'gateway'"),
        ({"joined": "2023-13-01"}, "joined '2023-13-01' is not a date"),
        ({"joined": "Dec 2023"}, "is not a date"),
        ({"article": "no-such-article"}, "article 'no-such-article' is not in the corpus"),
        ({"status": "maybe"}, "status must be one of"),
        ({"member_type": "planet"}, "member_type must be"),
        ({"sources": "not-a-url"}, "sources must be"),
        ({"order": "first"}, "order must be a whole number"),
    ],
)
def test_invalid_row_is_refused_naming_the_row(tmp_path: Path, bad: dict[str, str], message: str) -> None:
    path = _write(tmp_path / "m.csv", [_row(member="Pakistan", article="egypt"), _row(**bad)])
    with pytest.raises(RegistryError, match=re.escape(message)) as err:
        load_registry(path, {"egypt"})
    assert "m.csv line 3 (Egypt)" in str(err.value)


def test_duplicate_member_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.csv", [_row(), _row(member="egypt ")])
    with pytest.raises(RegistryError, match=r"line 3 .*duplicate member \(already on line 2\)"):
        load_registry(path, {"egypt"})


def test_a_bad_reload_keeps_the_previous_registry(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.csv", [_row()])
    holder = RegistryHolder(path)
    first = holder.get()
    _write(path, [_row(), _row(member="Serbia", joined="someday")])
    with pytest.raises(RegistryError):
        holder.reload({"egypt"})
    assert holder.get() is first and [m.member for m in holder.get().rows] == ["Egypt"]
    assert holder.last_error and "someday" in holder.last_error


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("South Korea", "South Korea"),
        ("Republic of Korea", "South Korea"),
        ("UAE", "United Arab Emirates"),
        ("uk", "United Kingdom"),
        ("US", "United States"),
        ("USA", "United States"),
        ("Czechia", "Czech Republic"),
        ("the Netherlands", "Netherlands"),
        ("phillipines", "Philippines"),
        ("azerbajan", "Azerbaijan"),
        ("SARAO", "South African Radio Astronomy Observatory (SARAO)"),
        ("Türkiye", None),
        ("Turkey", None),
    ],
)
def test_common_aliases_resolve(registry: Registry, alias: str, name: str | None) -> None:
    if name is None:  # Türkiye only showed interest: not in the registry, and said so
        with pytest.raises(UnknownName, match="not in the members registry"):
            registry.resolve_member(alias)
    else:
        assert registry.resolve_member(alias) == name


def test_members_are_listed_in_joining_order_with_a_count_line(registry: Registry) -> None:
    listing = registry.members("artemis")
    names = [m.member for m in listing.members]
    assert len([m for m in listing.members if m.member_type == "country"]) == 59
    assert (
        names.index("Ukraine")
        < names.index("South Korea")
        < names.index("Finland")
        < names.index("Philippines")
    )
    assert [m.member for m in listing.others] == ["Latvia"]
    assert listing.count_line().startswith("Artemis Accords: 59 signatory countries")
    assert "announced, not counted: Latvia" in listing.count_line()


def test_as_of_and_type_filters(registry: Registry) -> None:
    end_2024 = registry.members("artemis_accords", as_of="2024", member_type="country")
    assert len(end_2024.members) == 52 and "as of 31 December 2024" in end_2024.count_line()
    oct_2023 = registry.members("ilrs", as_of="2023-10-31", member_type="country")
    assert [m.member for m in oct_2023.members] == [
        "China",
        "Russia",
        "Venezuela",
        "South Africa",
        "Azerbaijan",
        "Pakistan",
        "Belarus",
    ]
    orgs = registry.members("ilrs", member_type="organisation")
    assert orgs.members and all(m.member_type == "organisation" for m in orgs.members)


def test_member_lookup_and_overlap(registry: Registry) -> None:
    thailand = {m.coalition: m.joined for m in registry.member("thailand")}
    assert thailand == {"ilrs": "2024-04-05", "artemis_accords": "2024-12-16"}
    overlap = {a.member: (a.joined, b.joined, b.status) for a, b in registry.overlap()}
    assert overlap["Thailand"] == ("2024-12-16", "2024-04-05", "member")
    assert overlap["Senegal"] == ("2025-07-24", "2024-09-05", "member")
    assert overlap["United Arab Emirates"][2] == "unconfirmed"


def test_unknown_names_get_the_nearest_suggestions(registry: Registry) -> None:
    with pytest.raises(UnknownName) as err:
        registry.member("Kenya")
    assert err.value.suggestions[0].startswith("Kenya Advanced Institute")
    with pytest.raises(UnknownName, match="choose one of: artemis_accords, ilrs"):
        registry.members("gateway")
    assert registry.search_names("ph")[:1] == ["Philippines"]
    assert "United Arab Emirates" in registry.search_names("uae")


@pytest.mark.parametrize(
    ("text", "iso"), [("2024", "2024-12-31"), ("2024-02", "2024-02-29"), ("2023-10-26", "2023-10-26")]
)
def test_as_of_dates(text: str, iso: str) -> None:
    assert parse_as_of(text).isoformat() == iso


def test_date_and_name_helpers() -> None:
    assert human_date("2023-12-06") == "6 December 2023" and human_date("2023-10") == "October 2023"
    assert fold("Türkiye") == "turkiye"
    with pytest.raises(UnknownName):
        parse_as_of("yesterday")


def test_the_shipped_events_are_dated_by_the_articles_they_cite(registry: Registry) -> None:
    """Every event in corpus/events.csv cites an article that states its date in words."""
    assert len(registry.events) >= 8
    for event in registry.events:
        text = (REPO / "corpus" / "articles" / f"{event.article}.md").read_text(encoding="utf-8")
        assert human_date(event.date) in text, event


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("artemis_accords,the meeting in Milan,milan meeting,14-10-2024,egypt", "is not a date"),
        ("artemis_accords,the meeting in Milan,milan meeting,2024-10-14,nowhere", "is not in the corpus"),
        ("mars_pact,the meeting in Milan,milan meeting,2024-10-14,egypt", "unknown coalition"),
        ("artemis_accords,the meeting in Milan,,2024-10-14,egypt", "at least one name"),
    ],
)
def test_an_invalid_event_is_refused_naming_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = _write(tmp_path / "members.csv", [_row()])
    (tmp_path / "events.csv").write_text(
        "coalition,event,names,date,article\n" + line + "\n", encoding="utf-8"
    )
    with pytest.raises(RegistryError, match=f"events.csv line 2: .*{message}"):
        load_registry(path, {"egypt"})
