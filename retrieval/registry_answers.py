"""Structured questions answered from the members registry, every fact cited to the article that states it.

A question whose parts the registry can fill is answered here whatever words surround it: a member's
date or status, lists filtered by coalition, time, type and region, counts, ordinals, firsts and
latests, order, overlap, founders and leaders. The registry picks the facts; each sentence cites the
passage of the article the registry row cites (the passage that names the member and its date), so
a reader can check every claim. Returns None for a question the registry does not cover.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cmp_to_key

from retrieval.answer_types import REFUSAL, Answer, AnswerBuilder, Evidence
from retrieval.catalog import Catalog
from retrieval.chunking import Chunk
from retrieval.composer import MANNER, iso_date, near_duplicate
from retrieval.composer import refers_back as composer_refers_back
from retrieval.members_registry import (
    SHORT_NAMES,
    CoalitionFacts,
    Member,
    Registry,
    date_end,
    date_start,
    human_date,
    verb,
)
from retrieval.reading.dates import TimeFrame, human
from retrieval.reading.lexicon import FUNCTION_WORDS, is_english, plural_of_common
from retrieval.reading.places import Places
from retrieval.reading.query import (
    ALONE,
    EVENT_WORDS,
    LEAD_WORDS,
    MEMBER_NOUNS,
    NUMBER_WORDS,
    PERSON_WORDS,
    Query,
    event_names,
    organisation_homes,
)
from retrieval.sentences import DATE, split_sentences

CONFIDENCE = 0.9
LIST_WITH_DATES = 12  # longer lists give names only
MAX_CITATIONS = 8

# Words a membership question is made of. A corpus word outside these ("ratify", "ceremony", "minister")
# means the question asks more than the registry knows: it goes to the articles.
TEMPLATE = frozenset(
    """
    join joins joined joining sign signs signed signing signatory signatories signer signers member members
    membership part partner partners partnership participant participants participate participating country
    countries nation nations state states government governments organisation organisations organization
    organizations institution institutions agency agencies body bodies party parties territory territories
    date dates day days year years month months number numbers order ordinal position place rank ranked th
    first last latest newest recent recently earliest original founding initial inaugural oldest become became becoming
    list all name names total count tally so far now currently today both coalition coalitions coalitions
    artemis accords accord ilrs international lunar research station moon base lunar china chinese russia
    project program programme agreement agreements club officially formally formal status belong belongs
    belonged either two each also ever up already yet time times when come came comes happen happened
    accede acceded accession adhere adhered enter entered pact treaty alliance initiative bloc group side
    which whose who get got added add adds newly new more fewer many much how overlap common shared total
    since until before after between during by end start beginning early late mid half so far far currently
    one ones sign-up signup signatory's nasa-led us-led china-led led lead founded founder founders
    started start launched launch created create established establish began begin run runs leads leader
    leaders behind charge head heads set up kicked off involved included include includes listed list
    region regions continent continents world area areas parts across from countries' how's other others
    besides except excluding including apart aside neither nor none any anyone anybody not never
    only just exactly about around roughly approximately still remain remains remained again later earlier
    sooner prior ahead second third fourth fifth previous next most least counted count counts
    january february march april may june july august september october november december half quarter point
    moment alone altogether overall combined admitted admit admits admission inducted onboarded enrolled
    put puts placed places leave leaves leaving left non outside minus without ignoring out based
    according figure figures data info information record records counting announcement announcements
    pending
    week weeks season period decade found establishment foundation creation drafted wrote written write draft
    author authors authored begin origin origins initiated initiator signature signatures came coming
    joiner joiners newcomer newcomers entrant entrants addition additions numbered spot no space pioneered
    grow grew grown growth increase increased rise rose expand expanded
    pioneer pioneers spearhead spearheads spearheaded spearheading
    site website page pages says said claim claims claimed source sources article articles report reports reported
    saw read heard told someone somebody people correct true wrong right long gap apart
    make makes made up comprise comprises constitute constitutes form forms final gain gained gains added
    welcomed welcome closed ended kicked kick got already land landed rank ranked come sit fall
    entry entries institute institutes company companies recorded record records taking take takes confirmed
    confirm grouping groupings groups national republic federated kingdom recognised recognized considered
    line queue sequence lineup line-up roster camp camps calendar thing things headcount size counting including
    alongside together along else actually just followed preceded follow follows
    incl outfit outfits non ngo ngos entity entities originally initially event declaration declarations
    memorandum memorandums memoranda memo memos mou mous deal deals named always nonprofit nonprofits described describes describe
""".split()
)


# "who signed the 2021 china-russia memo": the people or agencies who signed one document, not members
_SIGNED_MEMORANDUM = re.compile(
    r"\bwho (?:\w+ )?(?:signed|signs|sign) (?:the|that|this) (?:[\w-]+ ){0,5}?(?:memorandum|memo|mou)\b"
)


@dataclass
class Found:
    """A sentence stating a fact, with the passage it comes from."""

    sentence: str
    chunk: Chunk

    @property
    def evidence(self) -> Evidence:
        c = self.chunk
        return Evidence(c.doc_id, c.title, c.outlet, c.published, c.url, c.text)


def evidence_of(chunk: Chunk) -> Evidence:
    return Evidence(chunk.doc_id, chunk.title, chunk.outlet, chunk.published, chunk.url, chunk.text)


# A question about who has not joined ("which eu countries haven't signed", "are not in the ilrs"), not one that
# leaves something out ("not counting announcements")
_NOT_JOINED = re.compile(
    r"\b(?:have|has|had|did|do|does|are|is|were|was)(?: not|n't)(?: \w+){0,2} (?:sign|signed|join|joined|in|"
    r"members?|part|signatories|signatory)\b|\bnot (?:yet )?(?:signed|joined|in|members?|part of)\b|"
    r"\byet to (?:sign|join)\b|\b(?:never|still not) (?:signed|joined)\b"
)

# The continents a "which region" question ranks (country_converter's classification)
_CONTINENTS = ("europe", "asia", "africa", "americas", "oceania")


def possessive(name: str) -> str:
    """'Poland' -> "Poland's", 'the Netherlands' -> "the Netherlands'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def name_in_text(name: str) -> str:
    """How a member is written inside a sentence: 'the United Kingdom', 'Egypt'."""
    if re.match(
        r"(United |Czech Republic|Dominican Republic|Philippines|Netherlands|Isle of Man|Bahamas|Gambia|"
        r"Asia-Pacific|Arab Union|International |National |Space Science|South African Radio|Kenya Adv)",
        name,
    ):
        return f"the {name}"
    return name


def start_name(name: str) -> str:
    text = name_in_text(name)
    return text[0].upper() + text[1:]


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def member_noun(coalition: str, plural: bool = False) -> str:
    if coalition == "artemis_accords":
        return "signatories" if plural else "signatory"
    return "members" if plural else "member"


# Words of joining or signing: "how many signed in 2024" counts that year's newcomers, not the total then.
def held_then(q: Query) -> Query:
    """'Which countries made up the ILRS in mid-September 2023': the members by the period's end, not those that
    came in during it; other questions unchanged."""
    frame = q.time
    if q.superlative == "latest" and frame.start and frame.start == frame.end:
        # "the most recent signatory in the count of 3 December 2025": the newest by that day, not on it
        return dataclasses.replace(q, time=dataclasses.replace(frame, start=None, end=None, as_of=frame.end))
    text = q.text.lower()
    if (
        q.superlative == "latest"
        and frame.start
        and frame.end
        and frame.phrases
        and all(re.search(rf"\bwhen\b.*{re.escape(p.lower())}", text) for p in frame.phrases)
    ):
        # "the most recent signatory when the state department counted 21 in september 2022": the period dates
        # what happened then, so the newest by its end
        end = min(frame.end, q.today or frame.end)
        return dataclasses.replace(q, time=dataclasses.replace(frame, start=None, end=None, as_of=end))
    if frame.start and frame.end and _COMPOSITION.search(q.text.lower()) and not q.has(*_EVENT_VERBS):
        end = min(frame.end, q.today or frame.end)
        return dataclasses.replace(q, time=dataclasses.replace(frame, start=None, end=None, as_of=end))
    return q


# A list of who was in a coalition at a time, not who came in during it ("made up the ILRS in mid-September 2023")
_COMPOSITION = re.compile(
    r"\b(?:made up|make up|makeup|comprised|consisted|composed|constituted|belonged|"
    r"were (?:in|inside|part|members|already)|was (?:in|part)|have|has|had|were there)\b"
)

_ORDER_WORDS = (
    "earlier",
    "first",
    "before",
    "sooner",
    "older",
    "later",
    "last",
    "after",
    "newer",
    "latest",
    "order",
)


# Words that ask for several members put in order ("order these by signing date", "can u put these in order")
_ORDER_ASKED = ("order", "sort", "chronological", "chronologically", "arrange", "sequence")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_EVENT_VERBS = (
    "sign",
    "signs",
    "signed",
    "signing",
    "join",
    "joins",
    "joined",
    "joining",
    "new",
    "newly",
    "add",
    "added",
    "adds",
    "became",
    "become",
    "welcomed",
    "accede",
    "acceded",
    "entered",
    "admitted",
    "signings",
    "joiners",
    "newcomers",
    "grow",
    "grew",
    "growth",
    "increase",
    "increased",
    "rise",
    "rose",
    "expanded",
    "gain",
    "gained",
)


# "… before armenia signed or after?", "before or after france": the answer is one of the two words
_BEFORE_OR_AFTER = re.compile(r"\bbefore\b.*\bor after\b|\bafter\b.*\bor before\b|\bbefore or after\b")
_WHO_SAID = re.compile(
    r"who (?:\w+ )?(?:read|reads|said|says|announced|announces|gave|gives|named|names|listed|lists|presented|"
    r"released|counted|counts|reported|reports|published|revealed|confirmed|stated)\b"
)


def _after_event(q: Query, i: int) -> bool:
    """The i-th word comes within a few words after the event's verb or noun ('ratify the ILRS agreement with')."""
    words = [t.text for t in q.tokens[max(0, i - 6) : i]]
    return any(w.startswith(("ratif", "agreement", "memorand", "deal", "treaty", "accord")) for w in words)


# The registry whose cited articles' outlets were last read, and those outlets' words
_OUTLETS: dict[int, tuple[Registry, frozenset[str]]] = {}


