"""Membership news: the sentences of an article that report a country or organisation joining, signing,
being announced as joining, or withdrawing from either coalition, read into one event each.

A sentence is read with the question reader's own names (retrieval/reading: registry names, aliases,
demonyms, misspellings, "the accords", "China's moon base"), so the detector and the answerer never
disagree about who is meant. Then, for each verb of joining, the grammar around it decides:

- its subject must be a registry member (or a member's government, minister or space agency), or a country
  in neither coalition (read by its common name, so a new signatory's first report is found), standing
  at the head of its clause: a name inside a phrase ("institutions from Serbia"), a relative clause
  ("Senegal, which signed …") or a clause of time ("after Azerbaijan joined …") is background, not news;
- nothing between the subject and the verb may make it unreal: a modal ("will", "would", "could"), a
  negation, an infinitive ("plans to join", "is expected to sign"), the past perfect of a recalled event
  ("had already signed"), a passive; a question, a condition or a disputed claim is never news;
- its object must be a coalition (or a membership document, where the article is about one coalition),
  not a meeting, a seminar or NASA's Artemis missions, and not a renewal ("re-signed", "a new protocol");
- a date is read from the verb's own clause (dates.periods_in: explicit, or relative to the publication
  date); a present-perfect report with no date is dated by the publication itself ("published").

Precision comes first: an event is only read where the grammar says plainly who did what; anything less
certain is left out rather than guessed. No discord import.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from retrieval.documents import Article
from retrieval.members_registry import COALITIONS, Member, Registry, date_end, date_start
from retrieval.reading.dates import Period, periods_in
from retrieval.reading.places import places
from retrieval.reading.query import (
    EVENT_WORDS,
    MEMBER_NOUNS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    QuestionReader,
    Token,
)
from retrieval.sentences import split_sentences

log = logging.getLogger(__name__)

ACTIONS = ("joined", "signed", "announced", "withdrew")
PRECISIONS = ("day", "week", "month", "year", "published")
# a report with no date of its own ("X has joined") happened on or shortly before its publication
PUBLISHED_WINDOW = dt.timedelta(days=14)
# an announcement falls within days of the signing it announces (before or after it)
ANNOUNCEMENT_WINDOW = dt.timedelta(days=14)

# Verbs of membership, by what they report. "became" needs a membership noun ("the 57th signatory").
_VERBS = {
    **dict.fromkeys(("join", "joins", "joined", "accede", "accedes", "acceded"), "joined"),
    **dict.fromkeys(("sign", "signs", "signed"), "signed"),
    **dict.fromkeys(("become", "becomes", "became"), "became"),
    **dict.fromkeys(("withdraw", "withdraws", "withdrew", "withdrawn", "quit", "quits", "left"), "withdrew"),
    **dict.fromkeys(("exit", "exits", "exited", "leaves"), "withdrew"),
    **dict.fromkeys(("pulled", "pulls"), "withdrew"),  # only with "out"
    **dict.fromkeys(("announce", "announces", "announced"), "announced"),
    "made": "announced",  # only in "made public"
}
_PRESENT = frozenset(
    "join joins sign signs become becomes withdraw withdraws quits leaves exits pulls".split()
)
# Verbs of reporting: an announcer's "it" is the announcer ("announced it would join"); a reporter's claim
# ("ERR said Estonia signed on Monday") is not read as news.
_REPORTERS = frozenset(
    "reported reports said says told confirmed confirms stated states noted notes wrote".split()
)
_MODALS = frozenset("will would could may might should shall must can".split())
_NEGATIONS = frozenset("not never no nor neither".split())
_AUXILIARIES = frozenset("has have had is are was were be been being did does do".split())
# Adverbs that may stand between a subject and its verb without changing what is reported.
_ADVERBS = frozenset(
    """
    also formally officially now today finally then recently just both all jointly together itself themselves
    subsequently eventually later quietly reportedly successfully already thus therefore likewise similarly
    yesterday
""".split()
)
# What may stand before a clause's subject: a comma (after an introductory phrase), a conjunction of clauses,
# an adverb of sequence, or a date.
_CLAUSE_OPENERS = frozenset(
    ", ; : and but meanwhile separately today now also then finally earlier later so".split()
)
# A member's own government, minister or space agency acts for it; an institute or a company does not.
_BODY_WORDS = frozenset(
    """
    government cabinet ministry minister ministers president prime premier ambassador envoy delegation
    authorities officials administration agency space national foreign science affairs
""".split()
)
_BODY_HEADS = frozenset(
    "government cabinet ministry minister ministers president premier ambassador envoy delegation "
    "authorities officials administration agency".split()
)
_PRONOUNS = frozenset("it they".split())
# Documents by which a member joins: the object of "signed" when the article names the coalition elsewhere.
_DOCUMENTS = frozenset(
    "memorandum memorandums memoranda mou mous agreement agreements statement declaration letter accords "
    "accord document documents".split()
)
_DOCUMENT_MODIFIERS = frozenset("joint cooperation intergovernmental government an a the its their".split())
_NOMINALS = frozenset(
    "signing accession entry membership signature joining agreement statement memorandum declaration mou".split()
)
# A renewal, an extension or a second document is not a joining.
_RENEWAL = frozenset(
    """
    again anew renewed renew renews renewal reaffirmed reaffirms reaffirm additional new further extended
    extend extends expand expanded expands updated supplementary protocol amendment implementation follow
