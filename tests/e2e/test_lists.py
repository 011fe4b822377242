"""Lists end to end: /members, /sources, /overlap as embed pages; pagers for their owner only, switched off
on timeout and answered after a restart; /member by any name; the timeline."""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections import Counter

import pytest
from PIL import Image

from bot import pager
from retrieval.services import Services
from tests.e2e.conftest import running_bot
from tests.fakediscord import FakeDiscord

pytestmark = [
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]
SOURCE = re.compile(r"\[source(?: \d)?\]\(https?://[^)\s]+\)")


def embed_of(message: dict) -> dict:
    return (message.get("embeds") or [{}])[0]


def fields_of(message: dict) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed_of(message).get("fields") or []}


def buttons(message: dict) -> list[dict]:
    return [c for row in message.get("components") or [] for c in row["components"]]


async def all_pages(fake: FakeDiscord, first: dict, user: dict) -> list[dict]:
    """Turn every page with ▶ as the owner; the embeds, in order."""
    embeds, message = [embed_of(first)], first
    while buttons(message) and not buttons(message)[-1].get("disabled"):
        turn = await fake.click_button(message, buttons(message)[-1]["custom_id"], user=user)
        update = await turn.wait_callback()
        assert update["type"] == 7
        message = fake.message_index[first["id"]]
        embeds.append(update["data"]["embeds"][0])
    return embeds