class RegistryAnswers:
    """Answers the registry's kinds of question, or says it does not cover one (None)."""

    def __init__(self, registry: Registry, catalog: Catalog, world: Places) -> None:
        self.registry = registry
        self.catalog = catalog
        self.world = world
        self._iso3: dict[str, str | None] = {}

    def outlets(self) -> frozenset[str]:
        """The words naming the outlets of the articles the registry's rows cite ('spacenews', 'reuters')."""
        cached = _OUTLETS.get(id(self.registry))
        if cached is None or cached[0] is not self.registry:
            words: set[str] = set()
            for doc_id in {r.article for r in self.registry.rows if r.article}:
                doc = self.catalog.document(doc_id)
                if doc is not None:
                    words |= {w for w in re.findall(r"[a-z]+", doc.outlet.lower()) if len(w) > 3}
            cached = (self.registry, frozenset(words))
            _OUTLETS.clear()
            _OUTLETS[id(self.registry)] = cached
        return cached[1]

    # -- routing -----------------------------------------------------------------------------
    def route(self, q: Query) -> str | None:
        """Which registry look-up answers this question, if any."""
        if q.asks_ordinal and (q.members or q.countries) and not self.residual(q):
            return "member_ordinal"  # "where did the Philippines land in the signing order"
        if (
            (
                q.wh == "where"
                or (
                    q.wh in ("when", "what", "which")
                    and (q.expects == "place" or q.has("where", "venue", *EVENT_WORDS))
                )  # "at what event were the accords launched", "at which congress were they first signed"
            )
            and q.coalitions
            and not (q.members or q.countries)
            and (
                q.founding
                or (
                    q.superlative == "first"
                    and q.membership
                    and not (q.regions or q.excluded_regions or q.events)
                    and q.time.empty
                )
            )  # the first african signatories, the first after the milan meeting: not the coalition's first
            and not self.residual(q)
        ):
            return "began"  # "where were the Accords first signed": the founding event says where
        if (
            len(q.named_events) >= 2
            and not (q.members + q.countries)
            and q.wh in ("which", "what", "choice", "yes_no", "other")
            and (q.comparison or q.wh == "choice" or q.has(*_ORDER_WORDS))
        ):
            return "event_order"  # "which took place earlier, the paris meeting or the milan one"
        beside = self._beside_events(q) if len(q.named_events) == 1 else []
        if (
            len(q.named_events) == 1
            and 1 <= len(beside) <= 2
            and not q.countries
            and q.wh in ("which", "what", "choice", "yes_no", "other")
            and (q.comparison or q.wh == "choice" or q.has(*_ORDER_WORDS))
            and (
                q.wh != "yes_no"
                or self._mentioned_at(q, q.named_events[0][0]) < self._mentioned_at(q, beside[0])
            )
        ):
            # "was the isle of man extension before poland signed", "which came first, the duma ratification or
            # serbia joining the ilrs" (a member named first with an event as its time is a claim to check)
            return "event_order"
        if (
            re.search(r"\b(?:which|what) (?:\w+ )?(?:region|continent|part of the world)\b", q.text.lower())
            and q.has("most", "largest", "biggest", "fewest", "least")
            and not (q.members or q.countries or q.regions)
        ):
            return "region_most"  # "which region had the most accords signatories at the end of 2024"
        if q.wh in ("where", "why") or q.expects in ("place", "time", "money", "reason", "manner", "outlet"):
            return None  # the registry holds dates and names, not places, times, sums, reasons or ways
        if q.wh == "who" and _SIGNED_MEMORANDUM.search(q.text.lower()):
            return None  # "who signed the memo which launched the ilrs": its signers, whom the articles name
        if q.has("happened", "happen", "happening") and not q.has(
            "join", "joined", "sign", "signed", "signing", "member", "members", "signatory", "signatories"
        ):
            return None  # "what happened in the us on 20 january 2025": an event, not a membership
        subjects = q.members + q.countries
        words = set(q.words)
        member_nouns = bool(words & MEMBER_NOUNS)
        about_membership = q.membership or member_nouns or q.asks_both
        if not (q.coalitions or subjects or about_membership or q.founding):
            return None
        if self._leader_verdict(q) is not None:
            return "leader_check"  # "is the ilrs led by esa", "is nasa in charge of the ilrs"
        if self.residual(q):
            return None
        if q.focus and q.focus in q.unknown_terms:
            return None  # "what is the population of …": something the registry (and corpus) does not hold
        if (q.coalitions or about_membership) and (
            q.unknown_names
            or (
                not subjects
                and not q.regions
                and [
                    w
                    for w in q.unknown_terms
                    if not plural_of_common(w) and not is_english(w, minimum=5_000_000)  # "some intro i read"
                ]
                and q.wh in ("yes_no", "when", "choice")
            )
        ):
            return "unknown"  # "is Narnia in the ILRS", "has atlantis signed", "did aldoria join before thailand"
        if q.future and (subjects or q.coalitions or member_nouns) and about_membership:
            return "future"
        founders = {
            f
            for c in q.coalitions
            for f in (self.registry.coalitions[c].founders if c in self.registry.coalitions else ())
        }
        if (
            q.founding
            and (q.regions or q.excluded_regions)
            and q.coalitions
            and not subjects
            and q.time.empty
            and not (
                q.ordinal or q.anchors or q.comparison or q.negated or q.has("after", "besides", "beyond")
            )
            and q.wh in ("yes_no", "which", "who", "what", "how_many", "other")
            and q.has("founder", "founders", "founding", "found", "founded", "original", "start", "started")
        ):  # "did africa have a seat among the founding signatories", "which european countries founded it"
            return "founders_in_region"
        founders_asked = (
            q.founding
            and q.superlative == "first"
            and not subjects
            and q.time.empty
            and not (
                q.regions
                or q.excluded_regions
                or q.ordinal
                or q.member_type == "organisation"
                or q.comparison
                or any(word != "except" for word, _ in q.anchors)
                or (
                    not q.excluded
                    and q.has("after", "besides", "beyond", "except", "excluding", "apart", "other")
                )
            )
            and q.has("founder", "founders", "founding")
        )  # "apart from the us and the uk, which countries were founding signatories": the others of them
        if (
            q.wh == "how_many"
            and q.founding
            and q.coalitions
            and not subjects
            and not q.time.years
            and q.has("founded", "founding", "founders", "started", "launched")
        ):
            return "founders"  # "how many countries founded the artemis accords": the founders, counted
        if (
            subjects
            and (q.coalitions or self._founded_by(subjects))
            and set(subjects) <= self._founders_of(q.coalitions or self._founded_by(subjects))
            and (q.wh == "when" or q.expects == "date")
            and q.has("memo", "memorandum", "mou", "agreement", "deal")
            and not q.has("ratify", "ratified", "ratification", "duma")
        ):  # "when was the china russia ilrs memo signed": the founding memorandum
            return "began"
        if (
            q.founding
            and len(q.coalitions) == 2
            and not subjects
            and q.time.empty
            and q.wh in ("yes_no", "which", "who", "what", "other")
            and self._founded_and_other(q) is not None
        ):  # "is any of the og 8 artemis founders also in the ilrs": one coalition's founders in the other
            return "founders_in_other"
        if (
            (q.founding or q.leading)
            and q.coalitions
            and set(subjects) <= founders
            and (
                not q.superlative
                or founders_asked
                or (q.superlative == "first" and q.founding and _ORIGIN.search(q.text.lower()))
            )  # "who first pushed the ilrs idea": whose idea it was, not the first member
            and not (len(q.coalitions) >= 2 and q.comparison and not subjects)  # which began first: the order
        ):  # "name the founders of the ilrs": both, not the earliest
            if subjects and q.wh in ("yes_no", "choice") and q.founding:
                return "founder_check"  # "was canada one of the countries that launched the accords?"
            if (
                q.founding
                and q.wh in ("when", "what", "how", "other")
                and not (q.wh in ("what", "other") and q.plural and member_nouns)
            ):  # "what are the founding countries of the ilrs" asks who, not when
                return "began"
            if q.wh in ("who", "which", "what", "other", "how", "yes_no"):
                return "leaders" if q.leading and not q.founding else "founders"
        if (
            len(q.coalitions) >= 2
            and q.comparison
            and (
                not subjects
                or (
                    set(subjects) <= founders
                    and q.has(
                        "memo", "memorandum", "mou", "deal", "agreement", "launch", "launched", "founding"
                    )
                )
            )
        ):  # "which came first, the china-russia ilrs memo or the artemis accords launch"
            return "coalition_order"
        if len(subjects) >= 2 and (
            q.comparison
            or q.wh == "choice"
            or q.has(*_ORDER_ASKED)
            or (
                q.wh == "how_many"
                and q.focus in ("days", "weeks", "months", "years")
                and q.has("between", "after")
            )
        ):  # "how many days between egypt and pakistan joining the ilrs": the order says how far apart
            return "order"
        if (
            len(subjects) == 1
            and len(q.coalitions) >= 2
            and q.wh == "how_many"
            and q.focus in ("days", "weeks", "months", "years")
        ):  # "how many months between thailand joining the ilrs and signing the accords"
            return "order"
        if len(subjects) == 1 and len(q.coalitions) >= 2 and (q.comparison or q.wh == "choice"):
            return "order"
        if (
            subjects
            and q.wh in ("yes_no", "choice")
            and q.has("founder", "founders", "founding")
            and (q.coalitions or q.has("signatory", "signatories") or self._shared_coalition(subjects))
        ):
            return "founder_check"  # "were australia and the uae both founders (of the accords)"
        if subjects and q.asks_both and q.superlative:
            return "overlap"
        if subjects and q.asks_both and q.wh != "how_many":
            return "member_both"
        if subjects and q.asks_ordinal:
            return "member_ordinal"
        if (
            subjects
            and q.wh in ("yes_no", "choice")
            and (q.founding or q.has("original", "founding", "initial"))
            and q.coalitions
        ):
            return "founder_check"  # "is Germany one of the founding signatories?"
        if (
            len(subjects) >= 2
            and q.wh == "yes_no"
            and any(word.startswith("same ") for word, _ in q.anchors)
            and (q.coalitions or about_membership)
        ):
            return "same_period_check"  # "did greece sign in the same month as belgium?"
        if (
            len(subjects) == 1
            and q.wh == "yes_no"
            and q.superlative in ("first", "latest")
            and not q.ordinal
            and not q.founding
            and (q.coalitions or about_membership)
        ):
            return "superlative_check"  # "was bangladesh the first south asian country to sign the accords?"
        if (
            subjects
            and q.wh == "yes_no"
            and (q.ordinal or q.time.years)
            and (q.coalitions or about_membership)
        ):
            return "claim_check"
        if (
            not subjects
            and q.wh == "yes_no"
            and len(q.coalitions) == 1
            and q.time.years
            and (q.founding or q.has("signed", "launched", "started", "began", "founded", "first"))
        ):
            return "began_check"  # "were the accords signed on September 13 2020, is that right?"  # "one site says Senegal was the 40th signatory, is that right?"
        if subjects and q.expects in ("person", "agent"):
            return None  # "who signed for the UK", "which agency signed for Pakistan": the articles may name them
        if subjects and re.match(
            r"(?:so |and |but )?(?:what|which (?:document|agreement|deal|paper|kind of \w+|type of \w+)) "
            r"(?:did|does|do|has|had) (?:\w+ ){1,3}(?:sign|signed|conclude|concluded)\b",
            q.text.lower(),
        ):
            return None  # "what did azerbaijan sign to join the ilrs": a document, which the registry does not hold
        if (
            subjects
            and (q.coalitions or about_membership)
            and q.wh in ("when", "yes_no", "choice", "other", "what", "how", "which")
        ):
            return "member"
        if subjects:
            return None
        founded_each = q.founding and not (q.membership or member_nouns)  # "when was each of the two founded"
        if q.asks_both and not founded_each and (about_membership or q.superlative or q.ordinal):
            return "overlap"
        if q.ordinal and (q.coalitions or about_membership) and not q.superlative:
            return "ordinal"
        if (
            q.founding
            and q.member_type == "organisation"
            and q.has("memo", "memorandum", "mou", "agreement", "deal", "treaty")
        ):
            return (
                None  # "what agencies signed the ilrs founding memo": who signed a document, in the articles
            )
        if q.superlative and (q.coalitions or about_membership):
            return "first_latest"
        if (
            q.wh == "how_many"
            and q.expects == "number"
            and (about_membership or (q.coalitions and q.has("headcount", "tally", "count", "total", "size")))
        ) or (
            q.wh in ("how_many", "how_much")
            and q.coalitions
            and not q.time.empty
            and q.has("grow", "grew", "growth", "increase", "increased", "rise", "rose", "expand", "expanded")
        ):  # "by how many did the accords grow between the milan and sydney meetings": who joined in between
            return "count"
        if (
            q.has("agency", "agencies")
            and q.has("memorandum", "mou", "memo", "agreement", "declaration", "statement", "behalf")
            and not q.has("member", "members", "partner", "partners")
        ):
            return None  # "which space agencies signed the ilrs memorandum": who signed for whom, in the articles
        if q.wh == "who" and _WHO_SAID.match(q.text.lower()):
            return None  # "who read out the list of 13 ilrs countries": a person who spoke, from the articles
        if q.wh == "who" and q.expects == "person" and not (q.members or q.countries):
            return None  # "who signed the china-russia moon base memo? names": people, from the articles
        if q.wh in ("which", "who", "what", "other") and about_membership and (q.coalitions or q.regions):
            stated = _stated_count(q)
            if (
                stated
                and q.member_type == "organisation"
                and not (q.ordinal or q.superlative)
                and stated != self._list_size(q)
            ):  # "list all ten institutions that signed at the tiandu forum": more institutions sign memorandums
                # than the registry lists as members, so a number it does not match is another set
                return None
            return "list"
        if (
            q.wh == "yes_no"
            and about_membership
            and q.coalitions
            and not q.time.empty
            and q.has("any", "anyone", "anybody", "other", "else", "another")
        ):
            return "list"  # "did any other country sign on 30 May 2024?": who did, then
        return None

    def _list_size(self, q: Query) -> int:
        """How many members the list route would name for the question's first coalition."""
        anchored = held_then(self.anchored(q))
        return len(self._list_rows((anchored.coalitions or guess_coalitions(anchored))[0], anchored)[0])

    def _list_rows(self, coalition: str, q: Query) -> tuple[list[Member], list[Member]]:
        """A list question's members (countries unless organisations or both kinds are asked for), and apart from
        them those known only to a month the period cuts ("on 18 october 2023": Belarus, October 2023)."""
        both = bool(_BOTH_TYPES.search(q.raw.lower()))  # "countries and orgs pls": members of both kinds
        rows = self.rows(coalition, dataclasses.replace(q, member_type=None) if both else q)
        if not q.member_type and not both:
            rows = [r for r in rows if r.member_type == "country"] or rows
        straddling = [r for r in rows if _straddles(r, q.time)]
        return [r for r in rows if r not in straddling], straddling

    def _founders_of(self, coalitions: list[str]) -> set[str]:
        return {
            f
            for c in coalitions
            if c in self.registry.coalitions
            for f in self.registry.coalitions[c].founders
        }

    def _founded_by(self, members: list[str]) -> list[str]:
        """The coalitions these members all founded (China -> the ILRS)."""
        return [
            c
            for c, fact in self.registry.coalitions.items()
            if members and set(members) <= set(fact.founders)
        ]

    def residual(self, q: Query) -> list[str]:
        """Corpus words of the question beyond the membership template and the names it mentions."""
        out = []
        # the words that named an event the question set its time by ("before the sydney meeting")
        labels = {label for label, _, _ in q.events}
        day = q.time.start if q.time.start and q.time.start == q.time.end else None
        if day is not None and any(w.startswith("same ") for w, _ in q.anchors):
            # "which parties joined on the same day in wuhan": the day is the wuhan ceremony's, named by its place
            labels |= {e.label for e in self.registry.events if e.date == day.isoformat()}
        said = {
            w
            for e in self.registry.events
            if e.label in labels
            for n in event_names(e.names)
            for w in re.findall(r"[a-z0-9]+", n)
        }
        said |= (
            {"meeting", "meetings", "event", "signing", "signings", "extension", "principals", "iac"}
            if q.events
            else set()
        )
        # how it was done ("did venezuela join the ilrs remotely"): the articles say, the registry does not
        out += [w for w in q.unknown_terms if MANNER.fullmatch(w)]
        if (
            "list" in q.words
        ):  # "the full list of artemis signatories": how much of the list, not another thing
            said |= {"full", "complete", "entire", "whole"}
        if _DAY_KNOWN.search(q.raw.lower()):
            said |= {"known", "exact", "exactly", "actual", "actually", "specific"}  # "whose date is known"
        if re.search(r"\bnot (?:just |only |merely )?(?:announced|pending)\b", q.text.lower()):
            said |= {"announced", "pending"}  # "(not just announced)": the members the registry counts anyway
        if q.leading and (q.wh in ("yes_no", "choice") or re.search(r"\bor\b", q.text.lower())):
            # "is the artemis accords run by nasa alone", "who runs the ilrs, cnsa or roscosmos": the bodies the
            # coalition facts say lead it, offered as the answer (not "who was running nasa then": its head)
            said |= {
                "alone",
                "solely",
                "only",
                "jointly",
                "together",
                "too",
                "exclusively",
                "own",
                "itself",
            } | {
                w
                for c in q.coalitions
                if c in self.registry.coalitions
                for w in re.findall(r"[a-z0-9]+", self.registry.coalitions[c].led_by.lower())
            }
        if q.founding and q.wh in ("who", "which", "what") and _ORIGIN.search(q.text.lower()):
            # "which chinese bodies first pushed the ilrs idea": whose idea it was, which the founding facts tell
            said |= {"pushed", "pitched", "floated", "proposed", "suggested", "put", "forward"}
        if q.founding and not (q.members or q.countries):
            said |= {
                "document",
                "documents",
                "paper",
            }  # "what kind of document kicked off the ilrs": how it began
        if q.founding or q.superlative == "first":
            # "at which international astronautical congress were the accords first signed": how it began says;
            # "at which gathering did that take place": the event it began at
            said |= EVENT_WORDS
            if q.has(*EVENT_WORDS) or q.wh == "where":
                said |= {"take", "took", "taken", "place", "held", "happen", "happened"}
            said |= {
                w
                for c in q.coalitions
                if c in self.registry.coalitions
                for w in re.findall(r"[a-z0-9]+", self.registry.coalitions[c].began_how.lower())
            }
        body = q.signed_with
        if body:  # "signed with the deep space exploration laboratory": the rows say who signed with it
            said |= set(re.findall(r"[a-z0-9]+", body.lower()))
        if q.source and q.source in q.content_terms and q.source in self.outlets():
            said.add(q.source)  # "which nine countries did SpaceNews count": the registry cites its reports
        for word in q.content_terms:
            if word in said:
                continue
            base = word[:-1] if word.endswith("s") and word[:-1] in TEMPLATE else word
            if word in TEMPLATE or base in TEMPLATE or word in LEAD_WORDS or word.isdigit():
                continue
            out.append(word)
        return out

    def answer(self, q: Query) -> Answer | None:
        """The registry's answer, or None when it does not cover the question."""
        q = self.begun_before(self.anchored(self.with_body(self.with_home(q))))
        intent = self.route(q)
        body = q.signed_with
        if intent is None or (
            body and (intent != "list" or not set(q.coalitions) <= set(self._partnered(body)))
        ):
            # "how many institutions signed with dsel at tiandu", "which ethiopian one with dsel": the registry
            # names some of a body's partners, not all of them, so only a list of those it names is its answer;
            # "which artemis signatories have institutes that signed with dsel": not a list of the body's partners
            return None
        if intent == "began" and not q.coalitions:  # "on what date was that memorandum signed" after China's
            q = dataclasses.replace(q, coalitions=self._founded_by(q.members + q.countries))
        builder = AnswerBuilder()
        handler: Callable[[Query, AnswerBuilder], bool | None] = getattr(self, f"_{intent}")
        newest = self.catalog.newest_published()
        if (
            intent in ("list", "count", "first_latest", "ordinal", "overlap")
            and newest
            and q.time.start
            and q.time.start.isoformat() > newest
            and not q.time.now
            and re.search(r"\b(?:19|20)\d\d\b|\b(?:this|next|last|coming) (?:year|month)\b", q.text.lower())
        ):
            # "who signed in 2026" when the newest article is from December 2025: not "nobody", but not known
            handler = self._after_coverage
        refused = bool(handler(q, builder))
        if not builder.sentences:
            return None
        for label, date, article in [] if intent == "event_order" else q.events:
            # "before the Sydney meeting": the date it was read as, cited
            found = self.fact_passage(article, [human_date(date)])
            builder.add(
                f"{label[:1].upper()}{label[1:]} was on {human_date(date)}",
                *([found.evidence] if found else []),
            )
        if refused:  # every refusal opens the same way; what is known follows, without a yes or no
            builder.sentences = [
                re.sub(r"^(Yes|No|Not yet|Unconfirmed)\. ", "", x) for x in builder.sentences
            ]
            builder.sentences.insert(0, REFUSAL)
        return Answer(
            question=q.text,
            text=builder.text,
            citations=builder.citations,
            refused=refused,
            confidence=0.0 if refused else CONFIDENCE,
            answerer="offline",
            note=f"registry:{intent}",
        )

    def home_country(self, q: Query) -> str | None:
        """The country an organisation is asked to be from, named right before the organisation noun ('which swiss
        company joined the ilrs', 'which kenyan institute'), as an ISO3 code."""
        if q.member_type != "organisation":
            return None
        homes, _ = organisation_homes(q)
        if not homes:
            return None
        kind, value = homes[0]
        return value if kind == "country" else self.iso3(value)

    def with_home(self, q: Query) -> Query:
        """'Which swiss company joined the ilrs': Switzerland says where the organisation is from; it is not the
        member asked about."""
        home = self.home_country(q)
        # "is switzerland an ilrs member now because of that swiss company": asked about too
        named_too = any(v == home or self.iso3(v) == home for v in organisation_homes(q)[1])
        if (
            home is None
            or named_too
            or not any(
                r.member_type == "organisation" and self.world.home(r.member) == home
                for r in self.registry.rows
            )
        ):  # "which american organisation": ILOA's name places it in Hawai'i, not a country: the articles say
            return q
        return dataclasses.replace(
            q,
            members=[m for m in q.members if self.iso3(m) != home],
            countries=[c for c in q.countries if c != home],
        )

    def with_body(self, q: Query) -> Query:
        """'Which organisations signed with cnsa': the coalition of the rows that signed with the body named.
        'China's' in 'with China's Deep Space Exploration Laboratory' says whose body it is: China is not a member
        asked about."""
        if (
            q.signed_with
            and "China" in q.members
            and len(re.findall(r"\bchin(?:a|ese)\b", q.text.lower())) == 1
        ) and re.search(
            r"\b(?:china's|chinese|china) (?:\w+ ){0,4}?(?:lab|laboratory|dsel|cnsa|space administration)\b",
            q.text.lower(),
        ):
            q = dataclasses.replace(q, members=[m for m in q.members if m != "China"])
        body = None if q.coalitions else q.signed_with
        return q if body is None else dataclasses.replace(q, coalitions=self._partnered(body))

    def _partnered(self, body: str) -> list[str]:
        """The coalitions whose rows name this body as the one their members signed with."""
        return sorted({r.coalition for r in self.registry.rows if r.signed_with == body})

    def begun_before(self, q: Query) -> Query:
        """'Which country kicked off the artemis signings in 2023': a start within a period after the coalition
        began is the period's first member, not the coalition's founding."""
        start = q.time.start or q.time.as_of
        facts = [self.registry.coalitions[c] for c in q.coalitions if c in self.registry.coalitions]
        if not (q.founding and facts and start and not q.members) or q.has("founder", "founders", "founding"):
            return q
        if all(start.isoformat() > fact.began for fact in facts):
            return dataclasses.replace(q, founding=False, superlative=q.superlative or "first")
        return q

    def anchored(self, q: Query) -> Query:
        """Members that set a time ('after China and Russia', 'once Thailand joined') or are left out ('apart
        from China and Russia') become the frame of a list, count or first/latest question; 'right after X'
        asks for the one member next to it."""
        anyone = q.wh == "yes_no" and q.has("any", "anyone", "anybody", "anything")
        if q.wh == "how_many" and q.focus in ("days", "weeks", "months", "years"):
            return q  # "how many days after nigeria did rwanda sign": the gap between the two, not a span
        if (
            not q.anchors
            or q.wh == "choice"
            or (q.wh == "yes_no" and not q.superlative and not anyone)
            or not (
                q.superlative
                or q.ordinal
                or q.adjacent
                or anyone
                or q.wh in ("how_many", "which", "who", "what")
            )
        ):
            return q
        frame = dataclasses.replace(q.time)
        anchored: set[str] = set()
        excluded: set[str] = set()
        superlative, limit = q.superlative, q.limit
        coalitions = q.coalitions or guess_coalitions(q)
        between: list[Member] = []
        widened: dict[str, str] = {}  # an anchor known only to the month: "the same month as", not day
        found_in: list[str] = []  # the coalition of each anchor's row: the frame holds for that one only
        for word, member in q.anchors:
            if word == "counting":
                anchored.add(member)  # "the 6th, counting China and Russia": the registry counts the founders
                continue
            if word == "except":
                excluded.add(member)
                anchored.add(member)
                continue
            own = q.anchor_coalitions.get(member)
            row = next(
                (
                    r
                    for r in self.registry.rows
                    if r.member == member and (r.coalition == own if own else r.coalition in coalitions)
                ),
                None,
            )
            if row is None:
                continue
            anchored.add(member)
            found_in.append(row.coalition)
            if word.startswith(
                "same "
            ):  # "which countries signed in the same month as india": the others then
                start, end = date_start(row.joined), date_end(row.joined)
                unit = word.split()[1]
                if unit == "day" and len(row.joined) < 10:
                    # "who joined alongside djibouti" (known to the month): the others of that month or year
                    unit = "month" if len(row.joined) >= 7 else "year"
                    widened[member] = f"same {unit}"
                if unit == "year":
                    start, end = dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)
                elif unit == "month":
                    start = start.replace(day=1)
                    end = dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
                elif unit == "week":
                    start = start - dt.timedelta(days=start.weekday())
                    end = start + dt.timedelta(days=6)
                frame.start, frame.end, frame.as_of = start, end, None
                excluded.add(member)
                continue
            if word == "between":
                between.append(row)
                continue
            if word == "after":
                frame.start = max(frame.start or dt.date.min, date_end(row.joined) + dt.timedelta(days=1))
                if q.adjacent:
                    superlative, limit = "first", 1
            elif word == "before":
                frame.as_of = date_start(row.joined) - dt.timedelta(days=1)
                if q.adjacent:
                    superlative, limit = "latest", 1
            else:
                frame.as_of = date_end(row.joined)
                if frame.start and frame.end and frame.start <= frame.as_of <= frame.end:
                    # "when kazakhstan joined the ilrs in july 2024": the month says when it joined, not a period
                    frame.start = frame.end = None
        ends = [(date_start(r.joined), date_end(r.joined), name_in_text(r.member)) for r in between]
        ends += [(date_start(d), date_end(d), label) for label, d, _ in q.named_events if len(between) == 1]
        between_label = ""
        if len(ends) == 2:
            # "between egypt and thailand", "between senegal's signing and the sydney meeting": after the earlier
            # end, before the later one
            first, last = sorted(ends)
            frame.start = max(frame.start or dt.date.min, first[1] + dt.timedelta(days=1))
            frame.end, frame.as_of = last[0] - dt.timedelta(days=1), None
            between_label = f"between {first[2]} and {last[2]}"
            # an event at one end is said by the label and dated, cited, after the answer
            q = dataclasses.replace(q, events=list(q.named_events) if len(between) == 1 else q.events)
        else:
            anchored -= {r.member for r in between}
        if not anchored:
            return q
        words = {
            "after": "after",
            "before": "before",
            "at": "when",
            "same day": "on the same day as",
            "same week": "in the same week as",
            "same month": "in the same month as",
            "same year": "in the same year as",
        }
        said: dict[
            tuple[str, str], list[str]
        ] = {}  # "after Rwanda and Nigeria", not "after Rwanda and after Nigeria"
        for w, m in q.anchors:
            w = widened.get(m, w)
            if m in anchored and w in words:
                tail = (
                    f" {verb(q.anchor_coalitions[m])}"
                    if m in q.anchor_coalitions and q.coalitions != [q.anchor_coalitions[m]]
                    else " joined"
                    if w == "at"
                    else ""
                )  # "after Iceland", not "after Iceland signed the Artemis Accords", when those are asked about
                said.setdefault((w, tail), []).append(name_in_text(m))
        label = " and ".join(
            [between_label] * bool(between_label)
            + [f"{words[w]} {join_names(names)}{tail}" for (w, tail), names in said.items()]
        )
        held = {q.anchor_coalitions[m] for m in anchored if m in q.anchor_coalitions}
        asked = [c for c in q.coalitions if c not in held] if len(q.coalitions) > len(held) else q.coalitions
        if not asked:
            # "who else signed with rwanda": the Accords Rwanda signed; "the last to join before thailand": the
            # coalition whose date of Thailand's the frame was set by, not the other one by the same date
            asked = list(dict.fromkeys(found_in))
        alongside = {m for w, m in q.anchors if w.startswith("same ")}  # said by "the same day as"
        excluded_only = sorted(
            m for w, m in q.anchors if w == "except" and m in excluded and m not in alongside
        )
        if (
            excluded_only
        ):  # the anchor of "the same month as india" is left out too, but said by its own words
            founders = [c for c in coalitions if set(excluded_only) == self._founders_of([c])]
            label = (
                (label + " " if label else "")
                + "apart from "
                + (
                    "the founders"  # "apart from the eight founders": not eight names
                    if founders and len(excluded_only) > 1
                    else join_names([name_in_text(m) for m in excluded_only])
                )
            )
        anchored_q = dataclasses.replace(
            q,
            time=frame,
            coalitions=asked,
            members=[m for m in q.members if m not in anchored],
            comparison=False,
            superlative=superlative,
            limit=limit,
        )
        anchored_q.anchor_text = label
        anchored_q.excluded = sorted(excluded)
        return anchored_q

    def iso3(self, member: str) -> str | None:
        if member not in self._iso3:
            self._iso3[member] = self.world.iso3(member)
        return self._iso3[member]

    def rows(
        self, coalition: str, q: Query | None = None, *, statuses: tuple[str, ...] = ("member",)
    ) -> list[Member]:
        """One coalition's rows in joining order, filtered by the question's type, regions and time."""
        rows = [m for m in self.registry.rows if m.coalition == coalition and m.status in statuses]
        if q is None:
            return rows
        rows = [m for m in rows if m.member not in q.excluded]
        if q.member_type:
            rows = [m for m in rows if m.member_type == q.member_type]
        body = q.signed_with
        if body:  # "which institutes signed mous with dsel"
            rows = [m for m in rows if m.signed_with == body]
        home = (
            self.home_country(q)
            if q.member_type == "organisation" and not (q.members or q.countries)
            else None
        )
        if home:  # "which kenyan institute joined the ilrs"
            rows = [m for m in rows if m.member_type == "organisation" and self.world.home(m.member) == home]

        def within(m: Member, region: str) -> bool:
            return (m.member_type == "country" and self.world.in_region(self.iso3(m.member), region)) or (
                # "which african institutions joined the ilrs": an organisation by the country its name gives
                q.member_type == "organisation"
                and m.member_type == "organisation"
                and self.world.in_region(self.world.home(m.member), region)
            )

        if regions_either(q):
            # "which caribbean or central american countries": either region's
            rows = [m for m in rows if any(within(m, region) for region in q.regions)]
        else:
            for region in q.regions:
                rows = [m for m in rows if within(m, region)]
        for region in q.excluded_regions:
            rows = [
                m
                for m in rows
                if not (m.member_type == "country" and self.world.in_region(self.iso3(m.member), region))
            ]
        frame = q.time
        if frame.as_of:
            # "by 3 October": not one known only as October; a founder was in from the coalition's start
            rows = [m for m in rows if self.in_by(m) <= frame.as_of]
        if frame.start:
            rows = [m for m in rows if date_end(m.joined) >= frame.start]
        if frame.end:
            rows = [m for m in rows if date_start(m.joined) <= frame.end]
        return rows

    def day_not_known(self, coalition: str, maybe: list[Member]) -> tuple[str, list[Evidence]]:
        """'Serbia joined the ILRS in May 2024, day not known', with the rows' evidence: how a member that may
        fall either side of a day is said."""
        names = [start_name(maybe[0].member), *[name_in_text(r.member) for r in maybe[1:]]]
        found = [f for f in (self.row_fact(r) for r in maybe) if f]
        unknown = (
            "day" if len(maybe[0].joined) >= 7 else "month and day"
        )  # "in 2023": the month is not known either
        said = f"{join_names(names)} {verb(coalition)} {date_phrase(maybe[0].joined)}, {unknown} not known"
        return said, [f.evidence for f in found]

    def _maybe_then(self, coalition: str, straddling: list[Member], b: AnswerBuilder) -> None:
        if straddling:
            said, evidence = self.day_not_known(coalition, straddling)
            b.add(f"{said}: {'it' if len(straddling) == 1 else 'they'} may have been then too", *evidence)

    def maybe_in_by(self, coalition: str, q: Query, as_of: dt.date) -> list[Member]:
        """The rows the question's other filters keep whose month (or year) spans `as_of`: known only as May 2024,
        Serbia may or may not have been in 'by 28 May 2024'."""
        undated = dataclasses.replace(q, time=dataclasses.replace(q.time, as_of=None))
        return [r for r in self.rows(coalition, undated) if date_start(r.joined) <= as_of < self.in_by(r)]

    def in_by(self, row: Member) -> dt.date:
        """The last day a member can have joined: its row's date, or the coalition's start for a founder known
        only by the year (China's ILRS row says 2021; the ILRS began on 9 March 2021)."""
        last = date_end(row.joined)
        facts = self.registry.coalitions.get(row.coalition)
        if facts is not None and row.member in facts.founders:
            last = min(last, date_end(facts.began))
        return last

    def row_fact(self, row: Member) -> Found | None:
        """The sentence of the row's article that names the member and its date (best first)."""
        best: tuple[int, Found] | None = None
        words = (
            ("Artemis Accords", "Accords")
            if row.coalition == "artemis_accords"
            else ("ILRS", "Lunar Research Station")
        )
        for chunk in self.catalog.chunks_of(row.article):
            for sentence in split_sentences(chunk.text):
                if not mentions(sentence, row.member) or row.joined_human not in sentence:
                    continue
                score = sum(2 for w in words if w in sentence)
                score += (
                    2
                    if row.order is not None and re.search(rf"\b{row.order}(st|nd|rd|th)\b", sentence)
                    else 0
                )
                score -= len(sentence) // 150
                if best is None or score > best[0]:
                    best = (score, Found(sentence, chunk))
        if best is None:
            chunks = self.catalog.chunks_of(row.article)
            for chunk in chunks:
                if mentions(chunk.text, row.member):
                    return Found("", chunk)
            return Found("", chunks[0]) if chunks else None
        return best[1]

    def status_note(
        self,
        row: Member,
        pattern: str = r"pending|not yet|awaiting|unconfirmed|formal|does not appear|"
        r"not counted",
    ) -> Found | None:
        """A sentence of the row's article that qualifies it (why it is announced or unconfirmed, a date not known)."""
        for chunk in self.catalog.chunks_of(row.article):
            for sentence in split_sentences(chunk.text):
                if mentions(sentence, row.member) and re.search(pattern, sentence):
                    return Found(sentence, chunk)
        return None

    def cover(self, rows: list[Member], with_dates: bool, limit: int = MAX_CITATIONS) -> list[Chunk]:
        """Few passages that together state every row (its name, and its date when shown): greedy set cover."""
        pool: dict[str, Chunk] = {}
        for row in rows:
            found = self.row_fact(row)
            if found:
                pool[found.chunk.chunk_id] = found.chunk
        if len(rows) > 3:
            query = " ".join(re.sub(r"\s*\(.*?\)", "", r.member) for r in rows[:40])
            for chunk in self.catalog.get_chunks(
                [cid for cid, _ in self.catalog.keyword_search(query, limit=30)]
            ).values():
                pool[chunk.chunk_id] = chunk

        def states(chunk: Chunk, row: Member) -> bool:
            return mentions(chunk.text, row.member) and (not with_dates or row.joined_human in chunk.text)

        left = list(rows)
        chosen: list[Chunk] = []
        candidates = list(pool.values())
        while left and candidates and len(chosen) < limit:
            best = max(candidates, key=lambda c: (sum(1 for r in left if states(c, r)), c.published))
            hit = [r for r in left if states(best, r)]
            if not hit:
                break
            chosen.append(best)
            left = [r for r in left if r not in hit]
            candidates.remove(best)
        return chosen

    def statements(
        self,
        coalition: str,
        number: int | None,
        *,
        before: dt.date | None = None,
        year: int | None = None,
        words_needed: tuple[str, ...] = (),
    ) -> list[Found]:
        """Sentences stating how many members a coalition had (this number, if given), newest first, each dated by
        the date it states (or its article's date); with `before`, only those true by then."""
        words = (
            ("Artemis Accords", "Accords")
            if coalition == "artemis_accords"
            else ("ILRS", "Lunar Research Station")
        )
        query = f"{number if number is not None else ''} {words[0]} countries signatories members {' '.join(words_needed)}"
        hits = self.catalog.keyword_search(query, limit=60)
        found: list[tuple[str, int, Found]] = []
        for chunk in self.catalog.get_chunks([cid for cid, _ in hits]).values():
            for sentence in split_sentences(chunk.text):
                if not any(w in sentence for w in words) and not any(w in chunk.title for w in words):
                    continue
                if not re.search(r"signator|countr|nations|members|states", sentence):
                    continue
                other = ("ILRS", "Lunar Research Station") if coalition == "artemis_accords" else ("Artemis",)
                if re.search(r"\bboth\b|in common", sentence) or any(w in sentence for w in other):
                    continue  # a figure about both coalitions, or the other one
                if any(w.lower() not in sentence.lower() for w in words_needed):
                    continue
                if number is not None and not re.search(
                    rf"(?<![\d.,-]){number}(?![\d,]|st|nd|rd|th| [A-Z][a-z]+ \d{{4}})", sentence
                ):
                    continue
                if year is not None and str(year) not in sentence:
                    continue
                if number is None and not re.search(
                    r"\b\d{1,2} (countries|signatories|nations|members|member countries)\b", sentence
                ):
                    continue
                stated = sentence_date(sentence) or chunk.published
                if before and stated > before.isoformat():
                    continue
                if before and stated < (before - dt.timedelta(days=62)).isoformat() and number is None:
                    continue
                found.append((stated, -len(sentence), Found(sentence, chunk)))
        found.sort(
            key=lambda t: (
                t[0],
                any(w in t[2].sentence for w in words),
                "as of" in t[2].sentence.lower(),
                not composer_refers_back(t[2].sentence),
                t[1],
            ),
            reverse=True,
        )
        return [f for _, _, f in found]

    def coverage(self, coalition: str) -> Found | None:
        """The newest passage that lists or counts the coalition's members: what a 'not a member' rests on."""
        members = self.rows(coalition)
        count = len([m for m in members if m.member_type == "country"])
        stated = self.statements(coalition, count)
        if stated:
            return stated[0]
        chunks: list[Chunk] = []
        for article in {m.article for m in members}:
            chunks += self.catalog.chunks_of(article)
        hits = self.catalog.keyword_search(" ".join(m.member for m in members[-12:]), limit=20)
        chunks += self.catalog.get_chunks([cid for cid, _ in hits]).values()
        if not chunks:
            return None
        best = max(chunks, key=lambda c: (c.published, sum(1 for m in members if mentions(c.text, m.member))))
        return Found("", best)

    # -- the look-ups -------------------------------------------------------------------------
    def _member(self, q: Query, b: AnswerBuilder) -> bool:
        """'When did Egypt join the ILRS?', 'Is Türkiye in the Accords?', 'did the UAE sign?'."""
        yes_no = q.wh in ("yes_no", "choice")
        refused = False
        for name in (q.members + q.countries)[:3]:
            rows = [r for r in self.registry.rows if r.member == name]
            label = self.label(name)
            asked = q.coalitions or sorted({r.coalition for r in rows}) or guess_coalitions(q)
            for coalition in asked:
                row = next((r for r in rows if r.coalition == coalition), None)
                yes_no = (
                    q.wh in ("yes_no", "choice") and not b.sentences
                )  # a single yes or no leads the answer
                if row is None:
                    refused |= self._not_member(label, coalition, b, yes_no=yes_no, q=q)
                elif row.member_type != "country" and (
                    q.member_type == "country" or q.has("count", "counts", "counted")
                ):
                    self._not_a_country(row, b, yes_no=yes_no)
                else:
                    self._row_sentence(row, b, yes_no=yes_no, q=q)
            if q.coalitions and len(b.sentences) < 3 and all(r.coalition not in q.coalitions for r in rows):
                for row in rows:  # what is known about the member instead, briefly
                    self._row_sentence(row, b, yes_no=False, q=q, brief=True)
        return refused and len(q.members + q.countries) == 1

    def _row_sentence(
        self, row: Member, b: AnswerBuilder, *, yes_no: bool, q: Query, brief: bool = False
    ) -> None:
        found = self.row_fact(row)
        evidence = [found.evidence] if found else []
        order = (
            f", the {ordinal(row.order)} {'signatory' if row.coalition == 'artemis_accords' else 'country in the ILRS'}"
            if row.order
            and not brief
            and row.member_type == "country"
            and row.member not in self._founders_of([row.coalition])  # "China … the 1st": it founded it
            else ""
        )
        name = start_name(row.member)
        exact = self.exact_day(row) if len(row.joined) < 10 else None
        if exact is not None:
            found, row = exact[1], dataclasses.replace(row, joined=exact[0])
            evidence = [found.evidence]
        when = date_phrase(row.joined, exact_asked=(q.wh == "when" or q.wants_exact) and not brief)
        if row.status == "member":
            b.add(("Yes. " if yes_no else "") + f"{name} {verb(row.coalition)} {when}{order}", *evidence)
            conflict = self.conflict(row, found)
            if conflict and q.wh == "when" and not brief:
                b.add(conflict.sentence, conflict.evidence)
            elif len(row.joined) < 10 and (q.wh == "when" or yes_no) and not brief:
                # "is djibouti a member": on whose word, when the day it joined is not known
                note = self.status_note(row, r"not known|not given|not reported|no date|unknown")
                if note:
                    b.add(note.sentence, note.evidence)
        elif row.status == "announced":
            note = self.status_note(row)
            b.add(
                ("Not yet. " if yes_no else "")
                + f"{name}'s accession to the {SHORT_NAMES[row.coalition]} was "
                f"announced {when}, but it had not formally signed in the newest articles",
                *evidence,
                *([note.evidence] if note else []),
            )
        else:
            note = self.status_note(row)
            b.add(
                ("Unconfirmed. " if yes_no else "") + f"{name} was reported to have joined the "
                f"{SHORT_NAMES[row.coalition]} {when}, but its membership is unconfirmed: it does not appear in "
                "later official tallies",
                *evidence,
                *([note.evidence] if note else []),
            )

    def _shared_coalition(self, names: list[str]) -> str | None:
        """The one coalition all these members are in ('were australia and the uae both founders': the Accords)."""
        shared = [
            c
            for c in ("artemis_accords", "ilrs")
            if all(any(r.member == n and r.coalition == c for r in self.registry.rows) for n in names)
        ]
        return shared[0] if len(shared) == 1 else None

    def _founder_check(self, q: Query, b: AnswerBuilder) -> None:
        """Whether a member founded the coalition: yes with the founding, or no with when it did join."""
        names = (q.members + q.countries)[:3]
        shared = None if q.coalitions else self._shared_coalition(names)
        coalitions = q.coalitions or ([shared] if shared else guess_coalitions(q))
        facts_of = self.registry.coalitions.get(coalitions[0]) if coalitions else None
        if len(names) == 1 and q.regions and q.has("only", "sole", "alone") and facts_of is not None:
            # "is the uk the only european founder of the accords or were there others": the founders there
            there = [
                f for f in facts_of.founders if all(self.world.in_region(self.iso3(f), r) for r in q.regions)
            ]
            found = self.fact_passage(facts_of.began_article, [facts_of.began_human, *there[:3]])
            if names[0] in there:
                b.add(
                    f"{'Yes' if there == names else 'No'}. {count_words(len(there))} of the founders of the {SHORT_NAMES[facts_of.coalition]} "
                    f"{'is' if len(there) == 1 else 'are'} {region_words(self.world, q).strip()}: "
                    f"{join_names([name_in_text(f) for f in there])}, "
                    f"{'signing on' if facts_of.coalition == 'artemis_accords' else 'from'} {facts_of.began_human}",
                    *([found.evidence] if found else []),
                )
                return
        if len(names) >= 2 and facts_of is not None and all(n in facts_of.founders for n in names):
            # "were australia and the uae both founders?": one yes for all of them
            found = self.fact_passage(facts_of.began_article, [facts_of.began_human, *names])
            b.add(
                f"Yes. {join_names([start_name(names[0]), *[name_in_text(n) for n in names[1:]]])} were {'both' if len(names) == 2 else 'all'} founders "
                f"of the {SHORT_NAMES[facts_of.coalition]}, "
                f"{'signing on' if facts_of.coalition == 'artemis_accords' else 'from'} {facts_of.began_human}",
                *([found.evidence] if found else []),
            )
            return
        several = len(names) >= 2 and facts_of is not None and len(facts_of.founders) <= 3
        if several and facts_of is not None:
            # "wasn't the ilrs started by china and india": one "No." with who the founders were, then the facts of
            # each one asked about that was not
            founding = list(facts_of.founders)
            found = self.fact_passage(facts_of.began_article, [facts_of.began_human, *founding[:3]])
            b.add(
                f"No. The {SHORT_NAMES[facts_of.coalition]} was founded by "
                f"{join_names([name_in_text(f) for f in founding])}"
                f"{', signing on' if facts_of.coalition == 'artemis_accords' else ' on'} {facts_of.began_human}",
                *([found.evidence] if found else []),
            )
            names = [n for n in names if n not in facts_of.founders]
        for i, name in enumerate(names):
            # "were japan and india both founders?": one "No." for the question, then each member's facts
            verdict = "" if several else ("No. " if len(names) >= 2 else None) if i == 0 else ""
            for coalition in coalitions[:1]:
                facts = self.registry.coalitions.get(coalition)
                row = next(
                    (r for r in self.registry.rows if r.member == name and r.coalition == coalition), None
                )
                if facts is None:
                    continue
                if name in facts.founders:
                    found = self.fact_passage(facts.began_article, [facts.began_human, name])
                    b.add(
                        f"{'Yes. ' if verdict is None else verdict}{start_name(name)} was one of the founders of the {SHORT_NAMES[coalition]}, "
                        f"{'signing on' if coalition == 'artemis_accords' else 'from'} {facts.began_human}",
                        *([found.evidence] if found else []),
                    )
                elif row is not None:
                    found = self.row_fact(row)
                    # "was venezuela a founding member": who the founders were, when they are few enough to name
                    few = len(facts.founders) <= 3
                    began = (
                        self.fact_passage(facts.began_article, [facts.began_human, *facts.founders])
                        if few
                        else None
                    )
                    founders = (
                        f"its founders, {join_names(list(facts.founders))},"
                        if few and began
                        else "the founders"
                    )
                    b.add(
                        f"{'No. ' if verdict is None else verdict}{start_name(name)} "
                        f"{verb(coalition)} {date_phrase(row.joined)}"
                        + (
                            f", the {ordinal(row.order)} signatory"
                            if row.order and coalition == "artemis_accords"
                            else ""
                        )
                        + f"; {founders} {'signed on' if coalition == 'artemis_accords' else 'began it on'} "
                        f"{facts.began_human}",
                        *([found.evidence] if found else []),
                        *([began.evidence] if began else []),
                    )
                else:
                    self._not_member(self.label(name), coalition, b, yes_no=not several, q=q)

    def _claim_check(self, q: Query, b: AnswerBuilder) -> None:
        """A stated position or date checked against the registry: 'Senegal was the 40th?' -> 'No. It was the 56th'.
        A claim about several ('the US, Saudi Arabia and India were among the first to sign in 2020') gets one
        verdict for the whole claim, then each one's facts."""
        names = [
            n
            for n in (q.members + q.countries)
            # "an article about chile's accession said …": whose article it was, not part of the claim
            if not re.search(rf"\babout {re.escape(n.lower())}(?:'s)? ", q.text.lower())
        ] or (q.members + q.countries)
        start = len(b.sentences)
        self._check_each(q, b, names[:4] if len(names) > 2 else names[:2])
        said = b.sentences[start:]
        verdicts = [re.match(r"(Yes|No|Not known)\. ", x) for x in said]
        if len(said) >= 2 and all(verdicts):
            words = {v.group(1) for v in verdicts if v}
            overall = "Yes" if words == {"Yes"} else "No" if "No" in words else "Not known"
            b.sentences[start:] = [
                (f"{overall}. " if i == 0 else "") + x[len(v.group(0)) :]
                for i, (x, v) in enumerate(zip(said, verdicts, strict=True))
                if v
            ]

    def _check_each(self, q: Query, b: AnswerBuilder, names: list[str]) -> None:
        for name in names:
            coalitions = q.coalitions or [r.coalition for r in self.registry.rows if r.member == name]
            for coalition in coalitions[:1]:
                row = next(
                    (r for r in self.registry.rows if r.member == name and r.coalition == coalition), None
                )
                if row is None:
                    self._not_member(self.label(name), coalition, b, yes_no=True, q=q)
                    continue
                if row.status != "member":  # "was latvia the 60th signatory?": announced, not yet signed
                    self._row_sentence(row, b, yes_no=True, q=q)
                    continue
                position = row.order or self.position(row)
                noun = "signatory" if coalition == "artemis_accords" else "country in the ILRS"
                if q.regions or q.excluded_regions:
                    # "was senegal the fourth african country to sign": its place among that region's members
                    same = [
                        m
                        for m in self.rows(coalition, dataclasses.replace(q, time=TimeFrame()))
                        if m.member_type == row.member_type
                    ]
                    position = same.index(row) + 1 if row in same else 0
                    noun = f"{region_words(self.world, q)}{noun}"
                right_order = q.ordinal is None or q.ordinal == position
                joined_year = int(row.joined[:4])
                if q.time.start is not None and q.time.during_year is None:
                    # a day or month was claimed ("on 29 May 2024"): the dates must overlap, not only the year
                    right_time = date_start(row.joined) <= (
                        q.time.end or dt.date.max
                    ) and q.time.start <= date_end(row.joined)
                else:
                    right_time = not q.time.years or joined_year in q.time.years
                unsure = False
                if q.time.as_of is not None and q.time.start is None:
                    # "had the philippines signed by the sydney meeting (29 September 2025)": in by that day
                    right_time = self.in_by(row) <= q.time.as_of
                    unsure = not right_time and date_start(row.joined) <= q.time.as_of
                found = self.row_fact(row)
                offered = [int(n) for n in re.findall(r"\b(\d{1,3})(?:st|nd|rd|th)\b", q.text.lower())]
                if (
                    len(offered) >= 2
                    and re.search(r"\d(?:st|nd|rd|th) or (?:the )?\d", q.text.lower())
                    and position
                ):
                    # "was bahrain the 17th or 18th signatory": the right one of the two, not a yes or a no
                    verdict = (
                        f"The {ordinal(position)}"
                        if position in offered
                        else f"Neither: the {ordinal(position)}"
                    )
                    b.add(
                        f"{verdict}. {start_name(name)} {verb(coalition)} {date_phrase(row.joined)}, the "
                        f"{ordinal(position)} {noun}",
                        *([found.evidence] if found else []),
                    )
                    continue
                verdict = (
                    "Not known" if unsure and right_order else "Yes" if right_order and right_time else "No"
                )
                b.add(
                    f"{verdict}. {start_name(name)} {verb(coalition)} "
                    f"{date_phrase(row.joined)}" + (f", the {ordinal(position)} {noun}" if position else ""),
                    *([found.evidence] if found else []),
                )

    def _began_check(self, q: Query, b: AnswerBuilder) -> None:
        fact = self.registry.coalitions.get(q.coalitions[0])
        if fact is None:
            return
        began = date_start(fact.began)
        right = (q.time.as_of == began) or (
            q.time.start is not None and q.time.start <= began <= (q.time.end or began)
        )
        found = self.fact_passage(fact.began_article, [fact.began_human, *fact.founders[:2]])
        b.add(f"{'Yes' if right else 'No'}. {began_sentence(fact)}", *([found.evidence] if found else []))

    def _not_a_country(self, row: Member, b: AnswerBuilder, *, yes_no: bool) -> None:
        """The Isle of Man signed, but as a territory: not one of the signatory countries."""
        note = self.status_note(
            row, r"not counted|not a country|Crown Dependency|territory"
        ) or self.row_fact(row)
        kind = "a territory" if row.member_type == "territory" else "an organisation"
        b.add(
            ("No. " if yes_no else "")
            + f"{start_name(row.member)} {verb(row.coalition)} {date_phrase(row.joined)}, "
            f"but as {kind}, not a country: it is not counted among the {member_noun(row.coalition, True)}' countries",
            *([note.evidence] if note else []),
        )

    def exact_day(self, row: Member) -> tuple[str, Found] | None:
        """For a row dated only by month or year: the day its article gives for the event itself ('Latvia's
        government announced on 31 October 2025 …'), not a later date it was listed on."""
        verbs = "announced|joined|signed|became|acceded|agreed"
        for chunk in self.catalog.chunks_of(row.article):
            for sentence in split_sentences(chunk.text):
                if not mentions(sentence, row.member):
                    continue
                for match in re.finditer(
                    rf"\b(?:{verbs})\b[^.;:]{{0,25}}?\bon (\d{{1,2}} [A-Z][a-z]+ \d{{4}})", sentence
                ):
                    day = iso_date(match.group(1))
                    if day and day.startswith(row.joined):
                        return day, Found(sentence, chunk)
        return None

    def conflict(self, row: Member, found: Found | None) -> Found | None:
        """Another source's date for the same event, stated in the row's passage."""
        if found is None:
            return None
        for sentence in split_sentences(found.chunk.text):
            if sentence == found.sentence or not re.search(
                r"\b(says?|said|reports?|reported|according|gives?|puts?|"
                r"dat(es|ed)|other)\b",
                sentence,
            ):
                continue
            dates = re.findall(
                r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|"
                r"November|December) \d{4}\b",
                sentence,
            )
            if any(d != row.joined_human for d in dates) and (
                mentions(sentence, row.member) or row.joined_human in sentence
            ):
                return Found(sentence, found.chunk)
        return None

    def _from_there(self, label: str, coalition: str, said: str, b: AnswerBuilder) -> None:
        """'Is Switzerland in the ILRS': the organisations from it that are (nanoSPACE, July 2023), when what was
        said does not name them already."""
        home = self.world.iso3(label)
        rows = [
            r
            for r in self.rows(coalition)
            if r.member_type == "organisation"
            and home
            and self.world.home(r.member) == home
            and not mentions(said, r.member)
        ]
        if rows:
            found = [f for f in (self.row_fact(r) for r in rows) if f]
            b.add(
                f"From {name_in_text(label)}, {join_names([name_in_text(r.member) for r in rows])} "
                f"{verb(coalition)} at institution level ({join_names([human_date(r.joined) for r in rows])}), "
                f"which does not make {name_in_text(label)} a member",
                *[f.evidence for f in found],
            )

    def _not_member(
        self, label: str, coalition: str, b: AnswerBuilder, *, yes_no: bool, q: Query | None = None
    ) -> bool:
        """A country the registry does not hold for this coalition. Says 'No' when the articles show it (they name
        the country as a non-member, or they list every member); otherwise says they cannot tell (returns True)."""
        facts = self.registry.coalitions.get(coalition)
        complete = facts is not None and facts.complete_list
        said = None if complete else self.mentioned_with(label, coalition)
        member_name = self.registry_name(label)
        label, mid = start_name(label), name_in_text(label)
        when_asked = q is not None and q.wh == "when"
        prefix = "No. " if yes_no else ""
        if said is not None:
            for i, sentence in enumerate(split_sentences(said.sentence)):
                b.add((prefix if i == 0 else "") + sentence, said.evidence)
            self._from_there(label, coalition, said.sentence, b)
            return when_asked
        if complete:
            cover = self.coverage(coalition)
            listed = len([m for m in self.rows(coalition) if m.member_type == "country"])
            when = (
                f" as of {human_date(sentence_date(cover.sentence) or cover.chunk.published)}"
                if cover
                else ""
            )
            b.add(
                prefix
                + f"{label} has not signed the Artemis Accords: it is not among the {listed} signatory countries "
                f"listed{when}"
                if coalition == "artemis_accords"
                else prefix
                + f"{label} has not joined the ILRS: it is not among the {listed} member countries listed{when}",
                *([cover.evidence] if cover else []),
            )
            return when_asked
        other = "ilrs" if coalition == "artemis_accords" else "artemis_accords"
        overlap = (
            self.overlap_statement()
            if any(
                r.member == member_name and r.coalition == other and r.status == "member"
                for r in self.registry.rows
            )
            else None
        )
        if overlap is not None:
            # a member of the other coalition: the articles name every country in both, and it is not one of them
            names = join_names(
                [
                    name_in_text(a.member)
                    for a, i in self.registry.overlap()
                    if a.status == i.status == "member"
                ]
            )
            b.add(
                prefix
                + f"{label} is in the {SHORT_NAMES[other]} but not in the {SHORT_NAMES[coalition]}: only "
                f"{names} belong to both",
                overlap.evidence,
            )
            return when_asked
        b.add_plain(
            f"The indexed articles do not mention {mid} in connection with the {SHORT_NAMES[coalition]}, and "
            f"they do not list every {SHORT_NAMES[coalition]} member, so they cannot say whether it has joined."
        )
        cover = self.coverage(coalition)
        if cover:
            b.cite(cover.evidence)  # the closest source: the newest list of members
        return True

    def registry_name(self, label: str) -> str:
        """The registry's name for a country named any way ('Türkiye', 'the United States')."""
        iso3 = self.world.iso3(label)
        for name in self.registry.names():
            if name == label or (iso3 and self.iso3(name) == iso3):
                return name
        return label

    def overlap_statement(self) -> Found | None:
        """A sentence naming every country in both coalitions."""
        both = [a.member for a, i in self.registry.overlap() if a.status == i.status == "member"]
        if not both:
            return None
        hits = self.catalog.keyword_search(" ".join(both) + " both coalitions belong", limit=20)
        for chunk in self.catalog.get_chunks([cid for cid, _ in hits]).values():
            for sentence in split_sentences(chunk.text):
                if re.search(r"\bboth\b", sentence) and all(mentions(sentence, m) for m in both):
                    return Found(sentence, chunk)
        return None

    def mentioned_with(self, label: str, coalition: str) -> Found | None:
        """The sentence that best says this country is not (or not fully) a member, naming it with the coalition:
        'Kenya's government is not an ILRS member. Only KAIST has signed …' (with what follows, when it adds)."""
        words = (
            ("Artemis Accords", "Accords")
            if coalition == "artemis_accords"
            else ("ILRS", "Lunar Research Station")
        )
        names = {label, *self.world_names(label)}
        hits = self.catalog.keyword_search(f"{label} {words[0]} not member", limit=20)
        best: tuple[int, Found] | None = None
        for chunk in self.catalog.get_chunks([cid for cid, _ in hits]).values():
            sentences = split_sentences(chunk.text)
            for i, sentence in enumerate(sentences):
                if not any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", sentence) for n in names):
                    continue
                if not any(w in sentence for w in words) and not any(w in chunk.title for w in words):
                    continue
                if not re.search(
                    r"\b(not|never|only|request|interest|discuss|absent|missing|neither|none|without|"
                    r"rather than)\b",
                    sentence,
                ):
                    continue
                score = 2 * sum(1 for w in words if w in sentence) + min(len(sentence), 240) // 60
                first_at = min(
                    (m.start() for n in names for m in re.finditer(rf"(?<!\w){re.escape(n)}", sentence)),
                    default=len(sentence),
                )
                if first_at > 40:
                    continue  # a sentence that lists the country in passing is not about it
                text = sentence
                nxt = sentences[i + 1] if i + 1 < len(sentences) else ""
                if len(sentence) < 80 and nxt and any(n.split()[0] in nxt for n in names) and len(nxt) < 260:
                    text = f"{sentence} {nxt}"  # a short denial and the sentence that explains it
                    score += 2
                if best is None or score > best[0]:
                    best = (score, Found(text, chunk))
        return best[1] if best else None

    def world_names(self, label: str) -> list[str]:
        """Other names the articles may use for a country ('Turkey' for 'Türkiye')."""
        iso3 = self.world.iso3(label)
        country = self.world.countries.get(iso3 or "")
        if country is None:
            return []
        return [n.title() for n in country.names if len(n) > 3 and " " not in n][:6]

    def _member_both(self, q: Query, b: AnswerBuilder) -> bool | None:
        for name in (q.members + q.countries)[:3]:
            rows = {r.coalition: r for r in self.registry.rows if r.member == name}
            label = self.world.countries[name].name if name in self.world.countries else name
            full = [c for c in ("ilrs", "artemis_accords") if c in rows and rows[c].status == "member"]
            if len(full) == 2:
                ilrs, artemis = self.row_fact(rows["ilrs"]), self.row_fact(rows["artemis_accords"])
                b.add(
                    f"Yes. {start_name(name)} is in both coalitions: it joined the ILRS {date_phrase(rows['ilrs'].joined)} "
                    f"and signed the Artemis Accords {date_phrase(rows['artemis_accords'].joined)}",
                    *[f.evidence for f in (ilrs, artemis) if f],
                )
                continue
            prefix = "No. " if q.wh in ("yes_no", "choice") else ""
            parts = []
            for coalition in ("ilrs", "artemis_accords"):
                row = rows.get(coalition)
                if row is None:
                    continue
                parts.append(row)
            if not parts:
                unknown = False
                for i, coalition in enumerate(("artemis_accords", "ilrs")):
                    unknown |= self._not_member(label, coalition, b, yes_no=bool(prefix) and i == 0, q=q)
                if unknown:
                    return True  # one coalition's answer cannot be known: the question as a whole is not answered
                continue
            for i, row in enumerate(parts):
                temp = AnswerBuilder()
                self._row_sentence(row, temp, yes_no=False, q=q, brief=True)
                found = self.row_fact(row)
                b.add(
                    (prefix if i == 0 else "") + temp.sentences[0].rsplit(" [", 1)[0],
                    *([found.evidence] if found else []),
                )
            missing = [c for c in ("ilrs", "artemis_accords") if c not in rows]
            unknown = False
            for coalition in missing:
                unknown |= self._not_member(label, coalition, b, yes_no=False)
            if unknown and b.sentences and b.sentences[0].startswith("No. "):
                b.sentences[0] = b.sentences[0][4:]  # one part cannot be known: no plain "no"
        return None

    def _order(self, q: Query, b: AnswerBuilder) -> None:
        """'Did X join before Y?', 'which came first', 'did Egypt join the ILRS or sign the Accords first?'."""
        if (
            len(q.members + q.countries) >= 3
            and len(q.coalitions) <= 1
            and (q.wh != "yes_no" or q.has(*_ORDER_ASKED))  # "can you put these in order": a request
            and self._order_of_many(q, b)
        ):
            return
        subjects = (q.members + q.countries)[:2]
        if len(subjects) == 1:
            name = subjects[0]
            rows = {r.coalition: r for r in self.registry.rows if r.member == name and r.status == "member"}
            label = start_name(name)
            in_both = [c for c in q.coalitions if c in rows]
            if len(in_both) == 2 and _order_known(rows[in_both[0]], rows[in_both[1]], numbered=False):
                earlier, later = sorted((rows[c] for c in in_both), key=lambda r: r.sort_key)
                f1, f2 = self.row_fact(earlier), self.row_fact(later)
                if earlier.joined == later.joined:
                    b.add(
                        f"{label} {verb(earlier.coalition)} and {verb(later.coalition)} on the same day, "
                        f"{human_date(earlier.joined)}",
                        *[f.evidence for f in (f1, f2) if f],
                    )
                    return
                prefix = ""
                if q.wh == "yes_no":  # "did Senegal join the ILRS before signing the Accords?"
                    said_first = q.coalitions[0] if not q.has("after", "later") else q.coalitions[-1]
                    prefix = "Yes. " if earlier.coalition == said_first else "No. "
                gap = (
                    f", {gap_phrase(date_start(earlier.joined), date_start(later.joined))} before it "
                    f"{verb(later.coalition)}"
                    if _gap_asked(q) and len(earlier.joined) == len(later.joined) == 10
                    else ""
                )
                b.add(
                    f"{prefix}{label} {verb(earlier.coalition)} first, {date_phrase(earlier.joined)}{gap}",
                    *([f1.evidence] if f1 else []),
                )
                b.add(
                    f"It {verb(later.coalition)} {date_phrase(later.joined)}", *([f2.evidence] if f2 else [])
                )
                return
            missing_first = bool(q.coalitions) and q.coalitions[0] not in rows
            for i, coalition in enumerate(q.coalitions[:2]):
                prefix = "No. " if q.wh in ("yes_no", "choice") and missing_first and i == 0 else ""
                if coalition in rows:
                    found = self.row_fact(rows[coalition])
                    b.add(
                        f"{label} {verb(coalition)} {date_phrase(rows[coalition].joined)}",
                        *([found.evidence] if found else []),
                    )
                else:
                    self._not_member(self.label(name), coalition, b, yes_no=bool(prefix))
            return
        if len(q.coalitions) == 2:  # "Venezuela joining the ILRS or Argentina signing the Accords"
            pairs = [
                next((r for r in self.registry.rows if r.member == s and r.coalition == c), None)
                for s, c in zip(subjects, q.coalitions, strict=False)
            ]
            if all(pairs):
                first_row, second_row = sorted((r for r in pairs if r), key=lambda r: r.sort_key)
                f1, f2 = self.row_fact(first_row), self.row_fact(second_row)
                prefix = ""
                if _BEFORE_OR_AFTER.search(q.text.lower()):
                    # "did kazakhstan join the ilrs before armenia signed the accords or after?"
                    prefix = "Before. " if first_row.member == subjects[0] else "After. "
                elif q.wh == "yes_no":  # "did the UAE sign the Accords before Pakistan joined the ILRS?"
                    said_before = not q.has("after", "later")
                    prefix = "Yes. " if (first_row.member == subjects[0]) == said_before else "No. "
                b.add(
                    f"{prefix}{start_name(first_row.member)} came first: it {verb(first_row.coalition)} "
                    f"{date_phrase(first_row.joined)}",
                    *([f1.evidence] if f1 else []),
                )
                b.add(
                    f"{start_name(second_row.member)} {verb(second_row.coalition)} {date_phrase(second_row.joined)}",
                    *([f2.evidence] if f2 else []),
                )
                return
        coalitions = (
            q.coalitions
            or [
                c
                for c in ("artemis_accords", "ilrs")
                if all(any(r.member == s and r.coalition == c for r in self.registry.rows) for s in subjects)
            ]
            or guess_coalitions(q)
        )
        for coalition in coalitions[:1]:
            by_subject = {
                s: next((r for r in self.registry.rows if r.member == s and r.coalition == coalition), None)
                for s in subjects
            }
            missing = [s for s, r in by_subject.items() if r is None]
            present = sorted((r for r in by_subject.values() if r is not None), key=cmp_to_key(_before))
            if missing:
                for row in present:
                    found = self.row_fact(row)
                    b.add(
                        f"{start_name(row.member)} {verb(coalition)} {date_phrase(row.joined)}",
                        *([found.evidence] if found else []),
                    )
                for name in missing:
                    self._not_member(self.label(name), coalition, b, yes_no=False)
                return
            first, second = present
            f1, f2 = self.row_fact(first), self.row_fact(second)
            if not _order_known(first, second):
                # "was belarus in the ilrs before azerbaijan": October 2023 against 3 October 2023 cannot say
                b.add(
                    f"{start_name(first.member)} {verb(coalition)} {date_phrase(first.joined)} and "
                    f"{name_in_text(second.member)} {date_phrase(second.joined)}",
                    *[f.evidence for f in (f1, f2) if f],
                )
                b.add_plain("The articles do not give the dates precisely enough to say which came first.")
                return
            if date_start(first.joined) == date_start(second.joined) and first.joined == second.joined:
                b.add(
                    f"{start_name(first.member)} and {name_in_text(second.member)} {verb(coalition)} on the same day, "
                    f"{human_date(first.joined)}",
                    *[f.evidence for f in (f1, f2) if f],
                )
                return
            asked_first = subjects[0]
            prefix = ""
            if q.wh == "yes_no":
                said_before = not q.has("after", "later")
                prefix = "Yes. " if (first.member == asked_first) == said_before else "No. "
            gap = ""
            if _gap_asked(q) and len(first.joined) == len(second.joined) == 10:
                gap = (
                    f", {gap_phrase(date_start(first.joined), date_start(second.joined))} before "
                    f"{name_in_text(second.member)}"
                )
            if q.wh != "yes_no" and _later_asked(q):
                # "which of cyprus and estonia signed later": the later one leads
                after = (
                    f", {gap_phrase(date_start(first.joined), date_start(second.joined))} after "
                    if gap
                    else ""
                )
                b.add(
                    f"{start_name(second.member)} {verb(coalition)} later, {date_phrase(second.joined)}"
                    + (f"{after}{name_in_text(first.member)}" if after else ""),
                    *([f2.evidence] if f2 else []),
                )
                b.add(
                    f"{start_name(first.member)} {verb(coalition).split(' ', 1)[0]} {date_phrase(first.joined)}",
                    *([f1.evidence] if f1 else []),
                )
                return
            b.add(
                f"{prefix}{start_name(first.member)} {verb(coalition)} first, {date_phrase(first.joined)}{gap}",
                *([f1.evidence] if f1 else []),
            )
            b.add(
                f"{start_name(second.member)} {verb(coalition).split(' ', 1)[0]} {date_phrase(second.joined)}",
                *([f2.evidence] if f2 else []),
            )

    def _order_of_many(self, q: Query, b: AnswerBuilder) -> bool:
        """'Of the Czech Republic, Spain and Argentina, which was the last to sign?': all of them in order."""
        subjects = q.members + q.countries
        coalition = (q.coalitions or guess_coalitions(q) or ["artemis_accords"])[0]
        rows = [
            next((r for r in self.registry.rows if r.member == s and r.coalition == coalition), None)
            for s in subjects
        ]
        present = sorted((r for r in rows if r is not None), key=cmp_to_key(_before))
        if len(present) < 3 or len(present) != len(rows):
            return False
        pick = present[-1] if _later_asked(q) else present[0]
        others = [r for r in present if r is not pick]
        word = "last" if pick is present[-1] else "first"
        facts = [self.row_fact(r) for r in present]
        if any(not _order_known(pick, r) for r in others):
            # "which of djibouti, ethiopia and bolivia joined first": all three known only as April 2025
            b.add(
                f"{start_name(present[0].member)} {verb(coalition)} {date_phrase(present[0].joined)}, "
                + join_names([f"{name_in_text(r.member)} {date_phrase(r.joined)}" for r in present[1:]]),
                *[f.evidence for f in facts if f],
            )
            b.add_plain(f"The articles do not give the dates precisely enough to say which came {word}.")
            return True
        b.add(
            f"{start_name(pick.member)} {verb(coalition)} {word} of the {count_words(len(present)).lower()}, "
            f"{date_phrase(pick.joined)}",
            *[f.evidence for f, r in zip(facts, present, strict=True) if f and r is pick],
        )
        b.add(
            ("Before it: " if word == "last" else "After it: ")
            + join_names([f"{name_in_text(r.member)} {date_phrase(r.joined)}" for r in others]),
            *[f.evidence for f, r in zip(facts, present, strict=True) if f and r is not pick],
        )
        return True

    def label(self, name: str) -> str:
        return self.world.countries[name].name if name in self.world.countries else name

    def _coalition_order(self, q: Query, b: AnswerBuilder) -> None:
        """'Which came first, the ILRS or the Accords?': the two starting dates."""
        facts = [self.registry.coalitions[c] for c in q.coalitions[:2] if c in self.registry.coalitions]
        if len(facts) < 2:
            return
        first, second = sorted(facts, key=lambda f: date_start(f.began))
        verdict = ""
        if q.wh == "yes_no":  # "was the ilrs founded after the accords": the coalition named first, placed
            before = q.has("before", "earlier", "first", "sooner", "prior", "older")
            after = q.has("after", "later", "newer", "younger")
            if before != after:
                verdict = "Yes. " if (q.coalitions[0] == first.coalition) == before else "No. "
        for i, fact in enumerate((first, second)):
            found = self.fact_passage(fact.began_article, [fact.began_human, *fact.founders[:2]])
            text = f"{began_sentence(fact)}"
            if i == 0:
                text = verdict + (
                    f"{'The Artemis Accords came' if fact.coalition == 'artemis_accords' else 'The ILRS came'} first: "
                    + text[0].lower()
                    + text[1:]
                )
            b.add(text, *([found.evidence] if found else []))

    def fact_passage(self, article: str, terms: list[str]) -> Found | None:
        """The passage of an article that states all these terms (the best sentence when one does)."""
        best: tuple[int, Found] | None = None
        for chunk in self.catalog.chunks_of(article):
            for sentence in split_sentences(chunk.text):
                score = sum(1 for t in terms if t.lower() in sentence.lower())
                if score and (
                    best is None
                    or score > best[0]
                    or (score == best[0] and len(sentence) < len(best[1].sentence))
                ):
                    best = (score, Found(sentence, chunk))
        return best[1] if best else None

    def _began(self, q: Query, b: AnswerBuilder) -> None:
        """'When was the ILRS founded?', 'when did the Artemis Accords start?'."""
        for coalition in q.coalitions[:2]:
            fact = self.registry.coalitions.get(coalition)
            if fact is None:
                continue
            found = self.fact_passage(fact.began_article, [fact.began_human, *fact.founders[:2]])
            b.add(began_sentence(fact), *([found.evidence] if found else []))
            origins = self._origins(fact, q, began=True)
            if origins:  # "who started the ilrs originally and when": the idea is older than the memorandum
                b.add(origins.sentence, origins.evidence)

    def _origins(self, fact: CoalitionFacts, q: Query, *, began: bool = False) -> Found | None:
        """The articles' account of who proposed a coalition, when the question asks whose idea it was (or, with
        the date it began, how it started 'originally')."""
        asked = _ORIGIN.search(q.text.lower()) or (began and re.search(r"\boriginally\b", q.text.lower()))
        if not asked or q.wh == "how_many" or q.member_type == "country":
            return None
        origins = self.fact_passage(fact.began_article, ["origins", "initiative", "proposed", "2016"])
        return origins if origins and origins.sentence and "origin" in origins.sentence else None

    def _founded_and_other(self, q: Query) -> tuple[str, str] | None:
        """For 'are any artemis founders in the ilrs': (the coalition whose founders are meant, the other one), read
        from which coalition is named right beside the word 'founders'/'founding'."""
        words = [t.text for t in q.tokens]
        at = [i for i, w in enumerate(words) if w in ("founder", "founders", "founding", "original", "og")]
        if not at:
            return None
        named = [(i, t.entity[1]) for i, t in enumerate(q.tokens) if t.entity and t.entity[0] == "coalition"]
        near = min(named, key=lambda n: min(abs(n[0] - a) for a in at), default=None)
        if near is None or min(abs(near[0] - a) for a in at) > 3:
            return None
        others = [c for _, c in named if c != near[1]]
        return (near[1], others[0]) if others else None

    def _founders_in_other(self, q: Query, b: AnswerBuilder) -> None:
        """Which of one coalition's founders belong to the other: each with what the registry holds for it."""
        pair = self._founded_and_other(q)
        fact = self.registry.coalitions.get(pair[0]) if pair else None
        if pair is None or fact is None:
            return
        founded, other = pair
        rows = [r for r in self.registry.rows if r.coalition == other and r.member in fact.founders]
        if not rows:  # each founder is shown not to be in the other, as the articles that list it show
            for i, founder in enumerate(fact.founders):
                self._not_member(self.label(founder), other, b, yes_no=q.wh == "yes_no" and i == 0, q=q)
            return
        for row in rows:
            self._row_sentence(row, b, yes_no=q.wh == "yes_no", q=q)

    def _founders(self, q: Query, b: AnswerBuilder) -> None:
        """'Who founded the ILRS?', 'who wrote the Artemis Accords?'."""
        for coalition in q.coalitions[:2]:
            fact = self.registry.coalitions.get(coalition)
            if fact is None:
                continue
            founders = [name_in_text(f) for f in fact.founders]
            found = self.fact_passage(fact.began_article, [fact.began_human, *fact.founders])
            left_out = [f for f in fact.founders if f in q.excluded]
            if left_out:  # "apart from the us, the uk and the uae, which countries were founding signatories"
                rest = [name_in_text(f) for f in fact.founders if f not in q.excluded]
                b.add(
                    f"Apart from {join_names([name_in_text(f) for f in left_out])}, the founders of the "
                    f"{SHORT_NAMES[coalition]} were {join_names(rest)}, "
                    f"{'signing on' if coalition == 'artemis_accords' else 'from'} {fact.began_human}",
                    *([found.evidence] if found else []),
                )
                continue
            led = self.fact_passage(fact.led_article, [*fact.leader_terms, "drafted"])
            drafted = q.has(
                "wrote",
                "write",
                "written",
                "writes",
                "draft",
                "drafted",
                "drafts",
                "author",
                "authored",
                "authors",
            )
            if coalition == "artemis_accords" and (drafted or q.member_type == "organisation"):
                # "which two us government bodies wrote the accords": the bodies, not the founding countries
                b.add(
                    f"{fact.led_by} drafted the Artemis Accords, and they lead them",
                    *([led.evidence] if led else []),
                )
                continue
            if coalition == "artemis_accords" and (
                q.wh == "how_many" or q.has("founding", "original", "initial") or q.plural
            ):
                # "how many founding signatories did the accords have", "who are the founding members": the
                # countries, counted, first
                b.add(
                    f"The Artemis Accords had {len(founders)} founding countries, which signed on "
                    f"{fact.began_human}: {join_names(founders)}",
                    *([found.evidence] if found else []),
                )
                continue
            if coalition == "artemis_accords":
                b.add(
                    f"The United States started the Artemis Accords: {fact.led_by} drafted them",
                    *([led.evidence] if led else []),
                )
                b.add(
                    f"They were launched on {fact.began_human}, when {len(founders)} founding countries signed: "
                    f"{join_names(founders)}",
                    *([found.evidence] if found else []),
                )
            else:
                origins = self._origins(fact, q)
                if origins:
                    # "whose idea was the ilrs in the first place": the articles' accounts of who proposed it
                    b.add(origins.sentence, origins.evidence)
                    continue
                b.add(
                    (
                        f"{count_words(len(founders))} countries, {join_names(founders)},"
                        if q.wh == "how_many"
                        else join_names(founders)
                    )
                    + " founded the ILRS: their governments signed a memorandum of "
                    f"understanding on building the station on {fact.began_human}",
                    *([found.evidence] if found else []),
                )
                if q.member_type == "organisation" or q.has(*PERSON_WORDS):
                    # "which agencies started the ilrs", "who signed it for china": the article says who signed
                    signers = self.fact_passage(
                        fact.began_article, [*fact.leader_terms, fact.began_human, "signed"]
                    )
                    if signers and signers.sentence and any(t in signers.sentence for t in fact.leader_terms):
                        b.add(signers.sentence, signers.evidence)

    def _same_period_check(self, q: Query, b: AnswerBuilder) -> None:
        """Whether a member joined in the same day, week, month or year as the anchor: both dates, cited."""
        coalition = (q.coalitions or guess_coalitions(q))[0]
        word, anchor = next((w, m) for w, m in q.anchors if w.startswith("same "))
        subject = next((m for m in q.members + q.countries if m != anchor), None)
        rows = {
            r.member: r
            for r in self.registry.rows
            if r.coalition == coalition and r.status == "member" and r.member in (subject, anchor)
        }
        if subject not in rows or anchor not in rows:
            for name in (subject, anchor):
                if name is not None and name not in rows:
                    self._not_member(self.label(name), coalition, b, yes_no=True, q=q)
            return
        mine, theirs = rows[subject], rows[anchor]
        unit = word.split()[1]
        a, z = date_start(mine.joined), date_start(theirs.joined)
        grain = {"day": 10, "month": 7, "year": 4}.get(unit)
        if grain is not None and (len(mine.joined) < grain or len(theirs.joined) < grain):
            same: bool | None = None  # a date known only to the month cannot share a day
        elif unit == "week":
            same = a.isocalendar()[:2] == z.isocalendar()[:2]
        else:
            same = mine.joined[:grain] == theirs.joined[:grain]
        verdict = "Yes. " if same else "No. " if same is False else ""
        for i, row in enumerate((mine, theirs)):
            found = self.row_fact(row)
            b.add(
                f"{verdict if i == 0 else ''}{start_name(row.member)} {verb(coalition)} {date_phrase(row.joined)}"
                + (
                    f", the {ordinal(row.order)} signatory"
                    if row.order and coalition == "artemis_accords"
                    else ""
                ),
                *([found.evidence] if found else []),
            )

    def _superlative_check(self, q: Query, b: AnswerBuilder) -> None:
        """Whether a member was the first (or latest) of its kind: yes with its date, or no with who was."""
        subject = (q.members + q.countries)[0]
        coalitions = q.coalitions or guess_coalitions(q)
        coalition = next(
            (
                c
                for c in coalitions
                if any(r.member == subject and r.coalition == c for r in self.registry.rows)
            ),
            coalitions[0],
        )
        rows = self.rows(coalition, dataclasses.replace(q, members=[], countries=[]))
        mine = next((r for r in self.registry.rows if r.member == subject and r.coalition == coalition), None)
        if mine is None or mine.status != "member":
            self._not_member(self.label(subject), coalition, b, yes_no=True, q=q)
            return
        if not rows:
            return
        edge = rows[0] if q.superlative == "first" else rows[-1]
        group = [r for r in rows if r.joined == edge.joined]
        place = region_words(self.world, q)
        kind, plural = (
            ("signatory", "signatories") if coalition == "artemis_accords" else ("member", "members")
        )
        which = "first" if q.superlative == "first" else "latest"
        found = self.row_fact(mine)
        if mine in group:
            b.add(
                f"Yes. {start_name(subject)} was the {which} {place}{kind} of the {SHORT_NAMES[coalition]}"
                + (
                    f", with {join_names([name_in_text(r.member) for r in group if r != mine])}"
                    if len(group) > 1
                    else ""
                )
                + f", {date_phrase(mine.joined)}{period_phrase(q.time)}",
                *([found.evidence] if found else []),
            )
            return
        first = self.row_fact(group[0])
        b.add(
            f"No. The {which} {place}{kind if len(group) == 1 else plural} "
            f"of the {SHORT_NAMES[coalition]}{period_phrase(q.time)} {'was' if len(group) == 1 else 'were'} "
            f"{join_names([name_in_text(r.member) for r in group])}, {date_phrase(group[0].joined)}",
            *([first.evidence] if first else []),
        )
        b.add(
            f"{start_name(subject)} {verb(coalition)} {date_phrase(mine.joined)}",
            *([found.evidence] if found else []),
        )

    def _event_order(self, q: Query, b: AnswerBuilder) -> None:
        """Dated events in order: the one asked for (the earlier, or the later when that is asked) first, then
        the others, each with its date and article."""
        named = sorted(q.named_events[:3] + self._signings(q), key=lambda e: self._mentioned_at(q, e[0]))
        ordered = sorted(named, key=lambda e: (date_start(e[1]), date_end(e[1])))
        unsure = [
            (a, b) for a, b in zip(ordered, ordered[1:], strict=False) if date_end(a[1]) >= date_start(b[1])
        ]
        if unsure and any(len(e[1]) < 10 for pair in unsure for e in pair):
            # "the duma ratification or serbia joining": 28 May 2024 and "May 2024" cannot be ordered
            one, other = unsure[0]
            passages = [self.fact_passage(e[2], [human_date(e[1])]) for e in (one, other)]
            b.add(
                f"The articles do not say which came first: {one[0]} was {date_phrase(one[1])}, and "
                f"{other[0]} was {date_phrase(other[1])}",
                *[p.evidence for p in passages if p],
            )
            return
        later = q.has("later", "last", "after", "newer", "latest") and not q.has(
            "earlier", "first", "before", "sooner", "older"
        )
        chosen = ordered[-1] if later else ordered[0]
        verdict = ""
        if q.wh == "yes_no":  # "was the paris meeting before the milan one?": about the first one named
            verdict = "Yes. " if named[0] == chosen else "No. "
        for label, date, article in [chosen, *[e for e in ordered if e != chosen]]:
            found = self.fact_passage(article, [human_date(date)])
            evidence = [found.evidence] if found else []
            if (label, date, article) == chosen:
                b.add(
                    f"{verdict}{_capital(label)} came {'later' if later else 'first'}, {date_phrase(date)}",
                    *evidence,
                )
            else:
                b.add(f"{_capital(label)} was {date_phrase(date)}", *evidence)

    def _region_most(self, q: Query, b: AnswerBuilder) -> None:
        """The continent with the most (or fewest) member countries, with the others' counts."""
        fewest = q.has("fewest", "least")
        for coalition in (q.coalitions or ["artemis_accords", "ilrs"])[:2]:
            rows = [r for r in self.rows(coalition, q) if r.member_type == "country"]
            counts = {
                key: [r for r in rows if self.world.in_region(self.iso3(r.member), key)]
                for key in _CONTINENTS
            }
            ranked = sorted(
                ((key, members) for key, members in counts.items() if members or fewest),
                key=lambda kv: (len(kv[1]) if fewest else -len(kv[1]), kv[0]),
            )
            if not ranked:
                continue
            top, members = ranked[0]
            tied = [key for key, m in ranked if len(m) == len(members)]
            noun = "signatories" if coalition == "artemis_accords" else "member countries"
            label = join_names([self.world.regions[k].label for k in tied])
            others = ", ".join(f"{self.world.regions[k].label} {len(m)}" for k, m in ranked if k not in tied)
            others = f"; the others: {others}" if others else ""
            cited = self.cover(members or rows, with_dates=False)
            b.add(
                f"{label} had the {'fewest' if fewest else 'most'} {SHORT_NAMES[coalition]} {noun}"
                f"{period_phrase(q.time)}: {len(members)} of {len(rows)}{others}",
                *[evidence_of(c) for c in cited],
            )
            # an article's own count for that region, which may draw the borders differently
            stated = self.region_statement(coalition, dataclasses.replace(q, regions=[top]))
            if stated is not None:
                b.add(stated.sentence, stated.evidence)

    def _outside(self, coalition: str, q: Query, b: AnswerBuilder) -> None:
        """The region's countries that are not members (as of the asked date), with any whose joining is only
        announced or unconfirmed said apart."""
        region = self.world.regions[q.regions[0]]
        members = {self.iso3(r.member) for r in self.rows(coalition, dataclasses.replace(q, regions=[]))}
        pending = [
            r
            for r in self.rows(
                coalition, dataclasses.replace(q, regions=[]), statuses=("announced", "unconfirmed")
            )
            if self.iso3(r.member) in region.members
        ]
        names = sorted(
            self.world.countries[iso].name
            for iso in region.members
            if iso not in members and iso in self.world.countries and iso in self.world.states
        )
        basis = self.coverage(coalition)
        period = period_phrase(q.time)
        place = region_words(self.world, q)
        if not names:
            b.add(f"Every {place}country has {verb(coalition)}{period}", *([basis.evidence] if basis else []))
            return
        facts = self.registry.coalitions.get(coalition)
        if facts is not None and not facts.complete_list:
            # the articles do not list every ILRS member: who is not named, said as such
            b.add(
                f"{count_words(len(names))} {place}{'countries are' if len(names) != 1 else 'country is'} not "
                f"among the {SHORT_NAMES[coalition]} members the articles name{period}: "
                f"{join_names([name_in_text(n) for n in names])}; the articles do not list every member",
                *([basis.evidence] if basis else []),
            )
        else:
            b.add(
                f"{count_words(len(names))} {place}{'countries have' if len(names) != 1 else 'country has'} not "
                f"{verb(coalition)}{period}: {join_names([name_in_text(n) for n in names])}",
                *([basis.evidence] if basis else []),
            )
        for row in pending:
            note = self.status_note(row) or self.row_fact(row)
            b.add(
                f"{start_name(row.member)}'s {'signing' if coalition == 'artemis_accords' else 'membership'} is "
                f"{row.status}",
                *([note.evidence] if note else []),
            )

    def _signings(self, q: Query) -> list[tuple[str, str, str]]:
        """The question's members' joinings as dated events, in the coalition asked about or the events' own."""
        labels = {label for label, _, _ in q.named_events}
        coalitions = q.coalitions or list(
            dict.fromkeys(e.coalition for e in self.registry.events if e.label in labels)
        )
        out = []
        for name in self._beside_events(q):
            for row in self.registry.rows:
                if row.member == name and row.coalition in coalitions[:1] and row.status == "member":
                    what = (
                        "signing of the Artemis Accords"
                        if row.coalition == "artemis_accords"
                        else "joining the ILRS"
                    )
                    out.append((f"{possessive(name_in_text(row.member))} {what}", row.joined, row.article))
        return out

    def _beside_events(self, q: Query) -> list[str]:
        """The question's members, less those named inside an event's name ("the isle of man extension", "the
        canadian space agency workshop")."""
        labels = {label for label, _, _ in q.named_events}
        said = [
            n
            for e in self.registry.events
            if e.label in labels
            for n in event_names(e.names)
            if n in q.text.lower()
        ]
        tokens = q.tokens
        return [
            m
            for m in q.members
            if not any(
                t.entity == ("member", m)
                and (
                    any(t.text in n for n in said)
                    # "did the duma ratify the agreement with china": the other party of the event's agreement
                    or (i > 0 and tokens[i - 1].text == "with" and said and _after_event(q, i))
                )
                for i, t in enumerate(tokens)
                if t.entity
            )
        ]

    def _mentioned_at(self, q: Query, label: str) -> int:
        """Where the question names a member or an event (its label, or any name it goes by)."""
        text = q.text.lower()
        names = [label.lower()] + [
            n for e in self.registry.events if e.label == label for n in event_names(e.names)
        ]
        names += [w.lower() for w in re.findall(r"^(?:the )?([\w' -]+?)(?:'s|’s)? ", label)]
        found = [text.find(n) for n in names if n and text.find(n) >= 0]
        found += [
            text.find(t.raw.lower())
            for t in q.tokens
            if t.entity == ("member", label) and text.find(t.raw.lower()) >= 0
        ]  # "did Estnoia sign …": the member as typed
        return min(found, default=len(text))

    def _founders_in_region(self, q: Query, b: AnswerBuilder) -> None:
        """The founders from a region (or outside one): named with their founding, or none, said with who the
        founders were and the region's first member after them."""
        for coalition in q.coalitions[:2]:
            fact = self.registry.coalitions.get(coalition)
            if fact is None:
                continue
            rows = [r for r in self.rows(coalition, q) if r.member in fact.founders]
            place = region_words(self.world, q).strip()
            short = SHORT_NAMES[coalition]
            found = self.fact_passage(fact.began_article, [fact.began_human, *fact.founders])
            evidence = [found.evidence] if found else []
            when = f"{'signing on' if coalition == 'artemis_accords' else 'from'} {fact.began_human}"
            everyone = join_names([name_in_text(f) for f in fact.founders])
            if rows and q.wh == "how_many":
                b.add(
                    f"{len(rows)} of the {len(fact.founders)} founders of the {short} "
                    f"{'was' if len(rows) == 1 else 'were'} {place}: "
                    f"{join_names([name_in_text(r.member) for r in rows])}, {when}",
                    *evidence,
                )
            elif rows:
                names = join_names([start_name(rows[0].member), *[name_in_text(r.member) for r in rows[1:]]])
                b.add(
                    f"{'Yes. ' if q.wh == 'yes_no' else ''}{names} "
                    f"{'was one of' if len(rows) == 1 else 'were among'} the {len(fact.founders)} founders "
                    f"of the {short}, {when}",
                    *evidence,
                )
            else:
                b.add(
                    f"{'No. ' if q.wh == 'yes_no' else ''}None of the {len(fact.founders)} founders of the "
                    f"{short} ({everyone}, {when}) was {place}",
                    *evidence,
                )
                later = self.rows(coalition, dataclasses.replace(q, founding=False))
                if later:
                    first = [r for r in later if r.joined == later[0].joined]
                    cited = self.row_fact(first[0])
                    noun = (
                        ("signatory", "signatories")
                        if coalition == "artemis_accords"
                        else ("member", "members")
                    )
                    b.add(
                        f"The first {place} {noun[len(first) > 1]} came later: "
                        f"{join_names([name_in_text(r.member) for r in first])}, {date_phrase(first[0].joined)}",
                        *([cited.evidence] if cited else []),
                    )

    def _leaders(self, q: Query, b: AnswerBuilder) -> None:
        for coalition in q.coalitions[:2]:
            fact = self.registry.coalitions.get(coalition)
            if fact is None:
                continue
            found = self.fact_passage(fact.led_article, list(fact.leader_terms) + ["lead", "led"])
            if found and found.sentence:
                b.add(found.sentence, found.evidence)

    def _leader_words(self, coalition: str) -> set[str]:
        """The words that name the bodies leading a coalition ('cnsa', 'roscosmos'; 'nasa', 'department', 'state'),
        not the countries they belong to."""
        fact = self.registry.coalitions[coalition]
        countries = {w for f in fact.founders for w in re.findall(r"[a-z]+", f.lower())}
        said = re.findall(r"[a-z]+", " ".join([fact.led_by, *fact.leader_terms]).lower())
        return {w for w in said if len(w) > 2 and w not in FUNCTION_WORDS and w not in countries}

    def _leader_verdict(self, q: Query) -> str | None:
        """'Yes' or 'No' to whether the bodies or countries a yes/no question names lead its one coalition, or None
        when the question is not such a check. A body only the other coalition's leaders are called
        ('is nasa in charge of the ilrs') or a name that is no English word ('is the ilrs led by esa') is not among
        its leaders; 'alone' or 'only' asks for all of them."""
        if not (q.leading and not q.founding and q.wh == "yes_no" and len(q.coalitions) == 1):
            return None
        coalition = q.coalitions[0]
        if coalition not in self.registry.coalitions:
            return None
        fact = self.registry.coalitions[coalition]
        own = self._leader_words(coalition)
        others = set().union(*(self._leader_words(c) for c in self.registry.coalitions)) - own
        residual = self.residual(q)
        foreign = [w for w in residual if w in others or not is_english(w)]
        if len(foreign) < len(residual):
            return None  # "is the ilrs led by a committee of scientists": not a body the registry can check
        asked_bodies = {w for w in q.content_terms if w in own}
        subjects = q.members + q.countries
        if not (foreign or asked_bodies or subjects):
            return None
        leading = {f for f in fact.founders if mentions(fact.led_by, f)}
        if foreign or any(s not in leading for s in subjects):
            return "No"
        terms = {t.lower() for t in fact.leader_terms}
        if (q.has("alone", "solely", "only", "just", "single-handedly") or ALONE.search(q.text.lower())) and (
            (asked_bodies & terms and asked_bodies & terms < terms) or (subjects and set(subjects) < leading)
        ):
            return "No"
        return "Yes"

    def _leader_check(self, q: Query, b: AnswerBuilder) -> None:
        verdict = self._leader_verdict(q)
        fact = self.registry.coalitions[q.coalitions[0]]
        found = self.fact_passage(fact.led_article, list(fact.leader_terms) + ["lead", "led"])
        if found and found.sentence:
            b.add(f"{verdict}. {found.sentence}", found.evidence)

    def _member_ordinal(self, q: Query, b: AnswerBuilder) -> None:
        for name in q.members[:2]:
            rows = [
                r
                for r in self.registry.rows
                if r.member == name
                and r.status == "member"
                and (not q.coalitions or r.coalition in q.coalitions)
            ]
            for row in rows:
                if (
                    q.regions or q.excluded_regions or q.time.start
                ):  # "among south american countries, where does peru rank"
                    same = [m for m in self.rows(row.coalition, q) if m.member_type == row.member_type]
                    if row in same:
                        found = self.row_fact(row)
                        noun = (
                            "signatory of the Artemis Accords"
                            if row.coalition == "artemis_accords"
                            else "country in the ILRS"
                        )
                        b.add(
                            f"{start_name(name)} was the {ordinal(same.index(row) + 1)} {region_words(self.world, q)}"
                            f"{noun}{period_phrase(q.time, q.anchor_text)}, {date_phrase(row.joined)}",
                            *([found.evidence] if found else []),
                        )
                        continue
                position = row.order or self.position(row)
                found = self.row_fact(row)
                noun = (
                    "signatory of the Artemis Accords"
                    if row.coalition == "artemis_accords"
                    else "country in the ILRS"
                )
                extra = (
                    "" if row.coalition == "artemis_accords" else ", counting its founders China and Russia"
                )
                b.add(
                    f"{start_name(name)} was the {ordinal(position)} {noun}{extra}, {date_phrase(row.joined)}",
                    *([found.evidence] if found else []),
                )

    def position(self, row: Member) -> int:
        same = [m for m in self.rows(row.coalition) if m.member_type == row.member_type]
        return same.index(row) + 1 if row in same else 0

    def _ordinal(self, q: Query, b: AnswerBuilder) -> None:
        assert q.ordinal is not None
        coalitions = q.coalitions or guess_coalitions(q)
        for coalition in coalitions[:1]:
            within = bool(
                q.regions or q.excluded_regions or q.time.start or q.time.end
            )  # "the third african signatory"
            rows = [
                m
                for m in (self.rows(coalition, q) if within else self.rows(coalition))
                if m.member_type == "country"
            ]
            numbered = {m.order: m for m in rows if m.order} if not within else {}
            row = numbered.get(q.ordinal) or (rows[q.ordinal - 1] if 0 < q.ordinal <= len(rows) else None)
            if row is not None and within:
                found = self.row_fact(row)
                noun = (
                    "signatory of the Artemis Accords"
                    if coalition == "artemis_accords"
                    else "country in the ILRS"
                )
                b.add(
                    f"{start_name(row.member)} was the {ordinal(q.ordinal)} {region_words(self.world, q)}{noun}"
                    f"{period_phrase(q.time, q.anchor_text)}, {date_phrase(row.joined)}",
                    *([found.evidence] if found else []),
                )
                tied = [
                    name_in_text(m.member)
                    for m in rows
                    if m.joined == row.joined and m is not row and len(row.joined) == 10
                ]
                before = [name_in_text(m.member) for m in rows[: q.ordinal - 1] if m.joined != row.joined]
                if before and len(before) < 8:
                    b.add_plain(f"Before it: {join_names(before)}.")
                if tied and len(tied) < 8:
                    verb = "signed" if coalition == "artemis_accords" else "joined"
                    b.add_plain(f"{join_names(tied)} {verb} the same day.")
                return
            if row is None:
                cover = self.coverage(coalition)
                b.add(
                    f"The registry lists only {len(rows)} {member_noun(coalition, True)} of the "
                    f"{SHORT_NAMES[coalition]}, so there is no {ordinal(q.ordinal)} yet"
                    + (f" (as of {human_date(cover.chunk.published)})" if cover else ""),
                    *([cover.evidence] if cover else []),
                )
                return
            found = self.row_fact(row)
            same_day = [m for m in rows if m.joined == row.joined and m is not row and len(row.joined) == 10]
            noun = (
                "signatory of the Artemis Accords"
                if coalition == "artemis_accords"
                else "country in the ILRS"
            )
            extra = "" if coalition == "artemis_accords" else ", counting its founders China and Russia"
            b.add(
                f"{start_name(row.member)} was the {ordinal(q.ordinal)} {noun}{extra}, {date_phrase(row.joined)}",
                *([found.evidence] if found else []),
            )
            if same_day and len(same_day) < 8:
                b.add_plain(
                    f"{join_names([name_in_text(m.member) for m in same_day])} "
                    f"{'signed' if coalition == 'artemis_accords' else 'joined'} the same day."
                )

    def _first_latest(self, q: Query, b: AnswerBuilder) -> None:
        """'The first signatories', 'the newest ILRS member', 'the first African signatories', 'first of 2025'."""
        coalitions = q.coalitions or guess_coalitions(q)
        q = held_then(q)
        for coalition in coalitions[:2]:
            rows = self.rows(coalition, q)
            if not q.member_type:
                rows = [r for r in rows if r.member_type == "country"] or rows
            if not rows:
                self._empty(coalition, q, b)
                continue
            facts = self.registry.coalitions.get(coalition)
            founders = set(facts.founders) if facts else set()
            # "the first country to join the ILRS" means after the two that founded it
            after_founders = q.has(
                "after", "besides", "excluding", "except", "apart", "aside", "beyond"
            ) and bool(q.founding or q.has("founding", "original", "initial", "founders", "founder"))
            exclude_founders = (
                q.superlative == "first"
                and any(r.member in founders for r in rows[:2])
                and (
                    after_founders
                    or (
                        coalition == "ilrs"
                        and not q.founding
                        and not q.has("founding", "original", "initial")
                    )
                )
            )
            if exclude_founders:
                rows = [r for r in rows if r.member not in founders] or rows
            day_known = bool(_DAY_KNOWN.search(q.raw.lower()))
            if day_known:  # "the newest ilrs country whose joining date is known"
                rows = [r for r in rows if len(r.joined) == 10] or rows
            straddles: list[Member] = []
            if q.superlative == "first" and q.time.start:
                # "the next country after the Duma ratified (28 May 2024)": Serbia, May 2024, may be before it
                start = q.time.start
                straddles = [r for r in rows if date_start(r.joined) < start <= date_end(r.joined)]
                rows = [r for r in rows if r not in straddles] or rows
            if q.superlative == "latest":
                rows = list(reversed(rows))
            nth = q.ordinal if q.ordinal and q.ordinal > 1 and q.superlative == "latest" else 1
            if nth > 1:  # "the 2nd most recent signatory": counted back from the newest
                at = rows[min(nth, len(rows)) - 1]
                tied = [r for r in rows if r.joined == at.joined]
                if len(tied) > 1 and rows.index(tied[0]) < nth - 1 and len(at.joined) < 10:
                    # Bolivia, Djibouti and Ethiopia all "April 2025": no order among them to count by
                    cited = self.cover(tied, with_dates=True)
                    b.add(
                        f"{join_names([name_in_text(r.member) for r in reversed(tied)])} all {verb(coalition)} "
                        f"{date_phrase(at.joined)}, and the articles do not say in which order, so the "
                        f"{ordinal_word(nth)} newest cannot be told apart",
                        *[evidence_of(c) for c in cited],
                    )
                    continue
                rows = rows[nth - 1 :] or rows[-1:]
            picked = pick(rows, q)
            if q.superlative == "latest":
                picked = list(reversed(picked))
            names = [name_in_text(r.member) for r in picked]
            cited = self.cover(picked, with_dates=True)
            plural = len(picked) > 1
            if (
                not plural
                and q.anchor_text
                and picked[0].order
                and picked[0].member_type == "country"
                and len(picked[0].joined) == 10  # a month only: its place in the order is not sure
                and not q.regions  # "the first baltic signatory after …": its place overall is not asked
                and not q.excluded_regions
            ):
                names = [
                    f"{names[0]}, the {ordinal(picked[0].order)}"
                ]  # "the last before Germany": its place too
            if q.member_type == "organisation":
                noun = "partner organisations" if plural else "partner organisation"
            elif coalition == "artemis_accords":
                noun = "signatories" if plural else "signatory"
            else:
                noun = "countries" if plural else "country"
            where = "of the Artemis Accords" if coalition == "artemis_accords" else "in the ILRS"
            after = (
                (
                    f", after its founders {join_names([name_in_text(f) for f in sorted(founders)])},"
                    if coalition == "ilrs"
                    else ", after its founding signatories,"
                )
                if exclude_founders
                else ""
            )
            word = (
                "first"
                if q.superlative == "first"
                else "last"
                if "before" in q.anchor_text or not q.time.empty
                else "newest"
            )
            if nth > 1:
                word = f"{ordinal_word(nth)} {word}"
            if day_known:
                where += " with a known date"
            lead = (
                f"The {word} {region_words(self.world, q)}{noun} {where}{period_phrase(q.time, q.anchor_text)}{after} "
                f"{'were' if plural else 'was'} {join_names(names)}{same_date_phrase(picked)}"
            )
            if q.wh == "how_many" and plural:
                # "and how many of them were there?" after the first signatories: the number first
                lead = f"{count_words(len(names))}: {lead[0].lower()}{lead[1:]}"
            b.add(lead, *[evidence_of(c) for c in cited])
            straddles = [r for r in straddles if r not in picked]
            if straddles:
                said, evidence = self.day_not_known(coalition, straddles)
                b.add(f"{said}: {'it' if len(straddles) == 1 else 'they'} may have been first", *evidence)
            if q.superlative == "latest" and q.time.as_of and nth == 1:
                # "newest ILRS country when the Duma ratified (28 May 2024)": Serbia, May 2024, may be newer
                maybe = [r for r in self.maybe_in_by(coalition, q, q.time.as_of) if r not in picked]
                if maybe:
                    said, evidence = self.day_not_known(coalition, maybe)
                    b.add(
                        f"{said}: {'it' if len(maybe) == 1 else 'they'} may have been in by then too",
                        *evidence,
                    )
            if (
                q.superlative == "latest"
                and coalition == "artemis_accords"
                and q.time.empty
                and not q.regions
            ):
                for other in self.rows(coalition, statuses=("announced",)):
                    note = self.status_note(other) or self.row_fact(other)
                    b.add(
                        f"{start_name(other.member)}'s accession was announced {date_phrase(other.joined)} but "
                        "had not been formally signed",
                        *([note.evidence] if note else []),
                    )
            if q.superlative == "latest" and any(len(r.joined) < 10 for r in picked):
                same_type = {r.member_type for r in picked}
                dated = next(
                    (
                        r
                        for r in reversed(self.rows(coalition, q))
                        if len(r.joined) == 10 and r.member_type in same_type
                    ),
                    None,
                )
                if dated and dated not in picked:
                    found = self.row_fact(dated)
                    b.add(
                        f"{'Their exact dates are' if len(picked) > 1 else 'Its exact date is'} not known; the "
                        f"newest with a known date is "
                        f"{name_in_text(dated.member)}, {date_phrase(dated.joined)}",
                        *([found.evidence] if found else []),
                    )

    def _overlap(self, q: Query, b: AnswerBuilder) -> None:
        """Countries in both coalitions (and which was first to be in both)."""
        pairs = self.registry.overlap()
        confirmed = [(a, i) for a, i in pairs if a.status == i.status == "member"]
        if q.regions:  # "any latin american country in both?": only that region's
            everywhere = confirmed
            pairs = [
                (a, i)
                for a, i in pairs
                if all(self.world.in_region(self.iso3(a.member), region) for region in q.regions)
            ]
            confirmed = [p for p in confirmed if p in pairs]
            if not confirmed:
                cited = self.cover([r for pair in everywhere for r in pair], with_dates=True)
                yes_no = q.wh in ("yes_no", "choice") or q.has("any", "anyone", "anybody")
                b.add(
                    f"{'No, no' if yes_no else 'No'} {region_words(self.world, q)}country is in both coalitions"
                    + (
                        f": the {count_words(len(everywhere)).lower()} in both are "
                        f"{join_names([name_in_text(a.member) for a, _ in everywhere])}"
                        if everywhere
                        else ""
                    ),
                    *[evidence_of(c) for c in cited],
                )
                return
        framed = _period_side(q)
        if framed:  # "which countries that signed the accords in 2021 also joined the ilrs"
            self._overlap_of_period(q, framed, pairs, b)
            return
        cutoff = (
            q.time.as_of
        )  # "by the end of 2023"; "which that joined in 2024 later signed too" is no cutoff
        by = f" by {human_date(cutoff.isoformat())}" if cutoff else ""
        after_cutoff: list[tuple[Member, Member]] = []
        if cutoff:  # "as of end of april 2025 was anyone in both": in both by then
            pairs = [(a, i) for a, i in pairs if min(a.joined, i.joined) <= cutoff.isoformat()]
            after_cutoff = [(a, i) for a, i in confirmed if max(a.joined, i.joined) > cutoff.isoformat()]
            pairs = [p for p in pairs if p not in after_cutoff]
            confirmed = [p for p in confirmed if p not in after_cutoff]
        asks_yes_no = q.wh in ("yes_no", "choice") or q.has("any", "anyone", "anybody")
        if not confirmed:
            ever = sorted(after_cutoff, key=lambda p: max(p[0].joined, p[1].joined))
            if not ever:
                return  # nothing to cite: the passages answer instead
            a, i = ever[0]
            b.add(
                f"{'No, no' if asks_yes_no else 'No'} country was in both coalitions{by}: the first, "
                f"{name_in_text(a.member)}, was in both from {human_date(max(a.joined, i.joined))} (ILRS "
                f"{human_date(i.joined)}; Artemis Accords {human_date(a.joined)})",
                *[evidence_of(c) for c in self.cover([a, i], with_dates=True)],
            )
            return
        rows = [r for pair in confirmed for r in pair]
        cited = self.cover(rows, with_dates=True)
        if (q.superlative or q.ordinal) and confirmed:
            ordered = sorted(confirmed, key=lambda p: max(p[0].sort_key, p[1].sort_key))
            position = q.ordinal or 1
            if position > len(ordered):
                b.add(
                    f"Only {len(ordered)} countries are in both coalitions: "
                    f"{join_names([name_in_text(a.member) for a, _ in ordered])}",
                    *[evidence_of(c) for c in cited],
                )
                return
            first = ordered[position - 1] if q.superlative != "latest" else ordered[-1]
            word = "most recent" if q.superlative == "latest" else ordinal_word(position)
            asked = (q.members + q.countries)[:1]
            prefix = ""
            if asked and q.wh in ("yes_no", "choice"):
                prefix = "Yes. " if asked[0] == first[0].member else "No. "
            later = max(first[0].joined, first[1].joined)
            b.add(
                f"{prefix}{start_name(first[0].member)} was the {word} country in both coalitions: it joined the ILRS "
                f"{date_phrase(first[1].joined)} and signed the Artemis Accords {date_phrase(first[0].joined)}, "
                f"so it was in both from {human_date(later)}",
                *[evidence_of(c) for c in cited[:2]],
            )
            return
        parts = [
            f"{name_in_text(a.member)} (ILRS {human_date(i.joined)}; Artemis Accords {human_date(a.joined)})"
            for a, i in confirmed
        ]
        be = (
            ("were" if len(confirmed) != 1 else "was") if cutoff else ("are" if len(confirmed) != 1 else "is")
        )
        yes = "Yes. " if asks_yes_no and not (q.members or q.countries) else ""
        b.add(
            f"{yes}{count_words(len(confirmed))} {region_words(self.world, q)}"
            f"{'countries' if len(confirmed) != 1 else 'country'} {be} in both coalitions{by}: {join_names(parts)}",
            *[evidence_of(c) for c in cited],
        )
        for artemis, ilrs in pairs:
            if (artemis, ilrs) in confirmed:
                continue
            uncertain = ilrs if ilrs.status != "member" else artemis
            note = self.status_note(uncertain) or self.row_fact(uncertain)
            other = artemis if uncertain is ilrs else ilrs
            b.add(
                f"{start_name(uncertain.member)} {verb(other.coalition)} {date_phrase(other.joined)}, but its "
                f"{'ILRS membership' if uncertain.coalition == 'ilrs' else 'Artemis Accords signing'} is {uncertain.status}",
                *([note.evidence] if note else []),
            )

    def _overlap_of_period(
        self, q: Query, framed: str, pairs: list[tuple[Member, Member]], b: AnswerBuilder
    ) -> None:
        """The members that joined one coalition in the period asked that are also in the other ('which 2023
        artemis signatories are also ilrs members'): those of that period, not everyone in both."""
        joined = self.rows(framed, dataclasses.replace(q, coalitions=[framed]))
        if not joined:
            return  # nobody joined then: the list route's own answer says so
        names = {r.member for r in joined}
        other = "ilrs" if framed == "artemis_accords" else "artemis_accords"
        both = [
            (a, i)
            for a, i in pairs
            if a.status == i.status == "member" and (a if framed == "artemis_accords" else i).member in names
        ]
        kind = "countries" if all(r.member_type == "country" for r in joined) else "members"
        of = (
            f"the {count_words(len(joined)).lower()} {kind} that {verb(framed)}{period_phrase(q.time)}"
            if len(joined) > 1
            else f"{name_in_text(joined[0].member)}, the one that {verb(framed)}{period_phrase(q.time)},"
        )
        also = "in the ILRS" if other == "ilrs" else "signatories of the Artemis Accords"
        yes_no = q.wh in ("yes_no", "choice") or q.has("any", "anyone", "anybody")
        if not both:
            b.add(
                (
                    f"{'No, none' if yes_no else 'None'} of {of} are also {also}: "
                    f"{join_names([name_in_text(r.member) for r in joined])}"
                    if len(joined) > 1
                    else f"{'No. ' if yes_no else ''}{start_name(joined[0].member)}, the one that {verb(framed)}"
                    f"{period_phrase(q.time)}, is not also {also}"
                ),
                *[evidence_of(c) for c in self.cover(joined, with_dates=True)],
            )
            return
        parts = [
            f"{name_in_text(a.member)} (ILRS {human_date(i.joined)}; Artemis Accords {human_date(a.joined)})"
            for a, i in both
        ]
        rows = [r for pair in both for r in pair]
        b.add(
            f"{'Yes. ' if yes_no else ''}{count_words(len(both))} of {of} {'is' if len(both) == 1 else 'are'} "
            f"also {also}: {join_names(parts)}",
            *[evidence_of(c) for c in self.cover(rows, with_dates=True)],
        )

    def _count(self, q: Query, b: AnswerBuilder) -> None:
        coalitions = q.coalitions or ["artemis_accords", "ilrs"]
        if (
            len(coalitions) == 2
            and q.has("than", "gap", "difference")
            and q.has("more", "fewer", "less", "gap", "difference", "bigger", "larger", "smaller")
        ):  # "how many more countries did artemis have than the ilrs": the difference first, then both counts
            frame = q.time
            if frame.start and frame.end:
                frame = dataclasses.replace(
                    frame, start=None, end=None, as_of=min(frame.end, q.today or frame.end)
                )
            counted = dataclasses.replace(q, time=frame)
            member_type = q.member_type or "country"
            n = {
                c: len([r for r in self.rows(c, counted) if r.member_type == member_type]) for c in coalitions
            }
            big, small = sorted(coalitions, key=lambda c: -n[c])
            noun = "countries" if member_type == "country" else "members"
            b.add_plain(
                f"The {SHORT_NAMES[big]} had {n[big] - n[small]} more {noun} than the {SHORT_NAMES[small]}"
                + (f" by {frame_phrase(frame.as_of)}" if frame.as_of else "")
                + f": {n[big]} against {n[small]}."
            )
            for coalition in coalitions:
                self._count_one(coalition, counted, b)
            return
        frame = q.time
        if (
            frame.start
            and frame.end
            and q.has(
                "have",
                "had",
                "has",
                "there",
                "total",
                "tally",
                "stand",
                "stood",
                "count",
                "counted",
                "were",
                "was",
                "are",
                "is",
            )
            and not q.has(*_EVENT_VERBS)
        ):  # "how many signatories did the accords have in september 2022": how many it had then
            end = min(frame.end, q.today or frame.end)
            q = dataclasses.replace(q, time=dataclasses.replace(frame, start=None, end=None, as_of=end))
        for coalition in coalitions[:2]:
            self._count_one(coalition, q, b)

    def _count_one(self, coalition: str, q: Query, b: AnswerBuilder) -> None:
        """How many members, now, by a date, in a period, of a type or a region. A figure an article states is
        quoted with it; a figure the registry counts lists the members it counts, each cited."""
        rows = self.rows(coalition, q)
        member_type = q.member_type or "country"  # "how many members": countries, as the news counts them
        rows = [r for r in rows if r.member_type == member_type]
        n = len(rows)
        frame = q.time
        noun = {
            "country": "countries",
            "organisation": "organisations",
            "territory": "territories",
            "": "members",
        }[member_type]
        name = SHORT_NAMES[coalition]
        region = region_words(self.world, q)
        if q.regions and not frame.start:
            stated_region = self.region_statement(coalition, q)
            if stated_region is not None:
                b.add(stated_region.sentence, stated_region.evidence)
                return
        if n == 0:
            self._empty(coalition, q, b)
            return
        apart = left_out(q)
        facts = self.registry.coalitions.get(coalition)
        # "how many joined the ilrs besides china and russia": where the articles' tallies are the count (the
        # registry's list is not complete), they give it with the founders left out too
        left = q.excluded and not (
            facts and not facts.complete_list and set(q.excluded) == set(facts.founders)
        )
        if frame.start or q.regions or q.excluded_regions or left or member_type == "organisation":
            # a period, a region, members left out or organisations: the registry's count, with the members it
            # counts
            with_dates = n <= LIST_WITH_DATES
            cited = self.cover(rows, with_dates=with_dates)
            stated = self.statements(coalition, n, year=frame.during_year) if frame.during_year else []
            shown = (
                list_with_dates(rows) if with_dates else join_names([name_in_text(r.member) for r in rows])
            )
            when = (
                period_phrase(frame) if frame.start else (f" by {human(frame.as_of)}" if frame.as_of else "")
            )
            if coalition == "artemis_accords":
                lead = (
                    f"{n} {region}{noun if n != 1 else singular(noun)} {'had ' if frame.as_of else ''}"
                    f"signed the Artemis Accords{when}{apart}: {shown}"
                )
            else:
                lead = (
                    f"{n} {region}{noun if n != 1 else singular(noun)} {'had ' if frame.as_of else ''}"
                    f"joined the ILRS{when}{apart}: {shown}"
                )
            b.add(lead, *([stated[0].evidence] if stated else []), *[evidence_of(c) for c in cited])
            return
        as_of = frame.as_of
        last = rows[-1]
        if not as_of and coalition == "artemis_accords" and member_type == "country":
            newer = self.newer_count(coalition, n, last)
            if newer is not None:  # the articles know of later signings than the registry: quote them
                b.add(newer.sentence, newer.evidence)
                return
        stated = [
            f
            for f in self.statements(coalition, n, before=as_of)
            if (sentence_date(f.sentence) or f.chunk.published) >= last.joined[:10]
        ]
        member_word = "signatory countries" if coalition == "artemis_accords" else "member countries"
        if stated:
            found = stated[0]
            when = human_date(sentence_date(found.sentence) or found.chunk.published)
            if as_of:
                b.add(f"The {name} had {n} {member_word} by {frame_phrase(as_of)}", found.evidence)
            else:
                b.add(f"The {name} had {n} {member_word} as of {when}", found.evidence)
        elif coalition == "ilrs" and not as_of:
            self._ilrs_now(q, b, rows)
            return
        else:
            fact = self.row_fact(last)
            when = f"by {frame_phrase(as_of)}" if as_of else f"as of {human_date(last.joined)}"
            position = f", the {ordinal(n)}," if coalition == "artemis_accords" else ""
            b.add(
                f"The {name} had {n} {member_word} {when}: the latest was {name_in_text(last.member)}{position} "
                f"{date_phrase(last.joined)}",
                *([fact.evidence] if fact else []),
            )
        if as_of:
            # "by 28 May 2024" when Serbia is known only as May 2024: not counted, but it may have been in already
            maybe = [r for r in self.maybe_in_by(coalition, q, as_of) if r.member_type == member_type]
            if maybe:
                said, evidence = self.day_not_known(coalition, maybe)
                b.add(
                    f"{said}: {n + len(maybe)} if {'it was' if len(maybe) == 1 else 'they were'} in by then",
                    *evidence,
                )
        if not as_of:
            for other in self.rows(coalition, statuses=("announced",)):
                note = self.status_note(other) or self.row_fact(other)
                b.add(
                    f"{start_name(other.member)}'s accession was announced {date_phrase(other.joined)} "
                    "but is not counted yet",
                    *([note.evidence] if note else []),
                )

    def newer_count(self, coalition: str, n: int, last: Member) -> Found | None:
        """A stated count, dated after the registry's latest member, that is higher than the registry's."""
        for found in self.statements(coalition, None)[:5]:
            stated = sentence_date(found.sentence) or found.chunk.published
            numbers = [
                int(x)
                for x in re.findall(
                    r"\b(\d{1,3}) (?:signatory )?(?:countries|signatories|nations)\b", found.sentence
                )
            ]
            if stated > last.joined and numbers and max(numbers) > n:
                return found
        return None

    def region_statement(self, coalition: str, q: Query) -> Found | None:
        """A sentence giving a coalition's count for the asked region ('26 in Europe', '4 African countries'), true
        by the asked date, newest first."""
        label = self.world.regions[q.regions[0]].label.removeprefix("the ")
        adjective = region_words(self.world, q).strip()
        stem_words = {label.lower()[:-1] if label.lower()[-1] in "ae" else label.lower(), adjective.lower()}
        words = (
            ("Artemis Accords", "Accords")
            if coalition == "artemis_accords"
            else ("ILRS", "Lunar Research Station")
        )
        hits = self.catalog.keyword_search(f"{label} {adjective} {words[0]} countries signatories", limit=30)
        best: tuple[str, Found] | None = None
        for chunk in self.catalog.get_chunks([cid for cid, _ in hits]).values():
            for sentence in split_sentences(chunk.text):
                low = sentence.lower()
                if not any(w in sentence for w in words):
                    continue
                if not any(
                    re.search(rf"\b\d{{1,2}} (?:in |from )?(?:\w+ )?{re.escape(stem)}", low)
                    for stem in stem_words
                ):
                    continue
                stated = sentence_date(sentence) or chunk.published
                if q.time.as_of and stated > q.time.as_of.isoformat():
                    continue
                if best is None or stated > best[0]:
                    best = (stated, Found(sentence, chunk))
        return best[1] if best else None

    def _ilrs_now(self, q: Query, b: AnswerBuilder, rows: list[Member]) -> None:
        """ILRS counts differ by source: the newest statement, and another source's figure of about the same time."""
        stated = self.statements("ilrs", None)
        if not stated:
            return
        first = stated[0]
        b.add(first.sentence, first.evidence)
        when = sentence_date(first.sentence) or first.chunk.published
        numbers = set(re.findall(r"\b\d{1,2}\b", first.sentence))
        for other in stated[1:20]:
            other_when = sentence_date(other.sentence) or other.chunk.published
            other_numbers = set(re.findall(r"\b\d{1,2}\b", other.sentence))
            close = abs((dt.date.fromisoformat(other_when) - dt.date.fromisoformat(when)).days) <= 31
            if (
                close
                and other_numbers
                and not other_numbers & numbers
                and not near_duplicate(other.sentence, first.sentence)
            ):
                b.add(other.sentence, other.evidence)
                break

    def _list(self, q: Query, b: AnswerBuilder) -> None:
        coalitions = q.coalitions or guess_coalitions(q)
        if (
            len(coalitions) == 1
            and len(q.regions) == 1
            and not q.anchors
            and _NOT_JOINED.search(q.text.lower())
        ):
            self._outside(coalitions[0], q, b)  # "which eu countries haven't signed the artemis accords"
            return
        if q.negated and len(coalitions) >= 2:
            outside = _negated_coalition(q) or coalitions[1]
            inside = next(c for c in coalitions if c != outside)
            self._difference(inside, outside, q, b)
            return
        q = held_then(q)
        for coalition in coalitions[:2]:
            rows, straddling = self._list_rows(coalition, q)
            if not rows:
                self._empty(coalition, q, b)
                self._maybe_then(coalition, straddling, b)
                continue
            with_dates = len(rows) <= LIST_WITH_DATES
            cited = self.cover(rows, with_dates=with_dates)
            shown = (
                list_with_dates(rows) if with_dates else join_names([name_in_text(r.member) for r in rows])
            )
            kind = (
                "countries"
                if all(r.member_type == "country" for r in rows)
                else "organisations"
                if all(r.member_type == "organisation" for r in rows)
                else "members"  # "countries and orgs": Nicaragua, APSCO and the Arab Union
            )
            count = len(rows)
            period = period_phrase(q.time, q.anchor_text if q.anchor_text.startswith("between") else "")
            if q.anchor_text.startswith("after") and q.time.as_of and not q.time.end:
                # "after egypt but before the duma ratified it": both ends, as asked
                period = f" {q.anchor_text} and by {frame_phrase(q.time.as_of)}"
            region = region_words(self.world, q)
            body = q.signed_with
            through = f" by signing with the {body}" if body else ""  # "mous with dsel"
            apart = left_out(q)  # "apart from the eight founders": who the list leaves out
            lead = f"{count_words(count)} {region}{kind if count != 1 else singular(kind)} {verb(coalition)}{through}{period}{apart}: {shown}"
            if with_dates and q.anchor_text.startswith(("on the same ", "in the same ")):
                # "who signed with rwanda": "Nigeria signed the Artemis Accords on the same day as Rwanda, 13 December
                # 2022", the shared date once
                alike = len({r.joined for r in rows}) == 1  # all on one day (or month): the date said once
                names = join_names([name_in_text(r.member) for r in rows]) if alike else shown
                when = period_phrase(q.time).split(" ", 2)[-1]
                lead = f"{names} {verb(coalition)} {q.anchor_text}, {when}"
                lead = lead[0].upper() + lead[1:]
            if q.wh == "yes_no" and coalition == coalitions[0]:  # "did any other country sign that day?"
                lead = (
                    "Yes. "
                    if count >= (2 if q.has("other", "else", "another") and not q.excluded else 1)
                    else "No. "
                ) + lead
            b.add(lead.replace("  ", " "), *[evidence_of(c) for c in cited])
            others = [
                m
                for m in self.rows(coalition, q, statuses=("announced", "unconfirmed"))
                if m.member_type == (q.member_type or "country")
            ]
            for other in others[:2]:
                note = self.status_note(other) or self.row_fact(other)
                b.add(
                    f"Not counted: {name_in_text(other.member)} ({other.status})",
                    *([note.evidence] if note else []),
                )
            self._maybe_then(coalition, straddling, b)
            as_of = q.time.as_of
            if as_of:  # "before the duma ratified it on 28 May 2024" when Serbia is known only as May 2024
                maybe = [r for r in self.maybe_in_by(coalition, q, as_of) if r not in rows]
                if maybe:
                    said, evidence = self.day_not_known(coalition, maybe)
                    b.add(
                        f"{said}: {'it' if len(maybe) == 1 else 'they'} may have been in by then too",
                        *evidence,
                    )

    def _difference(self, inside: str, outside: str, q: Query, b: AnswerBuilder) -> None:
        out_names = {r.member for r in self.rows(outside)}
        rows = [r for r in self.rows(inside, q) if r.member not in out_names and r.member_type == "country"]
        cited = self.cover(rows, with_dates=False)
        region = region_words(self.world, q)
        b.add(
            f"{len(rows)} {region}countries in the {SHORT_NAMES[inside]} are not in the {SHORT_NAMES[outside]}: "
            f"{join_names([name_in_text(r.member) for r in rows])}",
            *[evidence_of(c) for c in cited],
        )

    def _after_coverage(self, q: Query, b: AnswerBuilder) -> bool:
        """A period after the newest article: the registry cannot say who joined then."""
        coalition = (q.coalitions or guess_coalitions(q) or ["artemis_accords"])[0]
        cover = self.coverage(coalition)
        newest = human_date(cover.chunk.published) if cover else human_date(self.catalog.newest_published())
        b.add(
            f"The newest indexed articles are from {newest}: they cannot say who {verb(coalition)}"
            f"{period_phrase(q.time)}",
            *([cover.evidence] if cover else []),
        )
        return True

    def _empty(self, coalition: str, q: Query, b: AnswerBuilder) -> None:
        cover = self.coverage(coalition)
        region = region_words(self.world, q)
        kind = "organisation" if q.member_type == "organisation" else "country"
        newest = f" (the newest articles are from {human_date(cover.chunk.published)})" if cover else ""
        period = period_phrase(q.time)
        if q.anchor_text.startswith(("on the same ", "in the same ")):  # "who else signed with pakistan"
            region, period = f"other {region}", f" {q.anchor_text} ({period.split(' ', 2)[-1]})"
        b.add(
            f"No. According to the registry, no {region}{kind} {verb(coalition)}{period}{newest}"
            if q.wh == "yes_no"
            else f"No {region}{kind} {verb(coalition)}{period}, according to the registry{newest}",
            *([cover.evidence] if cover else []),
        )

    def _unknown(self, q: Query, b: AnswerBuilder) -> bool:
        from rapidfuzz import fuzz, process

        name = (q.unknown_names or q.unknown_terms)[0]
        choices = self.registry.names()
        near = process.extractOne(
            name.lower(), [c.lower() for c in choices], scorer=fuzz.ratio, score_cutoff=75
        )
        hint = f" Did you mean {choices[near[2]]}?" if near else ""
        b.add_plain(
            f"{name[:1].upper() + name[1:]} is not in the members registry, and the indexed articles do not "
            f"mention it.{hint}"
        )
        for coalition in q.coalitions or ["artemis_accords", "ilrs"]:
            cover = self.coverage(coalition)
            if cover:
                b.cite(cover.evidence)  # the closest sources: the coalitions' newest member lists
        return True

    def _future(self, q: Query, b: AnswerBuilder) -> bool:
        b.add_plain("The articles cannot say what will happen.")
        if not (q.members or q.countries):
            for coalition in q.coalitions or guess_coalitions(q):
                cover = self.coverage(coalition)
                if cover:
                    b.cite(cover.evidence)  # the closest source: the newest count or list
        for name in (q.members + q.countries)[:2]:
            rows = [r for r in self.registry.rows if r.member == name]
            for coalition in q.coalitions or [r.coalition for r in rows]:
                row = next((r for r in rows if r.coalition == coalition), None)
                if row is None:
                    self._not_member(self.label(name), coalition, b, yes_no=False)
                else:
                    self._row_sentence(row, b, yes_no=False, q=q, brief=True)
        return True