""".split()
)
_ROLES = frozenset("observer observers guest guests visitor visitors invitee invitees".split())
# Nouns after a coalition's name that make it a modifier ("the ILRS seminar"), not the thing joined.
_NOT_JOINED = EVENT_WORDS | frozenset(
    "seminar seminars workshop workshops meetings talks session sessions programme program mission "
    "missions developers roadmap principals".split()
)
_HEDGES = frozenset("wrongly falsely erroneously mistakenly incorrectly allegedly supposedly".split())
# A clause ends (for the verb's object and date) at a subordinating word: what follows is another event.
_SUBORDINATORS = frozenset(
    """
    which who whose whom when whenever while whereas although though because after before since following
    until unless if than where like unlike
""".split()
)
_PARTICIPLES = frozenset("becoming making bringing taking raising pushing lifting increasing".split())
_CONTINUATIONS = _PARTICIPLES | frozenset("as the according one its their a an during in on at".split())
_TOTAL_WORDS = frozenset("total number count tally membership signatories members countries nations".split())
_SIGNER_NOUNS = frozenset("signatory signatories signer signers".split())
_DURATION = frozenset("day days week weeks month months year years".split())
_LEADING_QUESTION = frozenset(
    "did does do has have will would could should is are was were can had shall".split()
)


@dataclass(frozen=True)
class ArticleSentence:
    """One sentence of an article, with what a citation of it needs."""

    sentence_id: str  # "<article id>#<n>"
    n: int
    text: str
    article: str
    title: str
    published: str
    url: str


def article_sentences(article: Article) -> list[ArticleSentence]:
    """An article's sentences in order (split as the answerer splits them), each with a stable id."""
    return [
        ArticleSentence(
            f"{article.doc_id}#{n}", n, text, article.doc_id, article.title, article.published, article.url
        )
        for n, text in enumerate(split_sentences(article.body))
    ]


@dataclass(frozen=True)
class MembershipEvent:
    """A member joining, signing, being announced as joining, or withdrawing, as one sentence reports it."""

    member: str  # the registry's name
    coalition: str  # "artemis_accords" | "ilrs"
    action: str  # "joined" | "signed" | "announced" | "withdrew"
    date: str  # 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' (a week: its Monday); "" when the sentence gives none
    precision: str  # "day" | "week" | "month" | "year" | "published" (on or shortly before it) | ""
    ordinal: int | None  # "the 57th signatory"
    count: int | None  # "taking the number of signatories to 50"
    sentence: str
    article: str = ""
    sentence_id: str = ""
    confidence: float = 0.0

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What must match for the event to be right: member, coalition, action and date."""
        return (self.member, self.coalition, self.action, self.date, self.precision)

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The days the date can mean (a report dated by its publication: the two weeks before it)."""
        if not self.date:
            return None
        start = date_start(self.date)
        if self.precision == "published":
            return start - PUBLISHED_WINDOW, start
        if self.precision == "week":
            return start, start + dt.timedelta(days=6)
        return start, date_end(self.date)

    def to_json(self) -> dict[str, object]:
        return {
            "member": self.member,
            "coalition": self.coalition,
            "action": self.action,
            "date": self.date,
            "precision": self.precision,
            "ordinal": self.ordinal,
            "count": self.count,
            "sentence": self.sentence,
            "article": self.article,
            "sentence_id": self.sentence_id,
            "confidence": round(self.confidence, 2),
        }


@dataclass
class _Subject:
    """Who a verb is about, and what stands between them."""

    members: list[str]
    start: int  # index of the subject's first token
    gap: list[str]  # the words between subject and verb
    reporter: str = ""  # "announced" when the verb is in an announcement's "that" clause
    reporter_at: int = -1
    corrected: bool = False  # a name the speller corrected
    coordinated: bool = False  # "… and signed": the subject of the verb before

    def gap_has(self, words: frozenset[str]) -> bool:
        return bool(set(self.gap) & words)


@dataclass
class _Reading:
    """One verb read as an event, before the registry's names are attached."""

    members: list[str]
    coalition: str
    action: str
    period: Period | None
    implicit: bool
    ordinals: list[int]
    count: int | None
    confidence: float


