"""The registry's research notes in plain words: shorthand spelled out, dates written out, no shouting.

The members registry keeps terse notes for its editors ("MoU CNSA-MHESI", "UNCONFIRMED: …",
"announced 07-18", "(#58/59)"). Replies show them to people who do not know the shorthand, so
agreements between agencies are named as such, acronyms get their full name once, ISO dates become
'16 December 2024' and capitals are lowered. Pure text in, text out.
"""

from __future__ import annotations

import re

from retrieval.members_registry import human_date

# Acronyms in the registry's notes -> what they stand for (shown once as "Full name (ACRONYM)").
GLOSSARY: dict[str, str] = {
    "CNSA": "China National Space Administration",
    "MHESI": "Thailand's Ministry of Higher Education, Science, Research and Innovation",
    "SANSA": "South African National Space Agency",
    "ABAE": "Bolivarian Agency for Space Activities of Venezuela",
    "SUPARCO": "Pakistan's Space and Upper Atmosphere Research Commission",
    "EgSA": "Egyptian Space Agency",
    "ASES": "Senegalese Space Study Agency",
    "DSEL": "Deep Space Exploration Laboratory",
    "IAC": "International Astronautical Congress",
    "SCO": "Shanghai Cooperation Organisation",
    "NAS Belarus": "National Academy of Sciences of Belarus",
    "AUASS": "Arab Union for Astronomy and Space Sciences",
}
PHRASES: dict[str, str] = {
    "MoUs": "memoranda of understanding",
    "MoU": "memorandum of understanding",
    "PR": "press release",
    "State Dept": "the US State Department",
    "Artemis signatory": "Artemis Accords signatory",
    "founder/initiator": "founder and initiator",
}
_AGREEMENT = (
    r"memorandum of understanding|memorandum of cooperation|agreement|joint statement|joint declaration"
)
_PARTY = r"[A-Z][\w.']*(?: (?:of )?[A-Z][\w.']*)*"
_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def ordinal(n: int) -> str:
    """1 -> '1st', 12 -> '12th', 23 -> '23rd'."""
    return f"{n}{'th' if 10 <= n % 100 <= 20 else _ORDINAL.get(n % 10, 'th')}"


def _dates(text: str) -> str:
    text = re.sub(r"\b(\d{4}-\d{2}-\d{2})\b", lambda m: human_date(m.group(1)), text)
    text = re.sub(
        r"\b(\d{4})/(January|February|March|April|May|June|July|August|September|October|November|December)\b",
        r"\2 \1",
        text,
    )
    text = re.sub(r"\b(\d{4}-\d{2})\b", lambda m: human_date(m.group(1)), text)
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]

    def month_day(m: re.Match[str]) -> str:
        month, day = int(m.group(2)), int(m.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group(0)
        return f"{m.group(1)}{day} {months[month - 1]}"

    text = re.sub(r"\b(announced |on )(\d{2})-(\d{2})\b", month_day, text)
    text = re.sub(r"\ba ~\s?(\w+ \d{4}) report\b", r"a report from around \1", text)
    return re.sub(r"~\s?", "around ", text)


def _numbers(text: str) -> str:
    """'(#58/59)' -> '(58th and 59th)', '(#22/23)' likewise; '#13' -> '13th'."""
    text = re.sub(
        r"#(\d+)/(\d+)", lambda m: f"{ordinal(int(m.group(1)))} and {ordinal(int(m.group(2)))}", text
    )
    return re.sub(r"#(\d+)", lambda m: ordinal(int(m.group(1))), text)


def _agreements(text: str) -> str:
    """'MoU CNSA-MHESI' / 'CNSA-SUPARCO agreement' -> '<kind> between CNSA and MHESI'."""
    text = re.sub(
        rf"\b({_AGREEMENT})\s+(?:with\s+)?({_PARTY})-({_PARTY})",
        lambda m: f"{m.group(1)} between {m.group(2)} and {m.group(3)}",
        text,
    )
    return re.sub(
        rf"\b({_PARTY})-({_PARTY})\s+({_AGREEMENT})\b",
        lambda m: f"{m.group(3)} between {m.group(1)} and {m.group(2)}",
        text,
    )


def _acronyms(text: str) -> str:
    """Each known acronym as 'Full name (ACRONYM)' the first time, the acronym after that."""
    seen: set[str] = set()

    def expand(m: re.Match[str]) -> str:
        acronym = m.group(0)
        if acronym in seen or GLOSSARY[acronym] in text:
            return acronym
        seen.add(acronym)
        return f"{GLOSSARY[acronym]} ({acronym})"

    pattern = "|".join(re.escape(a) for a in sorted(GLOSSARY, key=len, reverse=True))
    return re.sub(rf"\b(?:{pattern})\b", expand, text)


def plain_note(note: str) -> str:
    """A registry note in plain words: clauses as sentences, shorthand spelled out, dates written out."""
    if not note.strip():
        return ""
    text = note.strip()
    text = re.sub(r"\b(UNCONFIRMED|PENDING|ANNOUNCED|NOT)\b", lambda m: m.group(1).lower(), text)
    for short, full in PHRASES.items():
        text = re.sub(rf"(?<![\w/]){re.escape(short)}(?![\w/])", full, text)
    text = _agreements(text)
    text = _acronyms(text)
    text = _numbers(_dates(text))
    sentences = [s.strip() for s in text.split(";") if s.strip()]
    return " ".join(s[0].upper() + s[1:] + ("" if s[-1] in ".!?" else ".") for s in sentences)