# -- small helpers ------------------------------------------------------------------------------
def mentions(text: str, member: str) -> bool:
    """Whether a text names a member (its name, its name without the bracket, or its acronym)."""
    base = re.sub(r"\s*\(.*?\)", "", member).split(",")[0].strip()
    acronyms = [a for a in re.findall(r"\(([^)]+)\)", member) if a.split()[0].isupper()]
    variants = {member, base, *acronyms, *ALIASES_IN_TEXT.get(member, ())}
    return any(re.search(rf"(?<![\w]){re.escape(v)}(?![\w])", text) for v in variants if v)


ALIASES_IN_TEXT = {
    "United States": ("U.S.", "US"),
    "United Kingdom": ("UK",),
    "United Arab Emirates": ("UAE",),
    "South Korea": ("Republic of Korea",),
    "Czech Republic": ("Czechia",),
}


def _negated_coalition(q: Query) -> str | None:
    """The coalition named after a negation ('signed the accords but are not in the ilrs' -> the ILRS)."""
    negated = False
    for token in q.tokens:
        if token.text in ("not", "never", "no", "without", "nor") and not token.entity:
            negated = True
        elif negated and token.entity and token.entity[0] == "coalition":
            return token.entity[1]
    return None


def _later_asked(q: Query) -> bool:
    """'Who signed later', 'which of them was last', 'who was second': the later of two is asked for."""
    return q.has("later", "last", "latest", "second", "after") and not q.has(
        "first", "earlier", "before", "sooner"
    )