async def test_members_is_one_numbered_list_with_sections_and_only_the_pages_it_needs(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    fake = fake_discord
    async with running_bot(fake, corpus_services, monkeypatch):
        record = await fake.invoke_command("members", {"coalition": "artemis_accords"})
        first = (await record.wait_followups(1))[0]
        assert [b.get("label") or b["emoji"]["name"] for b in buttons(first)] == ["◀", "1 / 2", "▶"]
        pages = await all_pages(fake, first, fake.plain_user)
    assert len(pages) == 2 and all(p["title"] == "Artemis Accords: 59 signatory countries" for p in pages)
    assert [p["footer"]["text"] for p in pages] == [
        "Page 1 of 2 · from the members registry",
        "Page 2 of 2 · from the members registry",
    ]
    sections = [(f["name"], f["value"]) for p in pages for f in p["fields"]]
    countries = [
        line for name, value in sections if name.startswith("Countries") for line in value.splitlines()
    ]
    assert [int(line.split(".")[0]) for line in countries] == list(range(1, 60))  # the count, numbered once
    assert (
        countries[12]
        == "13. Poland — 26 Oct 2021 · [source](https://spacenews.com/poland-signs-artemis-accords/)"
    )
    assert all("(#" not in line and len(SOURCE.findall(line)) == 1 for line in countries)
    others = {name: value for name, value in sections if not name.startswith("Countries")}
    assert others["Territories (not counted as countries)"].startswith(
        "• Isle of Man — 27 Jul 2021 · [source]("
    )
    assert others["Not counted"].startswith(
        "• Latvia — accession announced Oct 2025, not yet signed · [source]("
    )
    assert all(
        len(p["title"]) + sum(len(f["name"]) + len(f["value"]) for f in p["fields"]) <= 6000 for p in pages
    )
    # packed: the first page had no room for the second page's first field
    size = (
        len(pages[0]["title"])
        + len(pages[0]["description"])
        + sum(len(f["name"]) + len(f["value"]) for f in pages[0]["fields"])
    )
    nxt = pages[1]["fields"][0]
    assert size + len(nxt["name"]) + len(nxt["value"]) > 5800 or len(pages[0]["fields"]) == 25


async def test_ilrs_members_number_the_countries_and_list_organisations_in_a_section_of_their_own(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    fake = fake_discord
    async with running_bot(fake, corpus_services, monkeypatch):
        both = await fake.invoke_command("members", {"coalition": "ilrs"})
        pages = await all_pages(fake, (await both.wait_followups(1))[0], fake.plain_user)
        only = await fake.invoke_command("members", {"coalition": "ilrs", "type": "organisation"})
        orgs_page = embed_of((await only.wait_followups(1))[0])
    sections: dict[str, list[str]] = {}
    for page in pages:
        for f in page["fields"]:
            sections.setdefault(f["name"].removesuffix(" (continued)"), []).extend(f["value"].splitlines())
    assert list(sections) == ["Countries", "Partner organisations", "Not counted"]
    counted = int(pages[0]["title"].removeprefix("ILRS: ").removesuffix(" member countries"))
    assert [int(line.split(".")[0]) for line in sections["Countries"]] == list(range(1, counted + 1))
    assert "also 8 partner organisations, 1 not counted, listed after them" in pages[0]["description"]
    organisations = sections["Partner organisations"]
    assert len(organisations) == 8 and all(line.startswith("• ") for line in organisations)
    assert any(
        line.startswith("• Asia-Pacific Space Cooperation Organization (APSCO) — 24 Apr 2024")
        for line in organisations
    )
    assert not any("APSCO" in line for line in sections["Countries"])  # not mixed with the countries
    assert orgs_page["title"] == "ILRS: 8 partner organisations"  # counted when they are what was asked for
    listed = [line for f in orgs_page["fields"] for line in f["value"].splitlines()]
    assert listed == organisations and all(len(SOURCE.findall(line)) == 1 for line in listed)


async def test_a_pager_turns_only_for_its_owner_switches_off_on_timeout_and_answers_after_a_restart(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    fake = fake_discord
    async with running_bot(fake, corpus_services, monkeypatch):
        record = await fake.invoke_command("sources", user=fake.plain_user)
        first = (await record.wait_followups(1))[0]
        nxt = buttons(first)[-1]["custom_id"]
        stranger = await fake.click_button(first, nxt, user=fake.admin_user)
        note = await stranger.wait_callback()
        assert stranger.ephemeral and note["type"] == 4
        assert note["data"]["content"] == (
            "Only the person who ran `/sources` can turn these pages; run `/sources` for your own."
        )
        assert embed_of(fake.message_index[first["id"]]) == embed_of(first)  # unchanged
        owner = await fake.click_button(first, nxt, user=fake.plain_user)
        assert (await owner.wait_callback())["type"] == 7

        monkeypatch.setattr(pager, "PAGER_TIMEOUT", 0.5)
        short = await fake.invoke_command("members", {"coalition": "artemis_accords"})
        timed = (await short.wait_followups(1))[0]
        switched_off = await fake.wait_for_request(
            "PATCH",
            rf"/webhooks/\d+/[^/]+/messages/{timed['id']}",
            lambda r: all(c.get("disabled") for row in r.json["components"] for c in row["components"]),
        )
        assert switched_off.json["components"]  # the buttons stay, greyed out
        late = await fake.click_button(timed, buttons(timed)[-1]["custom_id"], user=fake.plain_user)
        assert "no longer active" in (await late.wait_callback())["data"]["content"] and late.ephemeral
    async with running_bot(fake, corpus_services, monkeypatch):  # a restart: the old pages are not held
        old = await fake.click_button(first, nxt, user=fake.plain_user)
        reply = await old.wait_callback()
        assert old.ephemeral and reply["type"] == 4
        assert reply["data"]["content"].startswith("These pages are no longer active")
        assert reply["data"]["content"].endswith("run `/sources` again.")


async def test_sources_are_numbered_clickable_titles_newest_first(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    fake = fake_discord
    async with running_bot(fake, corpus_services, monkeypatch):
        record = await fake.invoke_command("sources")
        first = (await record.wait_followups(1))[0]
        pages = await all_pages(fake, first, fake.plain_user)
        query = await fake.invoke_command("sources", {"query": "ILRS"})
        matching = embed_of((await query.wait_followups(1))[0])
    lines = [line for p in pages for f in p["fields"] for line in f["value"].splitlines()]
    assert (
        pages[0]["title"]
        == f"{len(lines)} indexed articles, newest first"
        == "104 indexed articles, newest first"
    )
    assert [int(line.split(".")[0]) for line in lines] == list(range(1, 105))
    # a clickable title, or (a summary of several reports, which has no one link) a plain one
    pattern = re.compile(
        r"\d+\. (\[[^\]]+\]\(https?://[^)\s]+\) — (summary of )?.+|[^\[\]]+ — summary of several reports.*)"
        r" · (\d{1,2} \w{3} )?\w* ?\d{4}"
    )
    assert all(pattern.fullmatch(line) for line in lines), [
        line for line in lines if not pattern.fullmatch(line)
    ]
    assert len(pages) <= 6 and "<http" not in "".join(lines)  # no raw links
    assert sum("summary of" in line for line in lines) == 104  # the starter corpus says what it is
    assert re.fullmatch(r"\d+ indexed articles matching “ILRS”, newest first", matching["title"])


async def test_overlap_counts_what_it_lists(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        record = await fake_discord.invoke_command("overlap")
        shown = (await record.wait_callback())["data"]
    embed = shown["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "In both coalitions: 2 countries"
    both = fields["In both"].splitlines()
    assert [line.split(" — ")[0] for line in both] == ["1. Thailand", "2. Senegal"]
    assert "Artemis Accords 16 Dec 2024" in both[0] and len(SOURCE.findall(both[0])) == 2
    assert fields["Not counted"].startswith("• United Arab Emirates — ILRS reported Jun 2023, unconfirmed")


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("pakstan", "Pakistan — ILRS 2023"),
        ("s korea", "South Korea — Artemis Accords 2021"),
        ("turkiye", "Türkiye — in neither coalition"),
        ("Th", "Thailand — ILRS 2024 · Artemis Accords 2024"),
    ],
)
async def test_member_autocomplete_is_forgiving(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch, typed: str, first: str
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        choices = await (await fake_discord.autocomplete("member", "name", typed)).wait_choices()
    assert choices[0]["name"] == first and all(len(c["name"]) <= 100 for c in choices)


async def test_member_replies_in_plain_words_and_tells_non_members_and_unknown_names_apart(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        shown = {}
        for name in ("Thailand", "uae", "Turkey", "Wakanda"):
            record = await fake_discord.invoke_command("member", {"name": name})
            shown[name] = ((await record.wait_callback())["data"], record.ephemeral)
    thailand, private = shown["Thailand"]
    embed = thailand["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "Thailand" and embed["description"] == "In both coalitions." and not private
    assert fields["ILRS"].startswith("Joined 5 April 2024 — the 9th member country\n")
    assert (
        "Memorandum of understanding between China National Space Administration (CNSA) and Thailand's Ministry "
        "of Higher Education, Science, Research and Innovation (MHESI)." in fields["ILRS"]
    )
    assert fields["Artemis Accords"].startswith("Signed 16 December 2024 — the 51st signatory\n")
    assert "MoU" not in str(fields) and "<http" not in str(fields) and SOURCE.search(fields["ILRS"])
    uae = {f["name"]: f["value"] for f in shown["uae"][0]["embeds"][0]["fields"]}
    assert uae["ILRS"].startswith("Reported as joining in June 2023; unconfirmed, so not counted")
    assert "UNCONFIRMED" not in str(uae) and "Unconfirmed: reported by Ta Kung Pao" in uae["ILRS"]
    turkey = shown["Turkey"][0]["embeds"][0]
    assert turkey["title"] == "Türkiye" and turkey["description"].startswith(
        "Türkiye is in neither the Artemis Accords nor the ILRS, according to the members registry "
        "(its latest change: 27 October 2025)."
    )
    wakanda, private = shown["Wakanda"]
    assert (
        private
        and wakanda["content"]
        == "I don't know “Wakanda” as a country or organisation. Did you mean **Rwanda**?"
    )


def _png_text(data: bytes) -> tuple[int, dict[str, str]]:
    """A PNG's colour type and its tEXt entries."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, colour, texts = 8, -1, {}
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            colour = body[9]
        elif kind == b"tEXt":
            key, _, value = body.partition(b"\x00")
            texts[key.decode()] = value.decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\x00")
            texts[key.decode()] = zlib.decompress(rest[1:]).decode("latin-1")
        pos += 12 + length
    return colour, texts


@pytest.mark.parametrize(
    ("coalition", "title"),
    [
        ("ilrs", "ILRS: member countries over time"),
        ("artemis_accords", "Artemis Accords: signatory countries over time"),
        (None, "Artemis Accords and ILRS: member countries over time"),
    ],
)
async def test_the_timeline_is_titled_per_coalition_marks_month_dates_and_reads_on_both_themes(
    discord_errors,
    fake_discord: FakeDiscord,
    corpus_services: Services,
    monkeypatch,
    coalition: str | None,
    title: str,
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        record = await fake_discord.invoke_command("timeline", {"coalition": coalition} if coalition else {})
        sent = (await record.wait_followups(1))[0]
        (attachment,) = sent["attachments"]
        png = fake_discord.attachment_bytes(attachment)
    embed = embed_of(sent)
    assert embed["title"] == title and embed["image"]["url"] == "attachment://timeline.png"
    colour, texts = _png_text(png)
    assert texts["Title"] == title and colour == 6  # RGBA: a transparent background for both themes
    if coalition == "artemis_accords":  # every signing is dated to the day: no hollow points to explain
        assert "Hollow" not in embed["description"]
    else:
        assert embed["description"].endswith(
            "Hollow points are dated to the month (or year) only, drawn at its start: China (2021), "
            "Belarus (October 2023), Serbia (May 2024), Bolivia (April 2025), Djibouti (April 2025), "
            "Ethiopia (April 2025)."
        )
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    width, height = image.size
    assert all(image.getpixel(corner)[3] == 0 for corner in [(0, 0), (width - 1, 0), (0, height - 1)])
    drawn = Counter(p[:3] for p in image.get_flattened_data() if p[3] == 255)
    assert len(drawn) >= 2  # lines and text, not a blank image
    for rgb in drawn:  # every solid colour reads on Discord's light and dark backgrounds
        assert min(contrast(rgb, LIGHT_THEME), contrast(rgb, DARK_THEME)) >= 3.0, rgb


LIGHT_THEME, DARK_THEME = (255, 255, 255), (0x31, 0x33, 0x38)  # Discord's message backgrounds


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """WCAG contrast ratio of two sRGB colours (3:1 is the minimum for graphics)."""

    def luminance(rgb: tuple[int, ...]) -> float:
        c = [x / 255 for x in rgb[:3]]
        lin = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