class MembershipNews:
    """Finds membership events in article sentences with the answerer's own reader and registry."""

    def __init__(self, reader: QuestionReader, registry: Registry, *, new_members: bool = True) -> None:
        self.reader = reader
        self.registry = registry
        self._members = set(registry.names())
        # a country in neither coalition is read as a member too (by its common name), so that a new
        # signatory's first report is found; off, only registry members are read
        self.new_members = new_members

    # -- entry points ---------------------------------------------------------------------
    def in_article(self, article: Article) -> list[MembershipEvent]:
        """Every event the article's sentences report, in order."""
        if not article.published:
            log.info("Article %s has no publication date; relative dates in it are not read.", article.doc_id)
        published = _date_of(article.published)
        context = article_coalition(article)
        out: list[MembershipEvent] = []
        for sentence in article_sentences(article):
            out += self.in_sentence(
                sentence.text,
                published,
                article=article.doc_id,
                sentence_id=sentence.sentence_id,
                context_coalition=context,
            )
        return out

    def in_sentence(
        self,
        text: str,
        published: dt.date | None,
        *,
        article: str = "",
        sentence_id: str = "",
        context_coalition: str | None = None,
    ) -> list[MembershipEvent]:
        """The events one sentence reports (none for most sentences); relative dates are read against
        `published`, and `context_coalition` is the article's one coalition when the sentence names none."""
        out: list[MembershipEvent] = []
        seen: set[tuple[str, str, str]] = set()
        for reading in self._readings(text, published, context_coalition):
            date, precision = _date_fields(reading.period, reading.implicit, published)
            ordinals = reading.ordinals
            for i, member in enumerate(reading.members):
                key = (member, reading.coalition, reading.action)
                if key in seen:
                    continue
                seen.add(key)
                if len(ordinals) == len(reading.members):
                    ordinal: int | None = ordinals[i]
                else:
                    ordinal = ordinals[0] if len(ordinals) == 1 and len(reading.members) == 1 else None
                out.append(
                    MembershipEvent(
                        member,
                        reading.coalition,
                        reading.action,
                        date,
                        precision,
                        ordinal,
                        reading.count,
                        text,
                        article,
                        sentence_id,
                        reading.confidence - (0.0 if date else 0.1),
                    )
                )
        return out

    # -- reading a sentence -----------------------------------------------------------------
    def _readings(self, text: str, published: dt.date | None, context: str | None) -> Iterable[_Reading]:
        # asides in brackets ("(NASA; ERR says 14 October 2024)", "(Czechia)") are not the clause's own words
        plain = re.sub(r"\s*\([^()]*\)", "", text).strip()
        if not plain or plain.endswith("?"):
            return
        tokens = self.reader.names_in(plain)
        words = [t.text for t in tokens]
        if not words or words[0] in _LEADING_QUESTION or set(words) & _HEDGES:
            return  # a question, an inverted condition ("Should India join …"), a disputed claim
        previous: tuple[_Subject, int] | None = None  # the last subject read, and where its clause ended
        for v, token in enumerate(tokens):
            kind = _VERBS.get(token.text)
            if kind is None or token.entity or token.kind == "punct":
                continue
            end = _clause_end(tokens, v)
            if kind == "announced":
                reading = self._announcement(tokens, v, end, published, context, previous)
                if reading is not None:
                    yield reading
                continue
            subject = self._subject(tokens, v, previous)
            if subject is None:
                continue
            previous = (subject, end)
            reading = self._predicate(tokens, v, end, kind, subject, published, context)
            if reading is not None:
                yield reading

    def _subject(self, tokens: list[Token], v: int, previous: tuple[_Subject, int] | None) -> _Subject | None:
        """The members a verb is about, when they head its clause (or the 'that' clause of a report)."""
        j = v - 1
        gap: list[str] = []
        while j >= 0 and (tokens[j].text in _GAP or _is_date_word(tokens[j])):
            gap.append(tokens[j].text)
            j -= 1
        gap.reverse()
        j = _skip_insertion(tokens, j)
        members, start, corrected = self._noun_phrases(tokens, j)
        if not members:
            if previous is not None and j >= 0 and tokens[j].text in ("and", "but"):
                subject, clause_end = previous
                if clause_end in (j, j - 1):  # "joined the ILRS on … and signed the Accords"
                    return _Subject(subject.members, subject.start, gap, subject.reporter, coordinated=True)
            pronoun = self._pronoun_subject(tokens, j, gap)
            return pronoun
        stop = tokens[start - 1] if start > 0 else None
        subject = _Subject(members, start, gap, corrected=corrected)
        if stop is None or stop.text in _CLAUSE_OPENERS - {"and", "but"} or _is_date_word(stop):
            return subject
        if stop.text in ("and", "but") and start >= 2 and tokens[start - 2].text == ",":
            return (
                subject  # "…, and France signed": a clause of its own ("Serbia's ministry and CNSA" is not)
            )
        announcer = _reporter_before(tokens, start - 1) if stop.text == "that" else start - 1
        if announcer >= 0 and _VERBS.get(tokens[announcer].text) == "announced":
            # "announced on 31 October that Latvia would join", "announced Latvia would join". Only an announcer's
            # clause is news: what another outlet "reported" or "said" is its claim, dated by its own calendar
            # ("ERR said Estonia signed on Monday"), and the articles often quote a claim to refute it.
            subject.reporter, subject.reporter_at = "announced", announcer
            return subject
        return None  # "institutions from Serbia …", "which …", "after Azerbaijan …": not the clause's subject

    def _pronoun_subject(self, tokens: list[Token], j: int, gap: list[str]) -> _Subject | None:
        """'announced that it would join', 'announced … that the country would join': the announcer."""
        start = j
        if j >= 1 and tokens[j].text == "country" and tokens[j - 1].text == "the":
            start = j - 1
        elif not (j >= 0 and tokens[j].text in _PRONOUNS):
            return None
        k = start - 1
        if k >= 0 and tokens[k].text == "that":
            k = _reporter_before(tokens, k)
        elif not (k >= 0 and (tokens[k].text in _REPORTERS or _VERBS.get(tokens[k].text) == "announced")):
            return None
        if k < 0 or _VERBS.get(tokens[k].text) != "announced":
            return None  # only an announcer's own "it": whom a reporter's "it" means is not said
        announcer = self._subject(tokens, k, None)
        if announcer is None or announcer.reporter or announcer.gap_has(_MODALS | _NEGATIONS):
            return None
        return _Subject(announcer.members, start, gap, "announced", k, announcer.corrected)

    def _noun_phrases(self, tokens: list[Token], j: int) -> tuple[list[str], int, bool]:
        """Members named by the noun phrases that end at token j ('Rwanda and Nigeria', "the Thai government",
        "Kenya's KAIST"), leftwards; ([], j + 1, False) when the words there name no member."""
        found: list[str] = []
        corrected = False
        start = j + 1
        while j >= 0:
            phrase = self._noun_phrase(tokens, j)
            if phrase is None:
                break
            member, first, fixed = phrase
            if member:  # a country in neither coalition stays part of the list ("Indonesia, Pakistan and …")
                found.append(member)
            corrected = corrected or fixed
            start = first
            j = first - 1
            if j >= 0 and tokens[j].text == "the":
                start, j = j, j - 1
            if j >= 1 and tokens[j].text == "and" and tokens[j - 1].text == ",":
                conjunction = 2
            elif j >= 0 and tokens[j].text in ("and", ","):
                conjunction = 1
            else:
                break
            if self._noun_phrase(tokens, j - conjunction) is None:
                break  # the conjunction joins clauses, not names: "…, and France signed"
            j -= conjunction
        found.reverse()
        return found, start, corrected

    def _new_member(self, token: Token) -> str:
        """A country in neither coalition, by its common name ('' when not reading new members)."""
        iso3 = _named(token, "country")
        if not iso3 or not self.new_members:
            return ""
        country = places().countries.get(iso3)
        return country.name if country else ""

    def _noun_phrase(self, tokens: list[Token], j: int) -> tuple[str, int, bool] | None:
        """One member named by the phrase ending at j: a name, a member's body ("Pakistan's space agency
        SUPARCO", "the Slovak government"), or an organisation named after its country ("Kenya's KAIST"); ""
        for a country in neither coalition; None when no name ends there."""
        if j < 0:
            return None
        k = j
        if tokens[k].raw.isupper() and len(tokens[k].raw) >= 3 and not tokens[k].entity:
            k -= 1  # an agency's acronym after its name: "space agency SUPARCO"
        body = k
        while k >= 0 and tokens[k].text in _BODY_WORDS and not tokens[k].entity:
            k -= 1
        if k < body and not any(tokens[i].text in _BODY_HEADS for i in range(k + 1, body + 1)):
            return None  # "space" alone is no body
        if k < 0 or not _named(tokens[k], "member", "country"):
            return None
        entity = tokens[k].entity
        first = k
        while first > 0 and tokens[first - 1].entity == entity:
            first -= 1
        name = _named(tokens[k], "member") or self._new_member(tokens[k])
        if not name:
            return "", first, False  # a country in neither coalition: a name, but no member
        if first > 0 and tokens[first - 1].possessive and tokens[first - 1].entity:
            # "Kenya's KAIST", "Ethiopia's Space Science and Geospatial Institute": the organisation
            first -= 1
            while first > 0 and tokens[first - 1].entity == tokens[first].entity:
                first -= 1
        corrected = any(
            t.text.isalpha() and re.sub(r"'s?$", "", t.raw.lower()) != t.text for t in tokens[first : k + 1]
        )
        return name, first, corrected

    def _predicate(
        self,
        tokens: list[Token],
        v: int,
        end: int,
        kind: str,
        subject: _Subject,
        published: dt.date | None,
        context: str | None,
    ) -> _Reading | None:
        """The event a verb reports about its subject, or None when its grammar makes it unreal."""
        gap = subject.gap
        if set(gap) & _NEGATIONS or "to" in gap:
            return None  # "has not joined", "plans to join", "has yet to sign"
        if set(gap) & _MODALS and subject.reporter != "announced":
            return None  # "will sign", "would join", "could become" (an announcer's "would join" is news)
        if set(gap) & {"is", "are", "was", "were", "be", "been", "being"}:
            return None  # a passive ("was signed by"), or a progressive plan ("is joining")
        if "had" in gap and not subject.reporter:
            return None  # "Romania had already signed": a recalled earlier event, not this report's news
        if "did" in gap or "does" in gap or "do" in gap:
            return None
        region = tokens[v + 1 : end]
        region_words = [t.text for t in region]
        verb = tokens[v].text
        if kind == "withdrew":
            return self._withdrawal(tokens, v, end, subject, published)
        if tokens[v].raw.lower().startswith("re") and verb not in _VERBS:
            return None
        if set(region_words) & (_RENEWAL | _ROLES):
            return None  # "signed a new protocol", "joined as an observer"
        segments = _continuation(tokens, end)
        continuation = [t for segment in segments for t in segment]
        action = "signed" if kind == "signed" else "joined"
        if kind == "signed" and region_words[:1] == ["up"]:
            action = "joined"  # "signed up to the ILRS"
        if kind == "became":
            nouns = [w for w in region_words if w in MEMBER_NOUNS]
            if not region_words or region_words[0] not in ("the", "a", "an", "its", "their") or not nouns:
                return None  # "became known", "became a concern"
            if "both" in region_words:
                return None  # "became the first country in both": a fact about the overlap, not a joining
            if nouns[0] in _SIGNER_NOUNS or "sign" in region_words:
                action = "signed"
        elif kind == "joined" and not _joins_coalition_or_plainly(region):
            return None  # "Germany joined many European partners already in the Accords": they are the object
        coalition, how = _coalition_of(region, continuation)
        if how == "modifier":
            return None  # "joined the ILRS seminar", "signed up to the Artemis missions"
        confidence = 0.9
        if not coalition:
            if context is None or not _joins_plainly(region, kind):
                return None
            coalition, confidence = context, confidence - 0.15
        if subject.corrected:
            confidence -= 0.1
        if subject.reporter == "announced":
            action = "announced"
            period = _first_period(tokens, subject.reporter_at + 1, subject.start, published)
            period = period or _first_period(tokens, v + 1, end, published)
        else:
            period = _first_period(tokens, v + 1, end, published)
            if period is None and not subject.coordinated:
                period = _intro_period(tokens, subject.start, published)
            for segment in segments:  # "signed the Accords on the same day, 13 December 2022"
                if period is None and segment and (_is_date_word(segment[0]) or segment[0].text == "on"):
                    period = _first_period(segment, 0, len(segment), published)
        implicit = period is None and not subject.reporter and _reads_as_news(verb, gap)
        ordinals = _ordinals(region + continuation)
        return _Reading(
            subject.members,
            coalition,
            action,
            period,
            implicit,
            ordinals,
            _count(region + continuation),
            confidence - (0.05 if implicit else 0.0),
        )

    def _withdrawal(
        self, tokens: list[Token], v: int, end: int, subject: _Subject, published: dt.date | None
    ) -> _Reading | None:
        """'withdrew from the ILRS', 'has pulled out of the Artemis Accords', 'left the Accords': the coalition
        must be what is left, named right after the verb."""
        i = v + 1
        if tokens[v].text in ("pulled", "pulls"):
            if i >= end or tokens[i].text != "out":
                return None
            i += 1
        while i < end and tokens[i].text in ("from", "of", "the"):
            i += 1
        if i >= end or not _named(tokens[i], "coalition"):
            return None
        coalition = _named(tokens[i], "coalition")
        period = _first_period(tokens, v + 1, end, published)
        implicit = period is None and _reads_as_news(tokens[v].text, subject.gap)
        return _Reading(subject.members, coalition, "withdrew", period, implicit, [], None, 0.85)

    def _announcement(
        self,
        tokens: list[Token],
        v: int,
        end: int,
        published: dt.date | None,
        context: str | None,
        previous: tuple[_Subject, int] | None,
    ) -> _Reading | None:
        """'X was announced as the 60th signatory', "X's signing of the Accords was announced on …", "the White
        House announced the Philippines' accession to the Accords", 'X announced its accession to …'. A 'that'
        clause after 'announced' is read from its own verb (see _subject)."""
        if tokens[v].text == "made" and (v + 1 >= len(tokens) or tokens[v + 1].text != "public"):
            return None
        j = v - 1
        gap: list[str] = []
        while j >= 0 and (tokens[j].text in _GAP or _is_date_word(tokens[j])):
            gap.append(tokens[j].text)
            j -= 1
        if set(gap) & (_NEGATIONS | _MODALS) or "to" in gap:
            return None
        if not gap and j >= 2 and tokens[j].text in _NOMINALS and tokens[j - 1].text in ("its", "their"):
            gap = ["was"]  # "with its signing announced …": a passive without its auxiliary
        passive = bool(set(gap) & {"was", "were", "been", "is", "are"})
        region = tokens[v + 1 : end]
        members: list[str] = []
        coalition = ""
        if passive:
            members, start, _ = self._noun_phrases(tokens, j)
            if members:  # "Latvia was announced as the 60th signatory"
                if not region or region[0].text != "as":
                    return None
                stop_ok = start == 0 or tokens[start - 1].text in _CLAUSE_OPENERS
            elif j >= 2 and tokens[j].text in _NOMINALS and tokens[j - 1].text in ("its", "their"):
                # "…, with its signing announced on 9 December 2021": the clause's own subject
                if previous is None or tokens[j - 2].text != "with":
                    return None
                members, start, stop_ok = previous[0].members, j - 2, True
            else:  # "Mexico's signing of the Artemis Accords was announced"
                members, coalition, start = self._nominal(tokens, j)
                stop_ok = start == 0 or tokens[start - 1].text in _CLAUSE_OPENERS
            if not members or not stop_ok:
                return None
        else:
            k = v + 1
            while k < end and tokens[k].text == "the":
                k += 1
            end_of_name = _name_end(tokens, k)
            phrase = self._noun_phrase(tokens, end_of_name)
            if phrase is None or end_of_name + 1 >= end or tokens[end_of_name + 1].text not in _NOMINALS:
                return None  # only "announced the Philippines' accession …", "announced Latvia's signing …"
            members = [phrase[0]]
            region = tokens[end_of_name + 2 : end]
        if set(t.text for t in region) & _RENEWAL:
            return None
        found, how = _coalition_of(region, [t for segment in _continuation(tokens, end) for t in segment])
        coalition = coalition or found
        if how == "modifier" and not coalition:
            return None
        confidence = 0.85
        if not coalition:
            if context is None:
                return None
            coalition, confidence = context, confidence - 0.15
        period = _first_period(tokens, v + 1, end, published)
        return _Reading(members, coalition, "announced", period, False, _ordinals(region), None, confidence)

    def _nominal(self, tokens: list[Token], j: int) -> tuple[list[str], str, int]:
        """The member and coalition of a nominal subject ending at j: "Mexico's signing of the Artemis Accords",
        "Venezuela's entry into the ILRS", "the Pakistan-ILRS agreement"."""
        coalition = ""
        k = j
        if k >= 0 and _named(tokens[k], "coalition"):
            coalition = _named(tokens[k], "coalition")
            while k >= 0 and _named(tokens[k], "coalition"):
                k -= 1
            while k >= 0 and tokens[k].text in ("the", "of", "to", "into", "with", "in"):
                k -= 1
        if k < 0 or tokens[k].text not in _NOMINALS:
            return [], "", j + 1
        k -= 1
        if k >= 0 and _named(tokens[k], "coalition"):  # "the Pakistan-ILRS agreement"
            coalition = coalition or _named(tokens[k], "coalition")
            while k >= 0 and _named(tokens[k], "coalition"):
                k -= 1
        phrase = self._noun_phrase(tokens, k)
        if phrase is None:
            return [], "", j + 1
        start = phrase[1]
        if start > 0 and tokens[start - 1].text == "the":
            start -= 1
        return [phrase[0]], coalition, start