def _gap_asked(q: Query) -> bool:
    """'How long after', 'how many days between', 'how far apart': the time between two dates is asked."""
    return q.has("long", "gap", "apart", "later", "earlier", "between") or (
        q.wh == "how_many" and q.has("days", "weeks", "months", "years")
    )


def gap_phrase(a: dt.date, b: dt.date) -> str:
    """'352 days (about 12 months)'."""
    days = abs((b - a).days)
    months = round(days / 30.44)
    return f"{days} day{'s' if days != 1 else ''}" + (f" (about {months} months)" if months >= 2 else "")


def ordinal_word(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, ordinal(n))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def date_phrase(joined: str, exact_asked: bool = False) -> str:
    """'on 6 December 2023', 'in October 2023', 'in 2021' (and, when the day was asked for, that it is not known)."""
    if len(joined) == 10:
        return f"on {human_date(joined)}"
    return f"in {human_date(joined)}" + (" (the exact day is not known)" if exact_asked else "")


NUMBER_NAMES = {
    1: "One",
    2: "Two",
    3: "Three",
    4: "Four",
    5: "Five",
    6: "Six",
    7: "Seven",
    8: "Eight",
    9: "Nine",
    10: "Ten",
}


def _period_side(q: Query) -> str | None:
    """The coalition whose joining a period frames in an overlap question ('which countries that signed the
    accords in 2021 also joined the ilrs', 'which 2023 artemis signatories are also in the ilrs'): the one named
    before 'also'; the other is what they are checked against. None when the question is not so framed."""
    if len(q.coalitions) != 2 or not (q.time.start and q.time.end) or q.time.as_of:
        return None
    words = [t for t in q.tokens if t.kind != "punct"]
    also = next((i for i, t in enumerate(words) if t.text == "also"), None)
    if also is None:
        return None
    before = [t.entity[1] for t in words[:also] if t.entity and t.entity[0] == "coalition"]
    return before[0] if before else None


