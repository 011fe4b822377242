"""Membership questions answered from the members registry, cited with the articles that report them.

"When did Pakistan join?", "is Thailand in both?", "how many countries signed the Accords?",
"which countries are in the ILRS?", "who joined in 2024?" all have exact answers in the registry.
The registry picks the facts; every sentence is quoted from, or cited to, an article passage that
states them, so citations stay checkable. Returns None when the registry does not cover a question.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from retrieval.answer_types import Answer, AnswerBuilder, Evidence
from retrieval.catalog import STOPWORDS, Catalog
from retrieval.chunking import Chunk
from retrieval.members_registry import ALIASES, SHORT_NAMES, Member, Registry, fold, human_date
from retrieval.questions import QuestionInfo
from retrieval.search import Searcher
from retrieval.sentences import DATE, split_sentences

COALITION_WORDS = {"artemis_accords": ("Artemis Accords", "Accords"),
                   "ilrs": ("ILRS", "International Lunar Research Station", "lunar station")}
_ORDER_WORDS = re.compile(r"\b(order|number|which (number|place)|\d+(st|nd|rd|th)|position)\b")
_CONFLICT_WORDS = re.compile(r"\b(says?|said|reports?|reported|according|other|while|whereas|gives?|puts?|dat(es|ed))\b")
CONFIDENCE = 0.9


# Words a plain membership question is made of. Anything else ("ratify", "cabinet", "African",
# "Biden", "ceremony") means the question asks more than the registry knows: answer from the articles.
_TEMPLATE = set("""
    when what which who how many much did does do is are was were has have had join joined joins joining sign signed
    signs signing signatory signatories member members membership part partner partners country countries nation
    nations state states organisation organisations organization organizations institution institutions date day
    exact exactly year month number order th st nd rd place position first become became becoming list all name
    names total so far now currently today there in of the to a an by as at end since until before after both
    coalition coalitions artemis accords accord ilrs international lunar research station moon base china chinas
    china's project program programme agreement club yet actually officially formally formal officially status
    belong belongs count tally either two each also already ever up which's whats lunar station's
    """.split())


def _residual(info: QuestionInfo) -> set[str]:
    """Content words of the question beyond the membership template and the names it mentions."""
    words = set(re.findall(r"[a-z0-9']+", fold(info.text)))
    for name in info.members:
        words -= set(re.findall(r"[a-z0-9']+", fold(" ".join(_variants(name)))))
    # "uae", "uk", "czechia": an alias the question used for a member is that member too
    words -= {w for alias, name in ALIASES.items() if name in info.members for w in re.findall(r"[a-z0-9']+", alias)}
    words = {w[:-2] if w.endswith("'s") else w for w in words}
    left = {w for w in words - _TEMPLATE - STOPWORDS if not w.isdigit() and len(w) > 1}
    # a misspelt member name ("azerbajan") is the member, not an extra word
    name_words = [w for name in info.members for w in re.findall(r"[a-z0-9']+", fold(name))]
    return {w for w in left if not difflib.get_close_matches(w, name_words, n=1, cutoff=0.8)}


def membership_answer(info: QuestionInfo, registry: Registry, catalog: Catalog, searcher: Searcher) -> Answer | None:
    """An answer from the registry, or None when the question is not a membership look-up it covers."""
    if _residual(info) - {"20" + str(y)[2:] for y in info.years}:
        return None
    builder = AnswerBuilder()
    lowered = info.text.lower()
    if info.members and info.asks_both:
        _member_in_both(info, registry, catalog, builder)
    elif info.members and (info.qtype in ("when", "yes_no") or _ORDER_WORDS.search(lowered)):
        _member_dates(info, registry, catalog, builder)
    elif info.asks_both and (info.about_membership or info.wants_list):
        _overlap(registry, catalog, builder)
    elif info.qtype == "how_many" and info.about_membership and info.coalitions == ["artemis_accords"] \
            and not info.members:
        _artemis_count(info, registry, catalog, searcher, builder)
    elif info.years and info.about_membership and info.qtype in ("who", "which") and not info.wants_organisations:
        _joined_in_year(info, registry, catalog, searcher, builder)
    elif info.wants_list and len(info.coalitions) == 1 and info.qtype in ("which", "who", "what"):
        _member_list(info, registry, catalog, searcher, builder)
    if not builder.citations:
        return None
    return Answer(question=info.text, text=builder.text, citations=builder.citations, refused=False,
                  confidence=CONFIDENCE, answerer="offline")


# -- finding the passage that states a fact --------------------------------------------------
def _variants(member: str) -> list[str]:
    base = re.sub(r"\s*\(.*?\)", "", member).split(",")[0].strip()
    acronyms = [a for a in re.findall(r"\(([^)]+)\)", member) if a.isupper()]
    return [v for v in dict.fromkeys([member, base, *acronyms]) if v]


def _mentions(sentence: str, member: str) -> bool:
    return any(re.search(rf"(?<![\w]){re.escape(v)}(?![\w])", sentence) for v in _variants(member))


def _row_sentences(row: Member, catalog: Catalog) -> list[tuple[str, Chunk]]:
    """Sentences of the row's article that name the member and its joining date, best first."""
    found: list[tuple[int, str, Chunk]] = []
    for chunk in catalog.chunks_of(row.article):
        for sentence in split_sentences(chunk.text):
            if _mentions(sentence, row.member) and row.joined_human in sentence:
                score = sum(2 for w in COALITION_WORDS[row.coalition] if w in sentence)
                score += 2 if row.order is not None and re.search(rf"\b{row.order}(st|nd|rd|th)\b", sentence) else 0
                score -= len(sentence) // 200
                found.append((score, sentence, chunk))
    found.sort(key=lambda t: -t[0])
    return [(s, c) for _, s, c in found]