_GAP = _ADVERBS | _AUXILIARIES | _MODALS | _NEGATIONS | frozenset({"to", "yet", "on", "in"})


def _named(token: Token, *kinds: str) -> str:
    """The value of the name a token is part of, if it is one of these kinds ('' otherwise)."""
    entity = token.entity
    return entity[1] if entity is not None and entity[0] in kinds else ""


def _is_date_word(token: Token) -> bool:
    word = token.text
    return bool(
        re.fullmatch(r"\d{1,4}(?:st|nd|rd|th)?|\d{4}-\d\d(?:-\d\d)?", word)
        or word
        in (
            "january february march april may june july august september october november december "
            "monday tuesday wednesday thursday friday saturday sunday week month last this"
        ).split()
    )


def _skip_insertion(tokens: list[Token], j: int) -> int:
    """Where the subject ends when a comma-bounded aside stands before the verb ("Senegal, already an ILRS
    member, signed"; "Thailand, which joined the ILRS in April, signed"): the token before the aside."""
    if j < 0 or tokens[j].text != ",":
        return j
    for c in range(j - 1, max(j - 16, 0), -1):
        if tokens[c].text in (";", ":"):
            return j
        if tokens[c].text == "," and c + 1 < j and tokens[c + 1].text in _ASIDE_OPENERS:
            return c - 1
    return j