def count_words(n: int) -> str:
    """A number that starts a sentence: 'Two', '12'."""
    return NUMBER_NAMES.get(n, str(n))


def _order_known(a: Member, b: Member, numbered: bool = True) -> bool:
    """Whether the registry can tell which of two rows came first: their dates do not overlap ('2023-10' and
    '2023-10-03' do), or, in one coalition, both carry a place in the order (`numbered`)."""
    if a.joined == b.joined and len(a.joined) == 10:
        return True  # the same day ("2025-04" and "2025-04" is the same month, the days unknown)
    if date_end(a.joined) < date_start(b.joined) or date_end(b.joined) < date_start(a.joined):
        return True
    return numbered and a.order is not None and b.order is not None


def _before(a: Member, b: Member) -> int:
    """Sorting two rows of one coalition: by date where the dates tell, else by their place in the order."""
    overlap = not (date_end(a.joined) < date_start(b.joined) or date_end(b.joined) < date_start(a.joined))
    if overlap and a.joined != b.joined and a.order is not None and b.order is not None:
        return -1 if a.order < b.order else 1
    return -1 if a.sort_key < b.sort_key else (1 if a.sort_key > b.sort_key else 0)


def sentence_date(sentence: str) -> str:
    """The newest date a sentence states ('6 December 2023', or 'October 2023' as its first day), as ISO ('' if
    none)."""
    found = [iso_date(d) for d in DATE.findall(sentence)]
    found = [d for d in found if d]
    return max(found) if found else ""


