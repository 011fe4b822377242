"""Sentence splitting and the features the offline answerer reads from a sentence."""

from __future__ import annotations

import re

_ABBREVIATIONS = [
    "U.S.",
    "U.K.",
    "U.N.",
    "St.",
    "Mr.",
    "Ms.",
    "Dr.",
    "No.",
    "e.g.",
    "i.e.",
    "vs.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Inc.",
    "Ltd.",
    "Co.",
    "approx.",
    "D.C.",
]
_PROTECT = {a: a.replace(".", "\u2024") for a in _ABBREVIATIONS}
# A sentence ends at . ! or ? before a capital, but not after an initial ("John H. Chapman").
# a sentence's closing quote or bracket stays with it (captured, then joined back)
_SPLIT = re.compile(r"(?<=[.!?])(?<!\s[A-Z]\.)([\"”’)]?)\s+(?=[\"“(]?[A-Z0-9])")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(
    rf"\b(\d{{1,2}} (?:{MONTHS}) \d{{4}}|(?:{MONTHS}) \d{{1,2}},? \d{{4}}|(?:{MONTHS}) \d{{4}}|\d{{4}}-\d\d-\d\d)\b"
)
YEAR = re.compile(r"\b(19|20)\d\d\b")
NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
COUNT = re.compile(rf"\b(\d{{1,3}}(?:,\d{{3}})*|{NUMBER_WORDS})\b(?!\s*(?:{MONTHS}))", re.I)


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage (paragraph breaks always end a sentence; list items are sentences)."""
    out: list[str] = []
    text = "\n".join("" if line.lstrip().startswith("#") else line for line in text.splitlines())  # headings
    for para in re.split(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.) )", text):
        para = " ".join(para.replace("**", "").replace("__", "").split()).lstrip("-* ").strip()
        if not para:
            continue
        for a, b in _PROTECT.items():
            para = para.replace(a, b)
        pieces = _SPLIT.split(para)
        for i in range(0, len(pieces), 2):
            closing = pieces[i + 1] if i + 1 < len(pieces) else ""
            sentence = (pieces[i] + closing).replace("\u2024", ".").strip()
            if sentence:
                out.append(sentence)
    return out


def without_marks(text: str) -> str:
    """The text without its citation marks ("[2]" is a citation, not the figure 2)."""
    return re.sub(r"\s*\[\d+\]", "", text)


def has_date(sentence: str) -> bool:
    return bool(DATE.search(sentence) or YEAR.search(sentence))


def has_full_date(sentence: str) -> bool:
    return bool(DATE.search(sentence))


def counts_in(sentence: str) -> list[str]:
    """Numbers that could be counts (not years, not days of a date)."""
    stripped = DATE.sub(" ", sentence)
    stripped = YEAR.sub(" ", stripped)
    stripped = re.sub(r"\b\d+(st|nd|rd|th)\b", " ", stripped)
    return [m.group(0) for m in COUNT.finditer(stripped)]


def has_names(sentence: str) -> bool:
    """Capitalised words beyond the first: a sentence that names someone or something."""
    words = sentence.split()[1:]
    return sum(1 for w in words if w[:1].isupper()) >= 2