_ASIDE_OPENERS = frozenset("a an the already which who now itself one long then".split())


def _reporter_before(tokens: list[Token], that: int) -> int:
    """The verb of reporting or announcing a 'that' clause belongs to ('announced on 31 October 2025 that'),
    or -1."""
    k = that - 1
    while k >= 0 and (_is_date_word(tokens[k]) or tokens[k].text in ("on", "in", "the", "a", ",")):
        k -= 1
    if k >= 0 and (tokens[k].text in _REPORTERS or _VERBS.get(tokens[k].text) == "announced"):
        if k >= 1 and tokens[k - 1].text in _HEDGES:
            return -1
        return k
    return -1


def _clause_end(tokens: list[Token], v: int) -> int:
    """Where the verb's clause ends: at a comma, a semicolon, a subordinating word, or 'and' before another
    verb ('joined the ILRS … and signed the Accords')."""
    for i in range(v + 1, len(tokens)):
        word = tokens[i].text
        if tokens[i].kind == "punct" and word in ",;:.!?":
            return i
        if word in _SUBORDINATORS and not tokens[i].entity:
            return i
        if word == "that" and i > v + 1:
            return i
        if word in ("and", "but") and any(
            _VERBS.get(t.text) not in (None, "announced") for t in tokens[i + 1 : i + 3]
        ):
            return i
    return len(tokens)