def _conflict_sentence(row: Member, chunk: Chunk, used: str) -> str | None:
    """A sentence in the same passage giving another source's date for the same event."""
    for sentence in split_sentences(chunk.text):
        if sentence == used or not _CONFLICT_WORDS.search(sentence):
            continue
        dates = {d for d in DATE.findall(sentence)}
        if dates and any(d != row.joined_human for d in dates) and (
            _mentions(sentence, row.member) or row.joined_human in sentence
        ):
            return sentence
    return None


def _evidence(chunk: Chunk) -> Evidence:
    return Evidence(chunk.doc_id, chunk.title, chunk.outlet, chunk.published, chunk.url, chunk.text)


def _cover(names: list[str], chunks: Iterable[Chunk], limit: int = 4) -> list[Chunk]:
    """Few passages that together name as many of `names` as possible (greedy set cover)."""
    pool = list({c.chunk_id: c for c in chunks}.values())
    left = set(names)
    chosen: list[Chunk] = []
    while left and pool and len(chosen) < limit:
        best = max(pool, key=lambda c: (sum(1 for n in left if _mentions(c.text, n)), c.published))
        hit = {n for n in left if _mentions(best.text, n)}
        if not hit:
            break
        chosen.append(best)
        left -= hit
        pool.remove(best)
    return chosen


# -- the look-ups ----------------------------------------------------------------------------
def _member_dates(info: QuestionInfo, registry: Registry, catalog: Catalog, builder: AnswerBuilder) -> None:
    for name in info.members[:3]:
        rows = registry.member(name)
        wanted = [r for r in rows if not info.coalitions or r.coalition in info.coalitions]
        if not wanted:
            for coalition in info.coalitions:
                prefix = "No: t" if info.qtype == "yes_no" else "T"
                builder.add_plain(f"{prefix}he indexed articles do not list {name} as a member of the "
                                  f"{SHORT_NAMES[coalition]}.")
            wanted = rows  # say what is known about the member instead
        for row in wanted:
            sentences = _row_sentences(row, catalog)
            if not sentences:
                continue
            if row.status == "announced":  # say plainly that it is not done yet
                sentences.sort(key=lambda sc: not re.search(r"pending|not yet|formal", sc[0]))
            sentence, chunk = sentences[0]
            if info.qtype == "yes_no" and row.coalition in info.coalitions:
                sentence = {"member": "Yes. ", "announced": "Not yet formally. ",
                            "unconfirmed": "Unconfirmed. "}[row.status] + sentence
            builder.add(sentence, _evidence(chunk))
            other = _conflict_sentence(row, chunk, sentences[0][0])
            if other and info.qtype == "when":
                builder.add(other, _evidence(chunk))
            caveat = _caveat_sentence(row, catalog, used={s for s, _ in sentences[:1]})
            if caveat and (info.qtype == "yes_no" or row.status != "member"):
                builder.add(caveat[0], _evidence(caveat[1]))


