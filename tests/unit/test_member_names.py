"""Finding members by any name people type: fuzzy autocomplete and look-ups (shipped registry)."""

from __future__ import annotations

import pytest

from retrieval.member_names import NameFinder
from retrieval.services import Services


@pytest.fixture(scope="module")
def finder(starter_services: Services) -> NameFinder:
    return starter_services.name_finder()


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("pakstan", "Pakistan — ILRS 2023"),  # a typo
        ("s korea", "South Korea — Artemis Accords 2021"),  # word starts
        ("turkiye", "Türkiye — in neither coalition"),  # a real country in neither coalition
        ("Th", "Thailand — ILRS 2024 · Artemis Accords 2024"),  # a prefix before a substring (Ethiopia)
        ("emirati", "United Arab Emirates — Artemis Accords 2020 · ILRS unconfirmed 2023"),  # a demonym
        ("uae", "United Arab Emirates — Artemis Accords 2020 · ILRS unconfirmed 2023"),  # an alias
        ("phillipines", "Philippines — Artemis Accords 2025"),  # a common misspelling
        ("narit", "National Astronomical Research Institute of Thailand (NARIT) — ILRS 2023"),  # an acronym
        ("latvia", "Latvia — Artemis Accords announced 2025"),
    ],
)
def test_autocomplete_forgives_typos_and_labels_coalitions_with_years(
    finder: NameFinder, typed: str, first: str
) -> None:
    choices = finder.choices(typed)
    assert choices[0].label == first
    assert all(len(c.label) <= 100 and len(c.value) <= 100 for c in choices)
    assert "Ethiopia" not in [c.value for c in finder.choices("Th")]


def test_an_empty_box_offers_members_only(finder: NameFinder) -> None:
    choices = finder.choices("", limit=25)
    assert len(choices) == 25 and all("in neither coalition" not in c.label for c in choices)


def test_look_up_tells_a_member_a_non_member_country_and_an_unknown_name_apart(finder: NameFinder) -> None:
    thailand = finder.look_up("tailand")
    assert {m.coalition for m in thailand.rows} == {"ilrs", "artemis_accords"}
    turkey = finder.look_up("Turkey")
    assert (turkey.rows, turkey.country, turkey.as_of) == ([], "Türkiye", "2025-10-27")
    kenya = finder.look_up("kenya")
    assert kenya.country == "Kenya" and kenya.related == [
        "Kenya Advanced Institute of Science and Technology (KAIST)"
    ]
    unknown = finder.look_up("Atlantis")
    assert (unknown.rows, unknown.country, unknown.suggestions) == ([], "", [])
    wakanda = finder.look_up("Wakanda")
    assert wakanda.suggestions == ["Rwanda"]