def _continuation(tokens: list[Token], end: int) -> list[list[Token]]:
    """The comma-bounded phrases that go on describing the verb's event: ', becoming the 33rd signatory',
    ', according to NASA, as the 47th signatory', ', the tenth country to do so', ', 13 December 2022'."""
    out: list[list[Token]] = []
    i = end
    if i < len(tokens) and tokens[i].text in ("after", "before"):
        # "three days after Sweden, on 19 April 2024": a short comparison, then the event goes on
        k = i + 1
        while k < len(tokens) and k <= i + 4 and (tokens[k].entity or tokens[k].text == "the"):
            k += 1
        if k < len(tokens) and tokens[k].text == "," and k > i + 1:
            i = k
    while i < len(tokens) and tokens[i].text == ",":
        j = i + 1
        if j >= len(tokens) or not (tokens[j].text in _CONTINUATIONS or _is_date_word(tokens[j])):
            break
        k = j
        while (
            k < len(tokens)
            and tokens[k].text not in (",", ";", ":", ".")
            and tokens[k].text not in _SUBORDINATORS
        ):
            k += 1
        if tokens[j].text != "according":
            out.append(tokens[j:k])
        i = k
    return out


def _coalition_of(region: Sequence[Token], continuation: Sequence[Token]) -> tuple[str, str]:
    """The coalition a verb's object names (then its continuation), and how: ('ilrs', 'object'), or
    ('', 'modifier') when the only coalition named modifies something else ('the ILRS seminar')."""
    for tokens in (region, continuation):
        modifier = False
        i = 0
        while i < len(tokens):
            entity = tokens[i].entity
            if entity is None or entity[0] != "coalition":
                i += 1
                continue
            j = i
            while j + 1 < len(tokens) and tokens[j + 1].entity == entity:
                j += 1
            after = tokens[j + 1].text if j + 1 < len(tokens) else ""
            if after in _NOT_JOINED or (tokens[j].possessive and after not in _DOCUMENTS):
                modifier = True
                i = j + 1
                continue
            return entity[1], "object"
        if modifier:
            return "", "modifier"
    return "", ""


