"""Reading a question: its type, the coalition and members it names, and any date it mentions.

Pure functions over text (and the registry's names); no model, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from retrieval.errors import BadInput
from retrieval.members_registry import ALIASES, COALITION_ALIASES, Registry, fold

QuestionType = Literal["when", "how_many", "who", "which", "yes_no", "what", "other"]

_WHEN = re.compile(r"\b(when|what (day|date|year|month)|which (day|date|year|month)|since when|how long ago|date)\b")
_HOW_MANY = re.compile(r"\b(how many|how much|number of|count of|total|tally|how big)\b")
_WHO = re.compile(r"\b(who|whom|whose)\b")
_WHICH = re.compile(r"\b(which|list|name the|what (countries|nations|members|organi[sz]ations|states|agencies))\b")
_YES_NO = re.compile(r"^(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b")
_WHAT = re.compile(r"\b(what|how|why|explain|describe|tell me about)\b")
_YEAR = re.compile(r"\b(20[0-4]\d|19\d\d)\b")
_ISO = re.compile(r"\b(20\d\d)-(\d\d)(?:-(\d\d))?\b")
_BOTH = re.compile(r"\b(both|overlap|two coalitions|either|each coalition|dual)\b")
_JOIN_WORDS = re.compile(r"\b(join|joined|joins|joining|sign|signed|signs|signing|signatory|signatories|member|"
                         r"members|membership|partner|partners|accede|accession|part of|in the)\b")
_LIST_WORDS = re.compile(r"\b(which|list|who|what countries|what nations|name|all)\b")
_MEMBER_NOUNS = re.compile(r"\b(countries|country|nations|nation|members|member|signatories|signatory|partners|"
                           r"states|organi[sz]ations|institutions|participants)\b")
_ORG_NOUNS = re.compile(r"\b(organi[sz]ations?|institutions?|institutes?|agencies|bodies)\b")
_GREETING = re.compile(r"^(hey|hi|hello|yo|ok|okay|so|quick question|question)\b[\s,:!-]*(bot\b)?[\s,:!-]*", re.I)
_MENTION = re.compile(r"<[@#][!&]?\d+>")


MAX_QUESTION_CHARS = 500


def validate_question(text: str | None) -> str:
    """The question with its whitespace folded; BadInput if it is empty or over the limit."""
    question = " ".join((text or "").split())
    if not question:
        raise BadInput("the question is empty; ask something like “when did Egypt join the ILRS?”")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadInput(f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    return question


def clean_question(text: str) -> str:
    """Drop mentions, greetings and extra spaces; keep the question itself."""
    text = _MENTION.sub(" ", text)
    text = " ".join(text.split())
    previous = None
    while previous != text:
        previous = text
        text = _GREETING.sub("", text).strip()
    return text


def question_type(text: str) -> QuestionType:
    """The kind of answer a question wants."""
    q = fold(text)
    if _HOW_MANY.search(q):
        return "how_many"
    if _WHEN.search(q):
        return "when"
    if _YES_NO.match(q):
        return "yes_no"
    if _WHO.search(q):
        return "who"
    if _WHICH.search(q):
        return "which"
    if _WHAT.search(q):
        return "what"
    return "other"


@dataclass
class QuestionInfo:
    """What the answerer needs to know about a question."""

    text: str
    qtype: QuestionType
    coalitions: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    as_of: str | None = None
    during_year: int | None = None
    asks_both: bool = False
    about_membership: bool = False
    wants_list: bool = False
    wants_organisations: bool = False


def find_coalitions(text: str) -> list[str]:
    """Coalitions named in a question, in order of mention."""
    q = fold(text)
    found: list[tuple[int, str]] = []
    for alias, key in sorted(COALITION_ALIASES.items(), key=lambda kv: -len(kv[0])):
        if len(alias) <= 2:
            continue
        for m in re.finditer(rf"\b{re.escape(alias)}\b", q):
            found.append((m.start(), key))
    for m in re.finditer(r"\b(artem\w*|acc?ords?)\b", q):  # artemis, artimis, acords
        found.append((m.start(), "artemis_accords"))
    for m in re.finditer(r"\b(ilrs|moon base|lunar (research )?station|lunar base|china'?s? (moon|lunar))\b", q):
        found.append((m.start(), "ilrs"))
    out: list[str] = []
    for _, key in sorted(found):
        if key not in out:
            out.append(key)
    return out


def find_members(text: str, registry: Registry) -> list[str]:
    """Registry members named in a question (aliases and small misspellings included)."""
    q = f" {fold(text)} "
    hits: list[tuple[int, str]] = []
    names = registry.names()
    for name in names:
        variants = {fold(name), fold(re.sub(r"\s*\(.*?\)", "", name).split(",")[0])}
        variants |= {fold(a) for a in re.findall(r"\(([^)]+)\)", name) if a.isupper()}
        for v in variants:
            if len(v) < 3:
                continue
            pos = q.find(f" {v} ")
            if pos < 0:
                pos = q.find(f" {v}'s ")
            if pos < 0:
                pos = q.find(f" {v}?")
            if pos >= 0:
                hits.append((pos, name))
                break
    for alias, name in ALIASES.items():
        pos = q.find(f" {alias} ")
        if pos < 0:
            pos = q.find(f" {alias}?")
        if pos >= 0 and name in names and len(alias) >= 2:
            hits.append((pos, name))
    if not hits:
        # one misspelled word, e.g. "azerbajan", "phillipines": resolve capitalised or long words
        import difflib

        single = {fold(n): n for n in names if " " not in fold(n)}
        for m in re.finditer(r"[a-z][a-z'-]{4,}", q):
            close = difflib.get_close_matches(m.group(0), list(single), n=1, cutoff=0.84)
            if close:
                hits.append((m.start(), single[close[0]]))
    out: list[str] = []
    for _, name in sorted(hits):
        # "South Africa" also contains no other member; but "Kenya ... (KAIST)" vs "Kenya": keep the longest
        if name not in out:
            out.append(name)
    return _drop_contained(out)


def _drop_contained(names: list[str]) -> list[str]:
    """If one found name is part of another ('Thailand' in 'National ... of Thailand (NARIT)'), keep the
    shorter only when the longer was not written out."""
    return [n for n in names if not any(n != o and fold(o) in fold(n) and len(o) > 3 for o in names)] or names


def analyse(text: str, registry: Registry | None) -> QuestionInfo:
    """Parse a question into its type, coalitions, members and dates."""
    cleaned = clean_question(text)
    q = fold(cleaned)
    info = QuestionInfo(text=cleaned, qtype=question_type(cleaned))
    info.coalitions = find_coalitions(cleaned)
    info.members = find_members(cleaned, registry) if registry else []
    info.years = [int(y) for y in _YEAR.findall(q)]
    iso = _ISO.search(cleaned)
    if iso:
        info.as_of = iso.group(0)
    elif re.search(r"\b(by|as of|at the end of|end of|until|before)\s+(20\d\d)\b", q) and info.years:
        info.as_of = str(info.years[-1])
    during = re.search(r"\b(in|during|over|throughout)\s+(20\d\d)\b", q)
    if during and not info.as_of:
        info.during_year = int(during.group(2))
    info.asks_both = bool(_BOTH.search(q))
    info.about_membership = bool(_JOIN_WORDS.search(q))
    info.wants_list = bool(_LIST_WORDS.search(q) and _MEMBER_NOUNS.search(q))
    info.wants_organisations = bool(_ORG_NOUNS.search(q)) and not re.search(r"\bcountr", q)
    return info
