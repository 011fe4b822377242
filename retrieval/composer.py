"""Writing an answer from chosen sentences: lead with the answer, keep what it needs, drop what it does not.

Rules, one per habit of a good short answer:
- the first sentence answers the question; a second one only when it adds something asked for;
- a sentence that leans on the one before it ("However, …", "This …", "the two countries …") is either
  freed of the connective, shown with the sentence it depends on, or not used;
- no two sentences say the same thing;
- a one-fact answer stays short: a long quoted sentence is cut after the clause that answers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.sentences import DATE, YEAR, counts_in, split_sentences, without_marks

if TYPE_CHECKING:
    from retrieval.reading.places import Places

# A connective that can simply be dropped: the rest of the sentence stands alone.
_CONNECTIVE = re.compile(
    r"^(?:However|But|Also|Still|Meanwhile|Moreover|Furthermore|In addition|Additionally|"
    r"Nevertheless|Nonetheless|Similarly|Likewise|And|Yet|Indeed|In fact|Instead|Separately|"
    r"By contrast|In contrast|At the same time|For its part|In turn),\s+(?=\S)"
)
_CONNECTIVE_NO_COMMA = re.compile(r"^(?:But|And|Yet|Also|So)\s+(?=[a-z])")
# An opener that refers back: without the sentence before it the reader cannot tell who or what is meant.
_REFERS_BACK = re.compile(
    r"^(?:This|That|These|Those|It|Its|They|Their|Them|He|She|His|Her|Such|Both|Neither|"
    r"The two|The three|The four|The same|The latter|The former|The move|The decision|"
    r"The agreement|The deal|The signing|The memorandum|The statement|The document|"
    r"The ceremony|The figure|The list|The count|Then|Thus|Therefore|Later|Earlier|"
    r"(?:\w+ )?(?:days|weeks|months|years) (?:later|earlier))\b"
)
# "the two Southeast Asian countries": a group named only by its size.
_DANGLING_GROUP = re.compile(
    r"\b[Tt]he (?:two|three|four|five|six|both|other)\b(?: [A-Z][\w-]+){0,3}"
    r" (?:countries|nations|states|members|signatories|agencies|organi[sz]ations|founders)\b"
)
_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:which|while|whereas|when|after|before|as|although|though|but|and the|with|"
    r"making|bringing|following|joining|becoming|according|counting|following)\b)|;\s+"
)
ONE_FACT = ("date", "time", "number", "money", "person", "agent", "place", "yes_no", "choice")
SHORT = 300


def free_of_connective(sentence: str) -> str:
    """'However, Egypt …' -> 'Egypt …' (only connectives whose removal leaves a whole sentence)."""
    for pattern in (_CONNECTIVE, _CONNECTIVE_NO_COMMA):
        match = pattern.match(sentence)
        if match:
            rest = sentence[match.end() :]
            return rest[:1].upper() + rest[1:]
    return sentence


_ABOUT_THE_TEXT = re.compile(
    r"\b(?:this|the following) (?:explainer|article|report|piece|page|story|guide|overview|summary|section|"
    r"timeline|roundup)\b(?! (?:by|from|of) )",
    re.I,
)


def about_the_text(sentence: str) -> bool:
    """A sentence about the article itself ('This explainer sets out the basics.'): no fact to give."""
    return bool(_ABOUT_THE_TEXT.search(sentence)) and len(sentence.split()) < 14


def refers_back(sentence: str) -> bool:
    """Whether a sentence leans on something said before it."""
    if _DANGLING_GROUP.search(sentence):
        return not _names_a_group(sentence)  # "The two countries, Malaysia and the Philippines, …" names them
    return bool(_REFERS_BACK.match(sentence))


def _names_a_group(sentence: str) -> bool:
    """'the two countries, Thailand and Senegal' names them; 'the two countries' alone does not."""
    match = _DANGLING_GROUP.search(sentence)
    if match is None:
        return True
    after = sentence[match.end() : match.end() + 80]
    return bool(re.match(r"[,:(]?\s*(?:namely\s+)?[A-Z][a-z]+(?: [A-Z][a-z]+)*(?:,| and)", after))


def standalone(sentence: str, before: str | None) -> str | None:
    """The sentence made readable on its own: the connective dropped, or the sentence it leans on put in front.
    None when it cannot stand alone."""
    freed = free_of_connective(sentence)
    if not refers_back(freed):
        return freed
    if before and not refers_back(before) and len(before) + len(freed) < 420:
        return f"{before} {freed}"
    return None


def shorten(sentence: str, keep: list[str], expects: str) -> str:
    """Cut a long sentence after the clause that holds the answer and every word of `keep` (the question's own
    words) that the sentence has."""
    if len(sentence) <= SHORT or expects == "members":
        return sentence
    needed = [k.lower() for k in keep if k.lower() in sentence.lower()]
    for match in _CLAUSE_BREAK.finditer(sentence):
        head = sentence[: match.start()].rstrip(" ,;")
        if len(head) < 40:
            continue
        if has_type(head, expects) and all(k in head.lower() for k in needed):
            return head + "."
    return sentence


def has_type(text: str, expects: str) -> bool:
    """Whether a text carries the kind of answer a question expects."""
    if expects == "date":
        return bool(DATE.search(text) or YEAR.search(text))
    if expects == "number":
        return bool(counts_in(text))
    if expects == "time":
        return bool(TIME.search(text))
    if expects == "money":
        return bool(MONEY.search(text))
    if expects == "person":
        return bool(PERSON.search(text))
    if expects == "agent":
        return bool(PERSON.search(text) or AGENT.search(text))
    if expects == "place":
        return bool(PLACE.search(text))
    if expects == "reason":
        return bool(REASON.search(text))
    if expects == "manner":
        return bool(MANNER.search(text))
    if expects == "statement":
        return bool(SAID.search(text))
    if expects == "age":
        return bool(AGE.search(text))
    return True


# Someone's age: what answers "how old is X"
AGE = re.compile(
    r"\b\d{1,3}[- ]years?[- ]old\b|\baged \d{1,3}\b|\b(?:was|were) born\b|\bat the age of\b", re.I
)


# Someone's words reported: what answers "what did X say"
SAID = re.compile(
    r"\b(?:said|says|told|tells|stated|states|described|describes|(?<!so-)called|calls|quoted|"
    r"according to|noted|notes|added|wrote|writes|warned|stressed|declared|declares|explained|explains|"
    r"remarks|statement|spoke|speaking|reported|reports)\b|[“\"]\w",
    re.IGNORECASE,
)


# How something was done: in person or not, at a ceremony, by which kind of document.
MANNER = re.compile(
    r"\b(?:in person|in-person|virtual(?:ly)?|video(?: link| conference|call)?|videoconference|online|"
    r"remote(?:ly)?|by (?:letter|video|post|mail|exchange of)|via\b|ceremony|hand-delivered|delivered|"
    r"signed (?:a|an) (?:[\w-]+ ){0,3}(?:memorandum|agreement|declaration|statement|letter)|"
    r"memorandum of (?:understanding|cooperation)|joint (?:statement|declaration)|exchange of letters|"
    r"letter of intent)\b",
    re.IGNORECASE,
)


TIME = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s?(?:a\.m\.|p\.m\.|am|pm)\b|\b\d{1,2}:\d\d\b|\bo'clock\b|\b(?:GMT|UTC)\b|"
    r"\blocal time\b|\b(?:morning|afternoon|evening|midnight|noon)\b",
    re.IGNORECASE,
)
MONEY = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:million|billion|trillion)?\s?(?:dollars|euros|yuan|roubles|rubles|"
    r"pounds|USD|EUR|CNY|RMB)\b|\b(?:budget|funding|cost) of\b",
    re.IGNORECASE,
)
_TITLE = (
    r"(?:Administrator|Minister|President|Vice President|Secretary|Director|Ambassador|Chairman|Chair|Head|"
    r"Chief|Deputy|Prime Minister|Governor|Dr\.?|Mr\.?|Ms\.?)"
)
_NOT_NAMES = (
    r"Artemis|Accords|Lunar|Research|Space|International|National|United|Deep|Foreign|Outer|Moon|Station|"
    r"With|The|In|On|At|By|After|Before|As|For|From|Since|When|While|This|That|These|Those|Its|Their|His|Her|"
    r"All|Both|Each|According|Under|Unlike|Like|Of"
)
# the last word of a name that is an event's, a body's or a country's, not a person's ("Leaders Summit")
_NOT_SURNAMES = (
    r"Summit|Forum|Meeting|Conference|Congress|Day|Workshop|Agency|Administration|Ministry|Union|Council|"
    r"Organization|Organisation|Institute|Laboratory|Observatory|Association|Republic|Kingdom|Emirates|States|"
    r"Accords|Station|Department|Assembly|Parliament|Government"
)
PERSON = re.compile(
    rf"\b{_TITLE}\b|\b(?!(?:{_NOT_NAMES})\b)[A-Z][a-z]+ (?:[A-Z]\. )?(?!(?:{_NOT_SURNAMES})\b)[A-Z][a-zé]+"
    rf"(?:-[A-Z][a-z]+)?\b(?= (?:said|signed|"
    r"told|announced|wrote|described|called|gave|led|leads|was|is|has|had|of|for|signing|welcomed|"
    rf"added|put|stated|noted)\b|,)|\bby (?!(?:{_NOT_NAMES})\b)[A-Z][a-z]+ [A-Z][a-zé]+\b"
)
# An organisation acting: "Pakistan's space agency SUPARCO", "the Canadian Space Agency"
AGENT = re.compile(
    r"\b(?!(?:ILRS|MOU|MoU|IAC|USA|UAE|UK|US|EU)\b)[A-Z]{3,}[a-z]?\b(?! News)|\b(?:[A-Z][a-z]+ )+(?:Agency|"
    r"Administration|Ministry|Commission|Department|Office|Institute|Organization|Organisation|"
    r"Laboratory|Council|Corporation|Centre|Center|Duma|Parliament|Senate|Assembly|Cabinet|Government|Academy|"
    r"Observatory|Association|Union)\b|\b(?:Department|Ministry|Office) of (?:the )?[A-Z][a-z]+"
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_NOT_PLACES = (
    rf"{_MONTHS}|Artemis|Accords|ILRS|International|Lunar|Moon|NASA|CNSA|Roscosmos|English|Chinese|Russian"
)
PLACE = re.compile(
    rf"\b(?:in|at|during|near|outside|inside) (?:the )?(?:[a-z]+ ){{0,3}}(?:of (?:the )?)?"
    rf"(?!(?:{_NOT_PLACES})\b)[A-Z][A-Za-z]+|\b(?:[A-Z][a-z]+ )+(?:Congress|Summit|Conference|Forum|Centre|Center|"
    rf"Headquarters|Hall|University|City|Palace)\b"
)
REASON = re.compile(
    r"\b(?:because|since|as a result|so that|in order to|aims? to|to (?:help|allow|build|set|promote|"
    r"ensure|provide|support)|reason|purpose|goal|intended|designed to|due to|owing to)\b",
    re.IGNORECASE,
)
PLANNED = re.compile(
    r"\b(?:plan(?:s|ned)?|planning|target(?:s|ed)?|aims?|expected|scheduled|will|would|due|set to|"
    r"goal|intend(?:s|ed)?|proposed|by 20\d\d|around 20\d\d|in 20[3-9]\d)\b",
    re.IGNORECASE,
)
# A sentence saying the sources lack something: the honest answer to a question about that very thing.
ABSENCE = re.compile(
    r"\b(?:not (?:known|given|named|listed|specified|stated|reported|public|been (?:found|published|"
    r"released|given|named|reported))|unknown|do(?:es)? not (?:give|name|say|list|specify|state)|"
    r"no (?:breakdown|list|date|record)|has yet to be|have yet to be)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:not|never|no longer|^no|no (?:formal|such|official|deadline|date|closing|public)|has yet to|have yet to|neither|nor|without|absent|missing|"
    r"unconfirmed|denied|declined|refused|rather than|none)\b",
    re.IGNORECASE,
)


_SAME_THING = {
    "country": "countr nation state member signator partner",
    "member": "member countr nation partner signator state",
    "signatory": "signator countr nation member state",
    "nation": "nation countr state member signator",
    "state": "state countr nation member signator",
}


def counts_thing(sentence: str, focus: str) -> bool:
    """Whether a sentence counts the thing asked about ('how many pages' needs pages, not principles)."""
    stem = focus.lower().rstrip("s")[:6]
    stems = _SAME_THING.get(
        focus.lower().rstrip("s").replace("countrie", "country").replace("signatorie", "signatory"), stem
    ).split()
    low = sentence.lower()
    return any(
        re.search(rf"\b\d[\d,]*\s+(?:\w+\s+){{0,3}}{s}", low)
        or re.search(
            rf"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty)\s+(?:\w+\s+){{0,3}}{s}",
            low,
        )
        for s in stems
    )


def future_dated(sentence: str, published: str) -> bool:
    """A sentence about a plan: planning words with a year later than its article ('planned for around 2026')."""
    if not PLANNED.search(sentence):
        return False
    years = [int(y) for y in re.findall(r"\b(20[2-9]\d)\b", sentence)]
    return any(y > int(published[:4] or 0) for y in years) if published else bool(years)


_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}


def has_ordinal(text: str, n: int) -> bool:
    """The text names this position ('13th', 'thirteenth')."""
    word = {v: k for k, v in _ORDINAL_WORDS.items()}.get(n)
    return bool(
        re.search(rf"\b{n}(?:st|nd|rd|th)\b", text) or (word and re.search(rf"\b{word}\b", text, re.I))
    )


def same_ordinal(text: str, n: int, noun: str | None = None) -> bool:
    """A text with ordinals (of this noun, if given: 'the 2nd workshop') mentions this one, or has none at all."""
    tail = rf"(?=(?:\W+\w+){{0,3}}?\W+{re.escape(noun)})" if noun else ""
    found = [int(m) for m in re.findall(rf"\b(\d+)(?:st|nd|rd|th)\b{tail}", text, re.IGNORECASE)]
    found += [v for k, v in _ORDINAL_WORDS.items() if re.search(rf"\b{k}\b{tail}", text, re.IGNORECASE)]
    return not found or n in found


_REMOTE = re.compile(
    r"\b(?:remote(?:ly)?|virtual(?:ly)?|online|by video|video(?:[- ]?link| ?conference| call)|videoconference)\b",
    re.IGNORECASE,
)
_IN_PERSON = re.compile(r"\b(?:in[- ]person|face[- ]to[- ]face|physically)\b", re.IGNORECASE)


def asks_manner(question: str) -> bool:
    """Whether a question asks if something was done in person or remotely."""
    return bool(_REMOTE.search(question) or _IN_PERSON.search(question))


def manner_verdict(question: str, sentence: str) -> str | None:
    """'Yes' or 'No' to a question about how something was done, in person or remotely, when the sentence says
    which ("did venezuela sign in person" over "… by video link": No); None when either is silent."""
    asked_remote, asked_person = bool(_REMOTE.search(question)), bool(_IN_PERSON.search(question))
    said_remote, said_person = bool(_REMOTE.search(sentence)), bool(_IN_PERSON.search(sentence))
    if asked_remote == asked_person or said_remote == said_person:
        return None  # neither or both asked ("in person or remotely?"), neither or both said
    return "Yes" if asked_remote == said_remote else "No"


def names_new_place(sentence: str, shown: str) -> bool:
    """Whether a sentence names a place the answer shown does not ("It is in Longueuil" after "at the CSA's
    headquarters"; not "SpaceNews reported the signing in Dubai" after "… in Dubai")."""
    for match in PLACE.finditer(sentence):
        name = re.findall(r"[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*", match.group(0))
        if name and name[-1] not in shown:
            return True
    return False


def names_other(sentence: str, words: list[str], expects: str) -> bool:
    """Whether the sentence names a person (an organisation, a place) other than the question's own words:
    "CNSA deputy director Bian Zhigang said …" answers "which CNSA official said …", a sentence naming only
    CNSA does not. The kinds are matched in the sentence as written, then the question's words are set aside."""
    pattern = {"person": PERSON, "place": PLACE}.get(expects)
    patterns = [PERSON, AGENT] if expects == "agent" else [pattern] if pattern is not None else []
    from retrieval.reading.places import places

    asked = {w.lower() for w in words if len(w) > 2}
    world = places()
    signing = any(w.startswith("sign") for w in asked) and not any(w.startswith("ratif") for w in asked)
    for regex in patterns:
        for match in regex.finditer(sentence):
            if regex is AGENT and signing and _LEGISLATURE.search(match.group(0)):
                continue  # "who signed it for russia": a parliament ratifies, it does not sign
            if regex is PERSON and _part_of_a_name(sentence, match, world):
                continue  # "South Africa,", "the United Arab Emirates,", "the Isle of Man Government had"
            if regex is PERSON and _A_TITLE_BEFORE.search(sentence[: match.start()]):
                continue  # "the newspaper Ta Kung Pao": a publication's name, not a person's
            named = [w for w in re.findall(r"[A-Za-zÀ-ÿ][\w'’.-]*", match.group(0)) if w[:1].isupper()]
            if any(w.lower().removesuffix("'s").removesuffix("’s") not in asked for w in named):
                return True
    return False


_LEGISLATURE = re.compile(r"\b(?:Duma|Parliament|Senate|Assembly)\b")
_A_TITLE_BEFORE = re.compile(
    r"\b(?:newspaper|paper|daily|magazine|outlet|website|site|agency|broadcaster|channel|journal)\s+(?:[A-Z]\w*\s+)?$"
)
_BODY = re.compile(
    r"\b(?:Government|Parliament|Senate|Cabinet|Embassy|Consulate|Republic|Kingdom|Union|Ministry|Department|"
    r"Agency|Administration|Office|Institute|University|Academy|Council|Commission)\b"
)


def _part_of_a_name(sentence: str, match: re.Match[str], world: Places) -> bool:
    """Whether what looks like a person's name is a country or a body, alone or as the end of a longer name
    ("Arab Emirates" in "the United Arab Emirates", "Man Government" in "the Isle of Man Government")."""
    name = match.group(0).strip(" ,")
    before = re.search(r"(?:\b(?:[A-Z][\w'’.-]*|of|and) )+$", sentence[: match.start()])
    longer = f"{before.group(0) if before else ''}{name}"
    return bool(world.iso3(name) or world.iso3(longer) or _BODY.search(longer))


def without(sentence: str, words: list[str]) -> str:
    """The sentence with the question's own words blanked, to see what else it names."""
    for word in sorted(words, key=len, reverse=True):
        if len(word) > 2:
            sentence = re.sub(rf"(?<!\w){re.escape(word)}(?:'s)?(?!\w)", "x", sentence, flags=re.IGNORECASE)
    return sentence


_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.split("|"), start=1)}