def _joins_coalition_or_plainly(region: Sequence[Token]) -> bool:
    """Whether 'joined' is followed by the coalition itself ('joined the ILRS', "joined China's moon base") or by
    nothing but when, where and as what: not by other members or a group ('joined its Nordic neighbours')."""
    i = 0
    while i < len(region) and region[i].text in ("the", "to", "into", "up"):
        i += 1
    if i < len(region) and _named(region[i], "coalition"):
        return True
    return _joins_plainly(region, "joined")


def _joins_plainly(region: Sequence[Token], kind: str) -> bool:
    """Whether a verb with no coalition named joins what the article is about: nothing after it but when and
    where ('Brazil signed on 15 June 2021'), or, for 'signed', a membership document ('signed a memorandum
    with DSEL')."""
    words = [t.text for t in region]
    if not words:
        return True
    if words[0] in (
        "on",
        "in",
        "at",
        "as",
        "during",
        "yesterday",
        "today",
        "last",
        "this",
        "earlier",
        "alongside",
    ):
        return True
    if words[0] in ("a", "an", "one", "ten", "two", "three", "four", "five", "six") and words[1:2] in (
        [d] for d in _DURATION
    ):
        return True  # "signed ten days after Estonia"
    if kind == "signed":
        i = 0
        while i < len(words) and words[i] in _DOCUMENT_MODIFIERS:
            i += 1
        return i > 0 and i < len(words) and words[i] in _DOCUMENTS
    return False


def _region_text(tokens: Sequence[Token]) -> str:
    return re.sub(r"\s+([,;:.])", r"\1", " ".join(t.text for t in tokens))


def _first_period(tokens: list[Token], start: int, end: int, published: dt.date | None) -> Period | None:
    """The date a stretch of the sentence gives for its event: the first date phrase (a range 'between
    September and November 2023' as the month or year holding it), skipping a deadline ('by 2025')."""
    if published is None or start >= end:
        return None
    text = _region_text(tokens[start:end])
    found = [(a, b, p) for a, b, p in periods_in(text, published) if not text[:a].rstrip().endswith(" by")]
    if not found:
        return None
    a, b, first = found[0]
    if re.search(rf"\b(?:{_MONTH_NAMES}) (?:to|until|through|and|-) $", text[:a]):
        return Period(dt.date(first.start.year, 1, 1), dt.date(first.start.year, 12, 31), "year", text[:b])
    if (
        len(found) > 1
        and re.search(r"\b(?:between|from)\s*$", text[:a])
        and re.fullmatch(r"\s*(?:and|to|-)\s*", text[b : found[1][0]])
    ):
        return _covering(first, found[1][2])
    return first


def _covering(a: Period, b: Period) -> Period:
    """The calendar month, or else year, that holds both periods."""
    if (a.start.year, a.start.month) == (b.end.year, b.end.month):
        return Period(a.start.replace(day=1), b.end, "month", f"{a.text} to {b.text}")
    return Period(dt.date(a.start.year, 1, 1), dt.date(a.start.year, 12, 31), "year", f"{a.text} to {b.text}")


def _intro_period(tokens: list[Token], subject_start: int, published: dt.date | None) -> Period | None:
    """A date before the subject ('In October 2023, Belarus joined …'), when nothing else stands there."""
    intro = tokens[:subject_start]
    if not intro or any(t.text in _SUBORDINATORS or t.text in _VERBS for t in intro):
        return None
    return _first_period(tokens, 0, subject_start, published)


def _reads_as_news(verb: str, gap: list[str]) -> bool:
    """A report of what has just happened, dated by its publication: 'has joined', 'joins', 'signs'."""
    return bool(set(gap) & {"has", "have"}) or verb in _PRESENT


def _date_fields(period: Period | None, implicit: bool, published: dt.date | None) -> tuple[str, str]:
    if period is not None:
        if period.grain == "year":
            return str(period.start.year), "year"
        if period.grain == "month":
            return period.start.strftime("%Y-%m"), "month"
        return period.start.isoformat(), period.grain
    if implicit and published is not None:
        return published.isoformat(), "published"
    return "", ""


_MONTH_NAMES = "january|february|march|april|may|june|july|august|september|october|november|december"
_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)")


def _ordinal_value(word: str) -> int | None:
    if _ORDINAL.fullmatch(word):
        return int(re.sub(r"\D", "", word))
    return ORDINAL_WORDS.get(word)


def _ordinals(tokens: Sequence[Token]) -> list[int]:
    """The event's place in its coalition ('the 57th signatory', 'as the 22nd and 23rd', 'its 13th member
    nation'); a place among a kind ('the third African country', 'the first signatory of 2025', 'the first
    country to join both') is not its place in the coalition."""
    words = [t.text for t in tokens]
    for i, word in enumerate(words):
        value = _ordinal_value(word)
        if value is None or i == 0 or words[i - 1] not in ("the", "its", "their"):
            continue
        values = [value]
        k = i + 1
        while k + 1 < len(words) and words[k] == "and" and _ordinal_value(words[k + 1]) is not None:
            values.append(_ordinal_value(words[k + 1]) or 0)
            k += 2
        if k < len(words) and words[k] == "member" and k + 1 < len(words) and words[k + 1] in MEMBER_NOUNS:
            k += 1
        if k < len(words) and words[k] in MEMBER_NOUNS:
            k += 1
        elif k < len(words) and words[k] not in ("on", "in", "at", "and", "with", "after"):
            return []  # an adjective between: "the third African country"
        rest = words[k : k + 8]
        if _qualified(rest):
            return []
        return values
    return []