# Words that qualify a membership, strongest first.
_CAVEATS = [re.compile(rf"\b({w})\b", re.I) for w in (
    "pending|unconfirmed", "not yet|not included|not counted", "absent|missing|not (?:on|in) the|does not appear",
    "territory|dependency|crown", "however|but|rather than|not")]


def _caveat_sentence(row: Member, catalog: Catalog, used: set[str]) -> tuple[str, Chunk] | None:
    """A sentence of the row's article, or of another article about the member, that qualifies its membership."""
    chunks = catalog.chunks_of(row.article)
    hits = catalog.keyword_search(f"{_variants(row.member)[-1]} not pending unconfirmed absent list", limit=15)
    chunks += sorted(catalog.get_chunks([cid for cid, _ in hits]).values(), key=lambda c: c.published, reverse=True)
    for pattern in _CAVEATS:
        for chunk in chunks:
            for sentence in split_sentences(chunk.text):
                if sentence not in used and _mentions(sentence, row.member) and pattern.search(sentence) \
                        and (chunk.doc_id == row.article or SHORT_NAMES[row.coalition] in sentence
                             or COALITION_WORDS[row.coalition][1] in sentence):
                    return sentence, chunk
    return None


def _member_in_both(info: QuestionInfo, registry: Registry, catalog: Catalog, builder: AnswerBuilder) -> None:
    for name in info.members[:3]:
        rows = {r.coalition: r for r in registry.member(name)}
        found = {c: _row_sentences(r, catalog) for c, r in rows.items()}
        if len(rows) == 2 and all(found.values()) and all(r.status == "member" for r in rows.values()):
            ilrs, artemis = rows["ilrs"], rows["artemis_accords"]
            builder.add(f"Yes: {name} is in both coalitions, having joined the ILRS on {ilrs.joined_human} and "
                        f"signed the Artemis Accords on {artemis.joined_human}",
                        _evidence(found["ilrs"][0][1]), _evidence(found["artemis_accords"][0][1]))
            continue
        for coalition, row in rows.items():
            if found[coalition]:
                prefix = "" if row.status == "member" else f"{row.status.capitalize()}: "
                builder.add(prefix + found[coalition][0][0], _evidence(found[coalition][0][1]))
        missing = [SHORT_NAMES[c] for c in ("ilrs", "artemis_accords") if c not in rows]
        if missing:
            builder.add_plain(f"The indexed articles do not list {name} in the {missing[0]}, so not in both.")


def _overlap(registry: Registry, catalog: Catalog, builder: AnswerBuilder) -> None:
    pairs = registry.overlap()
    confirmed = [(a, b) for a, b in pairs if a.status == b.status == "member"]
    for artemis, ilrs in confirmed:
        parts = []
        for row in (ilrs, artemis):
            sentences = _row_sentences(row, catalog)
            if sentences:
                parts.append((row, sentences[0][1]))
        if len(parts) == 2:
            (r1, c1), (r2, c2) = parts
            builder.add(f"{artemis.member} joined the ILRS on {r1.joined_human} and signed the Artemis Accords "
                        f"on {r2.joined_human}", _evidence(c1), _evidence(c2))
    for artemis, ilrs in pairs:
        if (artemis, ilrs) in confirmed:
            continue
        uncertain = ilrs if ilrs.status != "member" else artemis
        sentences = _row_sentences(uncertain, catalog)
        if sentences:
            builder.add(f"{uncertain.member} is {uncertain.status} in the "
                        f"{SHORT_NAMES[uncertain.coalition]}: {sentences[0][0]}", _evidence(sentences[0][1]))


def _count_passages(n: int, coalition: str, catalog: Catalog, searcher: Searcher, before: str | None
                    ) -> list[tuple[str, Chunk]]:
    """Sentences stating that the coalition had n signatories, newest first."""
    words = COALITION_WORDS[coalition]
    hits = catalog.keyword_search(f"{n} {words[0]} signatories countries", limit=40)
    chunks = catalog.get_chunks([cid for cid, _ in hits])
    found = []
    for chunk in chunks.values():
        if before and chunk.published > before:
            continue
        for sentence in split_sentences(chunk.text):
            if re.search(rf"(?<![\d.,-]){n}(?![\d,]|st|nd|rd|th)", sentence) and any(w in sentence for w in words) \
                    and re.search(r"signator|countr|nations|members", sentence):
                found.append((chunk.published, sentence, chunk))
    # newest first; within one article, a sentence that says "as of" its date first
    found.sort(key=lambda t: (t[0], "as of" in t[1].lower()), reverse=True)
    return [(s, c) for _, s, c in found]