def iso_date(text: str) -> str:
    """'6 December 2023' -> '2023-12-06', 'December 2023' -> '2023-12-01', '2023-12-06' kept; '' if not a date."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return text
    day = re.fullmatch(rf"(\d{{1,2}}) ({_MONTHS}) (\d{{4}})", text)
    if day:
        return f"{day.group(3)}-{_MONTH_NUMBER[day.group(2)]:02d}-{int(day.group(1)):02d}"
    us = re.fullmatch(rf"({_MONTHS}) (\d{{1,2}}),? (\d{{4}})", text)
    if us:
        return f"{us.group(3)}-{_MONTH_NUMBER[us.group(1)]:02d}-{int(us.group(2)):02d}"
    month = re.fullmatch(rf"({_MONTHS}) (\d{{4}})", text)
    if month:
        return f"{month.group(2)}-{_MONTH_NUMBER[month.group(1)]:02d}-01"
    return ""


def near_duplicate(a: str, b: str) -> bool:
    """Two sentences that say nearly the same thing: mostly the same words, and the second states no date or
    figure the first does not (another source's different date is not a repeat). Citation marks ("[2]") are
    not figures."""
    a, b = without_marks(a), without_marks(b)
    wa, wb = _words(a), _words(b)
    overlap = len(wa & wb) / max(1, min(len(wa), len(wb)))
    facts_a = set(DATE.findall(a)) | set(counts_in(a))
    facts_b = set(DATE.findall(b)) | set(counts_in(b))
    if facts_b - facts_a:
        return False
    return overlap > 0.6 or (bool(facts_a) and facts_a == facts_b and overlap > 0.4)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def previous_sentence(passage: str, sentence: str) -> str | None:
    """The sentence before this one in its passage."""
    sentences = split_sentences(passage)
    if sentence in sentences:
        i = sentences.index(sentence)
        return sentences[i - 1] if i > 0 else None
    return None