def _qualified(rest: list[str]) -> bool:
    """Whether the words after 'the Nth signatory' narrow what is counted ('of 2025', 'in 2024', 'since
    Senegal', 'to join both', 'under the new administration')."""
    for i, word in enumerate(rest):
        if word in ("since", "under", "both", "outside", "among", "from", "after", "before"):
            return True
        if word in ("in", "of", "during") and i + 1 < len(rest):
            following = rest[i + 1 : i + 3]
            if any(re.fullmatch(r"(19|20)\d\d", w) for w in following) or following[:1] in (
                ["january"],
                ["february"],
                ["april"],
                ["june"],
                ["july"],
                ["august"],
                ["september"],
                ["october"],
                ["november"],
                ["december"],
                ["africa"],
                ["asia"],
                ["europe"],
            ):
                return True
    return False


def _count(tokens: Sequence[Token]) -> int | None:
    """The coalition's new total when the sentence gives it: 'taking the number of signatories to 50',
    'bringing the total to 17'."""
    words = [t.text for t in tokens]
    for i, word in enumerate(words):
        if word not in _PARTICIPLES or word in ("becoming", "making"):
            continue
        rest = words[i + 1 : i + 9]
        if "to" not in rest or not set(rest[: rest.index("to")]) & _TOTAL_WORDS:
            continue
        after = rest[rest.index("to") + 1 : rest.index("to") + 2]
        if after and after[0].isdigit():
            return int(after[0])
        if after and after[0] in NUMBER_WORDS:
            return NUMBER_WORDS[after[0]]
    return None


def _name_end(tokens: list[Token], k: int) -> int:
    """The last token of the name that starts at k (k itself when no name starts there)."""
    if k >= len(tokens) or not tokens[k].entity:
        return min(k, len(tokens) - 1)
    while k + 1 < len(tokens) and tokens[k + 1].entity == tokens[k].entity:
        k += 1
    return k


def _date_of(text: str) -> dt.date | None:
    try:
        return date_start(text) if text else None
    except ValueError:
        return None


def article_coalition(article: Article) -> str | None:
    """The one coalition an article is about (its topics, else its title), or None for both or neither."""
    topics = {t for t in article.topics if t in COALITIONS}
    if len(topics) == 1:
        return topics.pop()
    title = article.title.lower()
    named = {
        c
        for c, words in (("artemis_accords", ("artemis",)), ("ilrs", ("ilrs", "lunar research")))
        if any(w in title for w in words)
    }
    return named.pop() if len(named) == 1 else None


# -- against the registry --------------------------------------------------------------------------------


@dataclass
class RegistryComparison:
    """How the events read from the articles stand against the registry's rows."""

    rows: int  # registry rows
    found: list[Member] = field(default_factory=list)  # rows an event agrees with (member, coalition, date)
    missed: list[Member] = field(default_factory=list)
    agreeing: list[MembershipEvent] = field(default_factory=list)
    undated: list[MembershipEvent] = field(
        default_factory=list
    )  # right member and coalition, no date to check
    announcements: list[MembershipEvent] = field(
        default_factory=list
    )  # announced within days of the row's date
    date_disagrees: list[tuple[MembershipEvent, Member]] = field(default_factory=list)
    not_in_registry: list[MembershipEvent] = field(
        default_factory=list
    )  # member not listed in that coalition

    @property
    def events(self) -> int:
        return (
            len(self.agreeing)
            + len(self.undated)
            + len(self.announcements)
            + len(self.date_disagrees)
            + len(self.not_in_registry)
        )


def _overlaps(event: MembershipEvent, row: Member, slack: dt.timedelta = dt.timedelta(0)) -> bool:
    period = event.period
    if period is None:
        return False
    start, end = date_start(row.joined), date_end(row.joined)
    return period[0] - slack <= end and start <= period[1] + slack


def compare_with_registry(events: Iterable[MembershipEvent], registry: Registry) -> RegistryComparison:
    """Which registry rows the articles' events confirm, and every event that does not fit a row."""
    rows = {(m.member, m.coalition): m for m in registry.rows}
    out = RegistryComparison(len(registry.rows))
    confirmed: set[tuple[str, str]] = set()
    for event in events:
        row = rows.get((event.member, event.coalition))
        if row is None:
            out.not_in_registry.append(event)
        elif not event.date:
            out.undated.append(event)
        elif event.action == "announced":
            if _overlaps(event, row, ANNOUNCEMENT_WINDOW):
                out.announcements.append(event)
                if row.status != "member" or _overlaps(event, row):
                    confirmed.add((row.member, row.coalition))
            else:
                out.date_disagrees.append((event, row))
        elif _overlaps(event, row):
            out.agreeing.append(event)
            confirmed.add((row.member, row.coalition))
        else:
            out.date_disagrees.append((event, row))
    for row in registry.rows:
        (out.found if (row.member, row.coalition) in confirmed else out.missed).append(row)
    return out