def pick(rows: list[Member], q: Query) -> list[Member]:
    """The first rows a 'first'/'latest' question asks for: a stated number, the earliest date's group, or for a
    plural question at least two."""
    if q.limit:
        taken = rows[: q.limit]
        if taken and len(taken[-1].joined) == 10:
            # "who signed immediately before the czech republic": Rwanda and Nigeria, on the same day; "the first
            # five signatories": all eight founders, who signed on one day
            taken += [r for r in rows[q.limit :] if r.joined == taken[-1].joined]
        return taken
    group = [r for r in rows if r.joined == rows[0].joined]
    if q.plural and len(group) < 2:
        extra = rows[len(group) :]
        if extra:
            nxt = [r for r in extra if r.joined == extra[0].joined]
            group += nxt
    return group


def same_date_phrase(rows: list[Member]) -> str:
    if len({r.joined for r in rows}) == 1:
        prefix = ", all " if len(rows) > 2 else ", both " if len(rows) == 2 else ", "
        return f"{prefix}{date_phrase(rows[0].joined)}"
    return " (" + "; ".join(f"{name_in_text(r.member)} {date_phrase(r.joined)}" for r in rows) + ")"


def list_with_dates(rows: list[Member]) -> str:
    """'Ecuador (21 June 2023) and Argentina (27 July 2023)', grouping members of one date."""
    groups: list[list[Member]] = []
    for row in rows:
        if groups and groups[-1][0].joined == row.joined:
            groups[-1].append(row)
        else:
            groups.append([row])
    parts = []
    for group in groups:
        names = join_names([name_in_text(r.member) for r in group])
        parts.append(
            f"{names} ({'all ' if len(group) > 2 else 'both ' if len(group) == 2 else ''}"
            f"{human_date(group[0].joined)})"
        )
    return join_names(parts)