def _artemis_count(info: QuestionInfo, registry: Registry, catalog: Catalog, searcher: Searcher,
                   builder: AnswerBuilder) -> None:
    listing = registry.members("artemis_accords", member_type="country", as_of=info.as_of)
    if info.during_year:  # "how many signed in 2024": the year's signings, stated by an article about that year
        year = str(info.during_year)
        n = sum(1 for m in listing.members if m.joined.startswith(year))
        stated = [(s, c) for s, c in _count_passages(n, "artemis_accords", catalog, searcher, None) if year in s]
        if stated:
            builder.add(stated[0][0], _evidence(stated[0][1]))
        return
    n = len(listing.members)
    before = listing.as_of
    if before is None and listing.members:
        before = None  # newest article
    stated = _count_passages(n, "artemis_accords", catalog, searcher, before)
    if not stated:
        return
    sentence, chunk = stated[0]
    if "as of" not in sentence.lower() and human_date(chunk.published) not in sentence:
        sentence = f"As of {human_date(chunk.published)}: {sentence}"
    builder.add(sentence, _evidence(chunk))
    for other in listing.others:
        sentences = _row_sentences(other, catalog)
        if sentences:
            builder.add(f"Not yet counted: {sentences[0][0]}", _evidence(sentences[0][1]))


def _names_sentence(intro: str, rows: list[Member], catalog: Catalog, searcher: Searcher,
                    builder: AnswerBuilder) -> None:
    names = [r.member for r in rows]
    pool: list[Chunk] = []
    for r in rows:
        pool += catalog.chunks_of(r.article)
    hits = catalog.keyword_search(" ".join(_variants(n)[-1] for n in names[:30]), limit=30)
    pool += catalog.get_chunks([cid for cid, _ in hits]).values()
    cited = _cover(names, pool, limit=6)
    shown = ", ".join(f"{r.member} ({r.joined_human})" if len(rows) <= 20 else r.member for r in rows)
    builder.add(f"{intro}: {shown}", *[_evidence(c) for c in cited])


def _joined_in_year(info: QuestionInfo, registry: Registry, catalog: Catalog, searcher: Searcher,
                    builder: AnswerBuilder) -> None:
    year = str(info.years[-1])
    for coalition in info.coalitions or ["artemis_accords", "ilrs"]:
        rows = [m for m in registry.members(coalition).members if m.joined.startswith(year)]
        if info.wants_list and re.search(r"countr|nation", info.text.lower()):
            rows = [m for m in rows if m.member_type == "country"]
        if not rows:
            builder.add_plain(f"The registry lists no one joining the {SHORT_NAMES[coalition]} in {year}.")
            continue
        verb = "signed the Artemis Accords" if coalition == "artemis_accords" else "joined the ILRS"
        _names_sentence(f"In {year}, {len(rows)} {'members' if len(rows) != 1 else 'member'} {verb}", rows,
                        catalog, searcher, builder)


def _member_list(info: QuestionInfo, registry: Registry, catalog: Catalog, searcher: Searcher,
                 builder: AnswerBuilder) -> None:
    coalition = info.coalitions[0]
    member_type = "organisation" if info.wants_organisations else "country"
    listing = registry.members(coalition, member_type=member_type, as_of=info.as_of)
    if not listing.members:
        return
    if coalition == "artemis_accords" and member_type == "country":
        _artemis_count(info, registry, catalog, searcher, builder)
        _names_sentence("In signing order", listing.members, catalog, searcher, builder)
        return
    kind = "partner organisations" if member_type == "organisation" else "member countries"
    _names_sentence(f"The {SHORT_NAMES[coalition]} {kind} in the registry, in joining order", listing.members,
                    catalog, searcher, builder)
    for other in listing.others:
        sentences = _row_sentences(other, catalog)
        if sentences:
            builder.add(f"Not counted ({other.status}): {sentences[0][0]}", _evidence(sentences[0][1]))
