"""The world's countries and regions, as people name them, from kept libraries.

Country names, alternative spellings and demonyms come from countryinfo's data files; continents,
UN sub-regions and groupings (EU, G7, Latin America and the Caribbean, the Middle East) from
country_converter's classification table. Both ship their data; nothing is downloaded. Built once
per process (about a second, mostly importing pandas for country_converter), then read-only.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass

log = logging.getLogger(__name__)


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: 'Türkiye' -> 'turkiye', "Côte d'Ivoire" -> 'cote d ivoire'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9&]+", " ", text).split())


@dataclass(frozen=True)
class Country:
    """One country (or territory) of the world."""

    iso3: str
    name: str  # the common English name, e.g. "Türkiye"
    names: tuple[str, ...]  # folded names, alternative spellings and demonyms it is called by


@dataclass(frozen=True)
class Region:
    """A named group of countries, defined by a library classification."""

    key: str
    label: str  # "Africa", "Southeast Asia", "Latin America"
    members: frozenset[str]  # ISO3 codes


# How people name regions -> (label, how the library defines it). Each definition is a list of
# (country_converter column, value) pairs whose countries are united; "+ISO3"/"-ISO3" adjust a grouping
# where common usage differs from the classification (Egypt and Türkiye are usually counted in the
# Middle East; the Nordic countries have no column of their own).
_REGIONS: dict[str, tuple[str, list[tuple[str, str]], tuple[str, ...]]] = {
    "africa": ("Africa", [("continent", "Africa")], ("africa", "african")),
    "north_africa": (
        "North Africa",
        [("UNregion", "Northern Africa")],
        ("north africa", "north african", "northern africa"),
    ),
    "west_africa": (
        "West Africa",
        [("UNregion", "Western Africa")],
        ("west africa", "west african", "western africa"),
    ),
    "east_africa": (
        "East Africa",
        [("UNregion", "Eastern Africa")],
        ("east africa", "east african", "eastern africa"),
    ),
    "southern_africa": ("Southern Africa", [("UNregion", "Southern Africa")], ("southern africa",)),
    "central_africa": (
        "Central Africa",
        [("UNregion", "Middle Africa")],
        ("central africa", "central african"),
    ),
    "sub_saharan_africa": (
        "Sub-Saharan Africa",
        [("REMIND", "SSA")],
        ("sub saharan africa", "sub saharan", "subsaharan"),
    ),
    "europe": ("Europe", [("continent", "Europe"), ("EU27", "EU27")], ("europe", "european", "europeans")),
    "eu": ("the European Union", [("EU27", "EU27")], ("european union", "eu", "eu member", "eu members")),
    "eastern_europe": (
        "Eastern Europe",
        [("UNregion", "Eastern Europe")],
        ("eastern europe", "east europe", "eastern european", "east european"),
    ),
    "western_europe": (
        "Western Europe",
        [("UNregion", "Western Europe")],
        ("western europe", "west europe", "western european", "west european"),
    ),
    "northern_europe": (
        "Northern Europe",
        [("UNregion", "Northern Europe")],
        ("northern europe", "north europe", "northern european"),
    ),
    "southern_europe": (
        "Southern Europe",
        [("UNregion", "Southern Europe")],
        ("southern europe", "south europe", "southern european"),
    ),
    "central_europe": (
        "Central Europe",
        [("ISO3", f"+{c}") for c in ("AUT", "CZE", "DEU", "HUN", "LIE", "POL", "SVK", "SVN", "CHE")],
        ("central europe", "central european", "central europeans"),
    ),
    "central_eastern_europe": (
        "Central and Eastern Europe",
        [("UNregion", "Eastern Europe")]
        + [("ISO3", f"+{c}") for c in ("EST", "LVA", "LTU", "SVN", "HRV", "SRB", "BIH", "MNE", "MKD", "ALB")],
        (
            "central and eastern europe",
            "central and eastern european",
            "central eastern europe",
            "central eastern european",
            "cee",
            "east central europe",
        ),
    ),
    "baltic": (
        "the Baltic states",
        [("ISO3", "+EST"), ("ISO3", "+LVA"), ("ISO3", "+LTU")],
        ("baltic", "baltics", "baltic states", "baltic countries"),
    ),
    "nordic": (
        "the Nordic countries",
        [("ISO3", "+DNK"), ("ISO3", "+FIN"), ("ISO3", "+ISL"), ("ISO3", "+NOR"), ("ISO3", "+SWE")],
        ("nordic", "nordics", "scandinavia", "scandinavian"),
    ),
    "asia": ("Asia", [("continent", "Asia")], ("asia", "asian", "asians")),
    "southeast_asia": (
        "Southeast Asia",
        [("UNregion", "South-eastern Asia")],
        ("southeast asia", "south east asia", "southeast asian", "south east asian", "asean"),
    ),
    "east_asia": ("East Asia", [("UNregion", "Eastern Asia")], ("east asia", "east asian", "eastern asia")),
    "south_asia": (
        "South Asia",
        [("UNregion", "Southern Asia")],
        ("south asia", "south asian", "southern asia"),
    ),
    "central_asia": ("Central Asia", [("UNregion", "Central Asia")], ("central asia", "central asian")),
    "western_asia": (
        "Western Asia",
        [("UNregion", "Western Asia")],
        ("western asia", "west asia", "west asian"),
    ),
    "middle_east": (
        "the Middle East",
        [("IMAGE", "Middle East"), ("IMAGE", "Turkey"), ("ISO3", "+EGY")],
        ("middle east", "middle eastern", "mideast", "mid east"),
    ),
    "gulf": (
        "the Gulf states",
        [
            ("ISO3", "+BHR"),
            ("ISO3", "+KWT"),
            ("ISO3", "+OMN"),
            ("ISO3", "+QAT"),
            ("ISO3", "+SAU"),
            ("ISO3", "+ARE"),
        ],  # the Gulf Cooperation Council's members
        (
            "gulf",
            "gulf states",
            "gulf countries",
            "gulf state",
            "gcc",
            "persian gulf",
            "arabian gulf",
            "arab gulf",
        ),
    ),
    "arab": (
        "the Arab world",
        [
            ("ISO3", f"+{c}")
            for c in (
                "DZA",
                "BHR",
                "COM",
                "DJI",
                "EGY",
                "IRQ",
                "JOR",
                "KWT",
                "LBN",
                "LBY",
                "MRT",
                "MAR",
                "OMN",
                "PSE",
                "QAT",
                "SAU",
                "SOM",
                "SDN",
                "SYR",
                "TUN",
                "ARE",
                "YEM",
            )
        ],  # the Arab League's members
        (
            "arab",
            "arabs",
            "arab world",
            "arab countries",
            "arab states",
            "arab nations",
            "arab league",
            "arabic",
        ),
    ),
    "americas": ("the Americas", [("continent", "America")], ("americas",)),
    "latin_america": (
        "Latin America",
        [("MESSAGE", "LAC")],
        ("latin america", "latin american", "latam", "latin"),
    ),
    "south_america": (
        "South America",
        [("Continent_7", "South America")],
        ("south america", "south american"),
    ),
    "north_america": (
        "North America",
        [("Continent_7", "North America")],
        ("north america", "north american"),
    ),
    "central_america": (
        "Central America",
        [("UNregion", "Central America")],
        ("central america", "central american"),
    ),
    "caribbean": ("the Caribbean", [("UNregion", "Caribbean")], ("caribbean",)),
    "oceania": ("Oceania", [("continent", "Oceania")], ("oceania", "pacific", "australasia")),
    "g7": ("the G7", [("G7", "G7")], ("g7", "g 7")),
    # the library counts every EU member state in the G20; the G20's members are 19 countries (three of them in
    # the EU), the EU and the African Union
    "g20": (
        "the G20",
        [("G20", "G20"), ("EU27", "-EU27"), ("ISO3", "+DEU"), ("ISO3", "+FRA"), ("ISO3", "+ITA")],
        ("g20", "g 20"),
    ),
    "oecd": ("the OECD", [("OECD", "OECD")], ("oecd",)),
}


class Places:
    """Countries and regions by every name the libraries know."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.regions: dict[str, Region] = {}
        self.phrases: dict[str, tuple[str, str]] = {}  # folded phrase -> ("country", iso3) | ("region", key)
        self.states: frozenset[str] = frozenset()  # UN member states: countries, not territories
        self._load()

    def _load(self) -> None:
        import country_converter as coco
        from countryinfo import CountryInfo

        # country_converter logs a warning for every name it cannot place; we only read its table.
        logging.getLogger("country_converter").setLevel(logging.ERROR)
        records = coco.CountryConverter().data.to_dict("records")
        self.states = frozenset(
            str(r["ISO3"]) for r in records if str(r.get("UNmember") or "") not in ("", "nan")
        )
        names: dict[str, set[str]] = {}
        common: dict[str, str] = {}
        population: dict[str, int] = {}
        for row in records:
            iso3 = str(row["ISO3"])
            common[iso3] = str(row["name_short"])
            names.setdefault(iso3, set()).update(fold(str(row[c])) for c in ("name_short", "name_official"))
        for info in CountryInfo.all().values():
            iso3 = str((info.get("ISO") or {}).get("alpha3") or "")
            if iso3 not in common:
                continue
            population[iso3] = int(info.get("population") or 0)
            variants = {info.get("name", ""), info.get("demonym", ""), *(info.get("altSpellings") or [])}
            # two- and three-letter codes ("IN", "IT", "NO") read as ordinary words: the registry's own
            # aliases cover the acronyms people type (UK, US, UAE)
            names[iso3].update(fold(v) for v in variants if v and len(fold(v)) > 3)
        # a name several share ("American": the United States, American Samoa …) goes to the most populous
        for iso3, folded in sorted(names.items(), key=lambda kv: -population.get(kv[0], 0)):
            folded.discard("")
            self.countries[iso3] = Country(iso3, common[iso3], tuple(sorted(folded)))
            for phrase in folded:
                self.phrases.setdefault(phrase, ("country", iso3))
        for key, (label, definition, phrases) in _REGIONS.items():
            members: set[str] = set()
            for column, value in definition:  # in order: a "-" entry takes away from what came before
                if column == "ISO3":
                    (members.discard if value.startswith("-") else members.add)(value[1:])
                elif value.startswith("-"):
                    members -= {str(r["ISO3"]) for r in records if str(r[column]) == value[1:]}
                else:
                    members |= {str(r["ISO3"]) for r in records if str(r[column]) == value}
            self.regions[key] = Region(key, label, frozenset(members))
            for phrase in phrases:
                self.phrases[phrase] = ("region", key)  # a region phrase wins over a demonym ("latin")

    def iso3(self, name: str) -> str | None:
        """The ISO3 code of a country named any known way, or None."""
        hit = self.phrases.get(fold(name))
        if hit and hit[0] == "country":
            return hit[1]
        return None

    def home(self, name: str) -> str | None:
        """The country an organisation's name places it in ('Kenya Advanced Institute …', 'South African Radio
        Astronomy Observatory', 'nanoSPACE AG (Switzerland)'), or None."""
        words = re.findall(r"[\w'’-]+", name)
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                found = self.iso3(" ".join(words[i : i + size]))
                if found:
                    return found
        return None

    def in_region(self, iso3: str | None, region: str) -> bool:
        return iso3 is not None and iso3 in self.regions[region].members


@functools.lru_cache(maxsize=1)
def places() -> Places:
    """The process's one Places table (built on first use)."""
    return Places()