def period_phrase(frame: Iterable[object] | object, anchor: str = "") -> str:
    from retrieval.reading.dates import TimeFrame

    assert isinstance(frame, TimeFrame)
    if anchor:
        return f" {anchor}"
    year = frame.during_year
    if year:
        return f" in {year}"
    if frame.start and frame.end:
        if frame.start == frame.end:
            return f" on {human(frame.start)}"
        if frame.during_month:
            return f" in {calendar.month_name[frame.start.month]} {frame.start.year}"  # one whole month
        if frame.start.month == 1 and frame.start.day == 1 and frame.end.month == 12 and frame.end.day == 31:
            return f" between {frame.start.year} and {frame.end.year}"
        return f" between {human(frame.start)} and {human(frame.end)}"
    if frame.start:
        return f" since {human(frame.start)}"
    if frame.as_of:
        return f" by {human(frame.as_of)}"
    return ""


def regions_either(q: Query) -> bool:
    """'Which caribbean or central american countries': members of either region, not of both."""
    return len(q.regions) > 1 and re.search(r"\b(?:or|and)\b", q.text.lower()) is not None


def region_words(world: Places, q: Query) -> str:
    if not q.regions and q.excluded_regions:
        return f"{', '.join('non-' + _region_adjective(world, r) for r in q.excluded_regions[:3])} "
    if not q.regions:
        return ""
    if regions_either(q):
        return f"{' or '.join(_region_adjective(world, r) for r in q.regions)} "
    return f"{_region_adjective(world, q.regions[0])} "


def _region_adjective(world: Places, region: str) -> str:
    label = world.regions[region].label
    return {
        "Africa": "African",
        "Europe": "European",
        "Asia": "Asian",
        "Latin America": "Latin American",
        "South America": "South American",
        "North America": "North American",
        "Oceania": "Oceanian",
        "Southeast Asia": "Southeast Asian",
        "the Middle East": "Middle Eastern",
        "East Asia": "East Asian",
        "South Asia": "South Asian",
        "Central Asia": "Central Asian",
        "the Caribbean": "Caribbean",
        "Central America": "Central American",
        "the European Union": "EU",
        "the Nordic countries": "Nordic",
        "Eastern Europe": "Eastern European",
        "Central Europe": "Central European",
        "Central and Eastern Europe": "Central and Eastern European",
        "Western Europe": "Western European",
        "Northern Europe": "Northern European",
        "Southern Europe": "Southern European",
        "North Africa": "North African",
        "West Africa": "West African",
        "East Africa": "East African",
        "Southern Africa": "Southern African",
        "Central Africa": "Central African",
        "Sub-Saharan Africa": "Sub-Saharan African",
        "Western Asia": "Western Asian",
        "the G7": "G7",
        "the Baltic states": "Baltic",
        "the Gulf states": "Gulf",
        "the Arab world": "Arab",
        "the G20": "G20",
        "the OECD": "OECD",
        "the Americas": "American",
    }.get(label, label)


def frame_phrase(day: dt.date) -> str:
    """An as-of date as the question put it: 'the end of 2022', 'the end of October 2023', '1 June 2022'."""
    if day.month == 12 and day.day == 31:
        return f"the end of {day.year}"
    if (day + dt.timedelta(days=1)).day == 1:
        return f"the end of {human(day).split(' ', 1)[1]}"
    return human(day)


def began_sentence(fact: CoalitionFacts) -> str:
    """'The ILRS began on 9 March 2021, when …'."""
    name = "The Artemis Accords were launched" if fact.coalition == "artemis_accords" else "The ILRS began"
    return f"{name} on {fact.began_human}, {fact.began_how}"


def singular(noun: str) -> str:
    return noun[:-3] + "y" if noun.endswith("ies") else noun[:-1] if noun.endswith("s") else noun


def region_suffix(world: Places, q: Query) -> str:
    if not q.regions:
        return ""
    return f" from {world.regions[q.regions[0]].label}"


# Both kinds of member asked for: "countries AND orgs", "countries + organisations"
_BOTH_TYPES = re.compile(
    r"\b(?:countries|nations|govts|governments)\s*(?:and|\+|&|plus|or)\s*(?:orgs|organi[sz]ations|institutions|"
    r"bodies)\b|\b(?:orgs|organi[sz]ations)\s*(?:and|\+|&|plus|or)\s*(?:countries|nations)\b"
)

# Asking who had the idea rather than who signed: "whose idea", "who proposed it", "in the first place"
_ORIGIN = re.compile(
    r"\b(?:idea|initiat\w*|propos\w*|came up with|come up with|conceiv\w*|dreamt|dreamed|in the first place|"
    r"originated|origins?)\b"
)

# "whose joining date is known", "with a known date", "where we know the exact day": members dated to the day
_DAY_KNOWN = re.compile(
    r"\b(?:date|day)s? (?:is |was |are |were )?(?:actually |exactly |really )?known\b|"
    r"\bknown (?:exact |joining |signing )?(?:date|day)\b|\b(?:we |they )?(?:actually |really )?know the "
    r"(?:exact |actual |specific )?(?:date|day)\b"
)


def _stated_count(q: Query) -> int | None:
    """A number of members the question states ("which 3 countries", "all ten institutions"), not a year."""
    for word in q.words:
        n = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        if n is not None and 2 <= n <= 99:
            return n
    return None


def _straddles(row: Member, frame: TimeFrame) -> bool:
    """Whether a row's date, known only to the month or year, runs past the period's start or end: it may or may
    not fall inside."""
    return bool(
        (frame.start and date_start(row.joined) < frame.start <= date_end(row.joined))
        or (frame.end and date_start(row.joined) <= frame.end < date_end(row.joined))
    )


def left_out(q: Query) -> str:
    """' apart from the founders', as the frame of an anchored question says who it leaves out, or ''."""
    at = q.anchor_text.find("apart from ")
    return f" {q.anchor_text[at:]}" if at >= 0 else ""


def guess_coalitions(q: Query) -> list[str]:
    """A membership question that names no coalition: 'signed'/'signatory' mean the Accords, 'joined' both."""
    if q.has("signatory", "signatories", "signed", "sign", "signing", "signer", "signers"):
        return ["artemis_accords"]
    return ["artemis_accords", "ilrs"]
