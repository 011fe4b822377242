"""Follow-ups read as the standalone questions they mean.

"and when did they sign the artemis accords?" after "when did thailand join the ilrs" is read as
"when did Thailand sign the artemis accords?"; "what about senegal?" as "when did Senegal join the
ilrs"; "where is it based?" after "what is DSEL?" as "where is DSEL based?". The rewritten text goes
through the same reader as any question, so a follow-up is answered exactly like the question it
stands for, and the bot can remember it as the context of the next one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from retrieval.answer_types import REFUSAL
from retrieval.members_registry import verb
from retrieval.reading.dates import human
from retrieval.reading.lexicon import FUNCTION_WORDS, is_english
from retrieval.reading.markup import strip_markup
from retrieval.reading.query import (
    _AUX,
    _TAG_QUESTION,
    EVENT_WORDS,
    NUMBER_WORDS,
    Query,
    QuestionReader,
    Token,
    organisation_homes,
    person_claim,
)
from retrieval.reading.query import ORDINAL_WORDS as ORDINAL_NAMES
from retrieval.sentences import MONTHS

_PERSONAL = {
    "they": "{}",
    "them": "{}",
    "it": "{}",
    "he": "{}",
    "she": "{}",
    "him": "{}",
    "her": "{}'s",
    "their": "{}'s",
    "its": "{}'s",
    "theirs": "{}'s",
}
_DEMONSTRATIVE = frozenset({"this", "that", "these", "those"})
_LEAD = re.compile(
    r"^\s*(?:and|also|then|so|ok|okay|same for|same question for|what about|how about|and what about|"
    r"and how about|what of)\b[\s,]*",
    re.IGNORECASE,
)
# "now do the same for the ILRS", "same thing but for Senegal", "repeat that for 2023": the previous question again
_SAME_FOR = re.compile(
    r"^\s*(?:(?:and|ok|okay|now|so|then)\s+)*(?:(?:can you |could you |pls |please )?(?:do|repeat|ask|answer)"
    r"(?: (?:the same|that|this|it))?(?: (?:question|thing|one))?(?: again)?|(?:the )?same(?: (?:question|"
    r"thing|one))?|ditto)(?: but)? (?:for|with|about|on)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_NAMES = {"ilrs": "the ILRS", "artemis_accords": "the Artemis Accords"}


_DUMMY_IT = frozenset(
    "cost costs take takes mean means matter matters seem seems say says possible true worth "
    "rain look looks".split()
)


# "who was next", "and who came before?", "who signed after that": the neighbour of the member named before
_WHO_NEXT = re.compile(
    r"^(?:and |ok |so )?(?:who|which (?:one|country))(?: \w+)? (?:next|(?:after|before)(?: that| them| it| him| her)?)\W*$",
    re.I,
)


# What a bare follow-up says besides its question word: the signing it points back to
_BARE_REST = frozenset("that it this happen happened take took place".split())

_SIGNS_IT = frozenset("sign signs signed signing ratify ratified ratifying join joined joining".split())


def _refers(tokens: list[Token], i: int) -> bool:
    """Whether token i stands for something said before ('they', 'it', 'that' on its own) — not the 'it' of
    'how much does it cost' or 'is it true'."""
    word = tokens[i].text
    following = tokens[i + 1].text if i + 1 < len(tokens) else ""
    if word == "it" and following in _DUMMY_IT:
        return False
    if word in _PERSONAL:
        return True
    if word in _DEMONSTRATIVE:
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        return (
            after is None
            or after.kind in ("function", "punct")
            or bool(re.fullmatch(r"\w+(?:ed|en)|happen|make|made|take|took|mean|meant|come|came", after.text))
        )
    return False


def pronoun_first(query: Query) -> bool:
    """A pronoun stands where the question's subject should be, with nobody named before it."""
    tokens = query.tokens
    for i, token in enumerate(tokens):
        if token.kind in ("name", "content", "number"):
            return False
        if _refers(tokens, i):
            return True
    return False


def _own_name(query: Query) -> bool:
    """Who leads a body the articles name by a word that is no English word ('who's in charge of roscosmos now'),
    with nothing pointing back: a question of its own (but 'what did roscosmos say a few days later' goes on)."""
    return (
        query.leading
        and any(t.kind == "content" and not t.entity and not is_english(t.text) for t in query.tokens)
        and not any(_refers(query.tokens, i) for i in range(len(query.tokens)))
    )


def needs_context(query: Query) -> bool:
    """A question that cannot be answered on its own: a bare 'what about X', a pronoun subject, no subject at all."""
    subjects = query.members or query.countries or query.coalitions or query.regions or _own_name(query)
    if pronoun_first(query):
        return True
    return query.follow_on and (not subjects or query.wh == "other" or _bare_entity(query))


def _bare_entity(query: Query) -> bool:
    """'what about senegal?', 'and the accords?': a name and nothing to ask about it."""
    meaningful = [t for t in query.tokens if t.kind in ("content", "number", "unknown")]
    return not meaningful and (
        query.wh in ("other", "what", "how") or (query.follow_on and query.wh == "yes_no")
    )


_RELATIVE = re.compile(
    r"\b(?:at|by|around|on|as of) (?:that|this|the same) (?:point|time|moment|stage|date)\b|\bby then\b|"
    r"\bthe (?:day|week|month|year) (?:before|after)\b|\b(?:that|the same|that same) (?:day|week|month|year)\b"
)


_AT_THAT_POINT = re.compile(
    r"\b(?:(?:at|by|around|on|as of) (?:that|this|the same) (?:point|time|moment|stage|date)|by then)\b"
)
_SAME_SPAN = re.compile(r"\b(?:in |on |during )?(?:that|the same|that same) (?:day|week|month|year)\b", re.I)


def _point_in_time(query: Query) -> dt.date | None:
    """The one day a question named ("on 28 May 2024", "as of 6 December 2023"), if it named one."""
    start, end = query.time.start, query.time.end
    return start if start and start == end else query.time.as_of if not start else None


def _said_time(query: Query, unit: str = "") -> str | None:
    """The span of time a question or statement named, said again: 'in October 2023', 'on 5 April 2024'; with a
    unit ('that year' after 'in april 2024'), the span of that unit around it: 'in 2024'."""
    start, end = query.time.start, query.time.end
    if not (start and end):
        return None
    if unit == "year" and not query.time.during_year:
        return f"in {start.year}" if start.year == end.year else None
    if unit == "month" and start != end and not query.time.during_month:
        return f"in {start:%B %Y}" if (start.year, start.month) == (end.year, end.month) else None
    if start == end:
        return f"on {human(start)}"
    if query.time.during_month:
        return f"in {start:%B %Y}"
    if query.time.during_year:
        return f"in {start.year}"
    return None


# Words that point back at what was said before, where a pronoun test misses them ("which of those two …").
_POINTS_BACK = re.compile(
    r"\b(?:those|these) (?:two|three|four|five|ones|countries|nations|members|signatories|states)\b|"
    r"\b(?:both|each|either|all|any|one) of (?:them|those|these)\b|"
    r"\b(?:that|this) (?:country|nation|state|member|signatory|organisation|organization)(?:['’]?s)?\b",
    re.I,
)


# A time set by the members the previous answer named: "the next african state after those two".
_ON_THEM = re.compile(
    r"\b(?P<word>after|before|since|following|followed|preceded) (?:them|those two|these two|those|these|the two|it)\b",
    re.I,
)


def continues(query: Query) -> bool:
    """With a previous question at hand: this one names nothing of its own ('how many signatories went?'), leaves
    its noun out ('and which ethiopian one?'), or sets its time by the previous one ('at that point')."""
    if (
        needs_context(query)
        or _RELATIVE.search(query.text.lower())
        or _POINTS_BACK.search(query.text)
        or _ON_THEM.search(query.text)
    ):
        return True
    if query.follow_on and any(t.text in ("one", "ones") for t in query.tokens):
        return True
    if not (query.members or query.countries) and any(
        t.text in ("they", "them", "their") and _refers(query.tokens, i) for i, t in enumerate(query.tokens)
    ):
        return True  # "which number country in the ilrs did that make them?": the coalition is named, not who
    if (
        not (query.members or query.countries)
        and query.has("order", "position", "place", "rank", "number", "spot")
        and any(t.text in ("it", "its") and _refers(query.tokens, i) for i, t in enumerate(query.tokens))
    ):
        return True  # "where did that place it in the ilrs membership order?": who "it" is comes from before
    if query.wh in ("who", "which", "what", "when", "where", "how_many") and _own_name(query):
        # "cool, and who's in charge of roscosmos now?": a body of the articles, asked about itself
        return False
    return not (query.members or query.countries or query.coalitions or query.regions or query.unknown_names)


# The previous answer, recalled when a follow-up leans on what it said rather than on what was asked ("which of
# those two …" after "which countries are in both?", "how many at that point?" after "when did X sign?").
Recall = Callable[[Query], str]
_CITATION = re.compile(r"\s*\[\d+\]")


def _answered(previous: Query, recall: Recall | None, reader: QuestionReader) -> Query | None:
    """The previous answer's lead sentence, read like a question (its names and its date), if it answered."""
    if recall is None:
        return None
    text = recall(previous)
    if not text or text.startswith(REFUSAL):
        return None
    lead = re.split(r"(?<=[.!?])\s+(?=[A-Z])", _CITATION.sub("", text).strip(), maxsplit=1)[0]
    lead = re.sub(r"^(?:Yes|No|Not yet)\.\s*", "", lead)
    lead = re.sub(r",? counting its founders [^,.]*", "", lead)  # how it was counted, not who was named
    return reader.read(lead)


_FULL_DAY = re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) ((?:19|20)\d\d)\b")


def _day_of(answered: Query | None) -> dt.date | None:
    """The first whole day an answer's lead names ('Thailand joined the ILRS on 5 April 2024')."""
    found = _FULL_DAY.search(answered.raw) if answered is not None else None
    if not found:
        return None
    return dt.datetime.strptime(" ".join(found.groups()), "%d %B %Y").date()


_AROUND_THEN = re.compile(
    r"\b(?:at|by|around|on|as of) (?:that|this|the same) (?:point|time|moment|stage|date)\b|\bby then\b", re.I
)
_DAY_AROUND = re.compile(r"\bthe day (before|after)\b", re.I)
# "a week after that", "two days later", "3 weeks before"
_SHIFT = re.compile(
    r"\b(?P<n>a|an|one|two|three|four|five|six|\d{1,2}) (?P<unit>day|week)s? (?P<way>after|before|later|earlier)\b",
    re.I,
)


def _timed_by_answer(current: Query, day: dt.date) -> str | None:
    """'how many at that point?' -> 'how many as of 13 December 2022?', 'the day before' -> 'on 12 December 2022'."""
    text = current.text
    if _SAME_SPAN.search(text) and re.search(r"\b(?:that|the same|that same) day\b", text, re.I):
        return _SAME_SPAN.sub(f"on {human(day)}", text, count=1)
    if _AROUND_THEN.search(text):
        return _AROUND_THEN.sub(f"as of {human(day)}", text, count=1)
    around = _DAY_AROUND.search(text)
    if around:
        other = day + dt.timedelta(days=-1 if around.group(1).lower() == "before" else 1)
        return _DAY_AROUND.sub(f"on {human(other)}", text, count=1)
    # "who else joined that month", "which others signed during that same week", "who signed the month after
    # that": the span around the answer's day, said as dates
    span = _SPAN_AROUND.search(text)
    if span:
        unit = (span.group("unit") or span.group("unit2") or span.group("unit3")).lower()
        step = {"before": -1, "after": 1, "next": 1, "following": 1, "previous": -1}.get(
            (span.group("way") or span.group("lead") or "").lower(), 0
        )
        return text[: span.start()] + _span_phrase(day, unit, step) + text[span.end() :]
    return None


# a week, month or year around a day ("that month", "the same week", "the month after that", "the next year")
_SPAN_AROUND = re.compile(
    r"\b(?:in |on |during )?(?:(?:that|the same|that same) (?P<unit>week|month|year)|the (?P<lead>next|following|"
    r"previous) (?P<unit2>week|month|year)|the (?P<unit3>week|month|year) (?P<way>before|after)(?: that| it)?)\b",
    re.I,
)


def _span_phrase(day: dt.date, unit: str, step: int) -> str:
    """'in May 2024', 'between 15 April 2024 and 21 April 2024', 'in 2025': the week, month or year `step` units
    from the one holding `day`."""
    if unit == "week":
        monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=step)
        return f"between {human(monday)} and {human(monday + dt.timedelta(days=6))}"
    if unit == "month":
        month = day.month - 1 + step
        first = dt.date(day.year + month // 12, month % 12 + 1, 1)
        return f"in {first.strftime('%B %Y')}"
    return f"in {day.year + step}"


_OTHERS = frozenset("other others else more any anyone anybody day week month year".split())
_NOW = frozenset("now today currently current presently anymore".split())
_SAME_PERIOD = re.compile(r"\b(?:the )?same (day|week|month|year)\b(?! as)", re.I)


_UNNAMED = re.compile(
    r"\b(?:some|another|an|one|a)\s+(?:other\s+)?(country|nation|member|signatory|state|organi[sz]ation)\b|"
    r"\bsome(?:one|body) else\b",
    re.I,
)


_OTHER_COALITION = re.compile(
    r"\bthe other (?:one|coalition|group|bloc|club|side|programme|program|alliance|initiative|project)\b",
    re.I,
)


def resolve(current: Query, previous: Query, reader: QuestionReader, recall: Recall | None = None) -> Query:
    """The follow-up as the standalone question it means (the current question unchanged if it needs nothing).
    `recall` gives the previous answer, for a follow-up that leans on it rather than on the question."""
    other = _OTHER_COALITION.search(current.text)
    if other and len(previous.coalitions) == 1 and not current.coalitions:
        # "is it in the other one too?" after "when did serbia join the ilrs": the coalition not named before
        name = next(n for c, n in _NAMES.items() if c != previous.coalitions[0])
        raw = current.raw
        current = reader.read(current.text[: other.start()] + name + current.text[other.end() :])
        current.raw = raw
    period = _SAME_PERIOD.search(current.text)
    mine, theirs = current.members + current.countries, previous.members + previous.countries
    if (
        period
        and len(mine) == 1
        and len(theirs) == 1
        and mine != theirs
        and previous.coalitions
        and (current.wh in ("yes_no", "other") or current.follow_on)
        and current.wh not in ("who", "which", "how_many")
    ):
        # "and greece, same month or not" after "when did belgium sign the accords": the two dates compared
        coalition = previous.coalitions[0]
        resolved = reader.read(
            f"did {_display(current, mine[0])} {verb(coalition, past=False)} in the same {period.group(1).lower()} "
            f"as {_display(previous, theirs[0])}"
        )
        resolved.raw = current.raw
        return resolved
    if (
        current.time.now
        and not previous.time.empty
        and (previous.time.phrases or previous.events)
        and not (mine or current.coalitions or current.regions)
        and sum(t.kind not in ("punct", "discourse") for t in current.tokens) <= 6
        # "and who's in charge of roscosmos now": words of its own make it a question of its own
        and not {t.text for t in current.tokens if t.kind in ("content", "unknown")}
        - set(previous.words)
        - _NOW
    ):
        # "how many is it now?" after "how many had signed by the end of 2024?" (or "by the sydney meeting"): the
        # same question, as of today
        timing = [re.escape(p) for p in previous.time.phrases]
        timing += [rf"(?:the )?{re.escape(reader.events.plain_of(label))}" for label, _, _ in previous.events]
        untimed = previous.text
        for phrase in timing:
            untimed = re.sub(
                rf"\s*\b(?:(?:by|as of|at|in|on|until|during|through)\s+(?:the\s+)?(?:end|start|beginning|middle|"
                rf"close)\s+of\s+|(?:by|as of|at|in|on|until|during|through|before|after|at the time of)\s+)?"
                rf"{phrase}\b",
                "",
                untimed,
                count=1,
                flags=re.I,
            )
        if untimed != previous.text:
            resolved = reader.read(f"{untimed.rstrip(' ?')} now?")
            resolved.raw = current.raw
            return resolved
    unnamed = _UNNAMED.search(previous.text)
    if (
        unnamed
        and current.wh in ("which", "who")
        and sum(t.kind not in ("punct", "discourse") for t in current.tokens) <= 3
        and not (mine or current.coalitions or current.regions)
    ):
        # "peru signed the accords on the same day as some other country right? which one": the country left
        # unnamed is the one asked for
        reworded = previous.text[: unnamed.start()] + f"which {unnamed.group(1) or 'country'}"
        reworded += _TAG_QUESTION.sub("", previous.text[unnamed.end() :])
        resolved = reader.read(reworded)
        resolved.raw = current.raw
        return resolved
    shift = _SHIFT.search(current.text)
    point = _point_in_time(previous)
    if shift and point and previous.time.phrases and not (mine or current.coalitions):
        # "and a week after that?" after "how many signatories on 11 december 2024": the same, a week later
        word = shift.group("n").lower()
        days = (int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)) * {"day": 1, "week": 7}[
            shift.group("unit").lower()
        ]
        moved = point + dt.timedelta(days=days if shift.group("way").lower() in ("after", "later") else -days)
        phrase = previous.time.phrases[0]
        shifted = re.sub(re.escape(phrase), human(moved), previous.text, count=1, flags=re.I)
        if shifted != previous.text:
            resolved = reader.read(shifted)
            resolved.raw = current.raw
            return resolved
    timed_by_event = re.search(r"\b(?:before|after|by|until|prior to|ahead of)\b.*$", current.text, re.I)
    if (
        timed_by_event
        and current.named_events
        and current.wh == "yes_no"
        and not mine
        and len(theirs) == 1
        and previous.wh == "when"
        and continues(current)
    ):
        # "was that before the sydney meeting" after "when did senegal sign the accords": that signing, then
        resolved = reader.read(f"did {_clause(previous)} {timed_by_event.group(0).rstrip(' ?')}?")
        resolved.raw = current.raw
        return resolved
    words = [t for t in current.tokens if t.kind not in ("punct", "discourse")]
    if (
        not mine
        and theirs
        and previous.wh in ("when", "where")
        and current.wh in ("where", "what", "which")
        and len(words) <= 4
        and not any(t.entity or t.kind == "number" for t in words)
        and (
            not any(t.text in _AUX for t in words)
            or all(t.text in _AUX or t.text in _BARE_REST or t.text == current.wh for t in words)
        )  # "where was that", "where did that happen"
    ):
        # "at what event tho?", "in which city?", "what happened?" after "when did rwanda sign the accords": a
        # few words that name nothing ask about the same signing
        bare = (
            " ".join(t.text for t in words if t.text not in _AUX and t.text not in _BARE_REST) or current.wh
        )
        asked = re.match(r"\s*(when|where)\b", previous.text, re.I)
        resolved = reader.read(
            # "when were the accords launched?" -> "at what event were the accords launched?"
            f"{bare}{previous.text[asked.end(1) :]}" if asked else f"{bare} did {_clause(previous)}?"
        )
        resolved.raw = current.raw
        return resolved
    same = _SAME_FOR.match(current.text)
    if same:
        rest = reader.read(same.group("rest"))
        rest.follow_on = True
        text = (
            _swap(previous, rest)
            if rest.members or rest.countries or rest.coalitions or rest.regions
            else _swap_time(previous, rest) or _swap_anchored(previous, rest) or _swap_head(previous, rest)
        )
        if text:
            resolved = reader.read(text)
            resolved.raw = current.raw
            return resolved
    if (
        mine
        and _MAKES_MEMBER.search(current.text)
        and (previous.coalitions or current.coalitions)
        and current.wh == "yes_no"
    ):
        # "so does that make kenya itself a member?" after its institute joined: whether Kenya is a member
        coalition = (current.coalitions or previous.coalitions)[0]
        resolved = reader.read(f"is {_display(current, mine[0])} a member of {_NAMES[coalition]}?")
        resolved.raw = current.raw
        return resolved
    if not continues(current):
        if (
            ((current.members or current.countries) and current.membership)
            or (current.leading and current.wh in ("who", "which", "what"))
        ) and (not current.coalitions and previous.coalitions):
            # "so is kenya a member now?" after a question about the ILRS: the same coalition; "and who is really in
            # the driving seat since russia invaded ukraine": who leads it
            resolved = reader.read(f"{current.text} ({', '.join(_NAMES[c] for c in previous.coalitions)})")
            resolved.raw = current.raw
            return resolved
        return current
    # the members the previous question set its time by are not its subject ("the first after China and Russia")
    anchors = {m for _, m in previous.anchors} | _sides_joined(previous, reader) | _descriptors(previous)
    subjects = [_display(previous, s) for s in previous.members + previous.countries if s not in anchors]
    if (
        previous.events
        and current.has(
            "attended",
            "attend",
            "attending",
            "participated",
            "participate",
            "present",
            "hosted",
            "chaired",
            "held",
        )
    ):  # "ok but how many nations actually attended" after "… at the time of the sydney meeting": that meeting
        resolved = reader.read(f"{current.text.rstrip(' ?')} {previous.events[0][0]}")
        resolved.raw = current.raw
        return resolved
    if _RELATIVE.search(current.text.lower()):
        # "how many had signed at that point?", "what happened the day before?": the time of the previous question
        said = _said_time(previous)
        answered = _answered(previous, recall, reader) if previous.time.empty else None
        day = _day_of(answered)
        timed = _timed_by_answer(current, day) if day else None
        named = (answered.members + answered.countries) if answered is not None and timed else []
        # "who else joined that month" after "when did lithuania sign": the others, not Lithuania again (left out
        # of a list, without its name weighing on the search)
        # the members a follow-up's "else" or "others" leaves out: the one the answer named, or (a span widened)
        # those the previous list named
        others = [named[0]] if len(named) == 1 and current.has("else", "other", "others") else []
        if timed:  # the previous question asked when: its answer's day
            text = timed
        elif said and (span := _SAME_SPAN.search(current.text)):
            # "2023-10 was busy for ilrs, who signed up that month": the month it named, not all it said; "any
            # others that year" after "… in april 2024": the year around it
            unit = span.group(0).split()[-1].lower()
            around = _said_time(previous, unit) or said
            widened = around != said  # "any others that year" after a month: the others of the year
            text = _SAME_SPAN.sub(around, current.text, count=1)
            only_others = not [
                t for t in current.tokens if t.kind in ("content", "unknown") and t.text not in _OTHERS
            ]
            if widened and only_others and previous.membership and previous.time.phrases:
                # "any others that year?" after "which countries joined the ilrs in april 2024?": that question,
                # over the year
                text = re.sub(
                    rf"(?:\b(?:in|on|during) )?{re.escape(previous.time.phrases[0])}",
                    around,
                    previous.text,
                    count=1,
                    flags=re.I,
                )
            if (
                widened
                and current.has("other", "others", "else")
                and (listed := _answered(previous, recall, reader))
            ):
                # the members the previous answer named are not the others asked for
                others = [m for m in listed.members if m not in {a for _, a in listed.anchors}]
        elif (point := _point_in_time(previous)) and _AT_THAT_POINT.search(current.text.lower()):
            # "how many countries were in the ilrs by then" after "what did the duma do on 28 may 2024": that day
            text = _AT_THAT_POINT.sub(f"as of {human(point)}", current.text.lower(), count=1)
        else:
            clause = _clause(previous)
            text = _RELATIVE.sub(lambda m: f"{m.group(0)} ({clause})", current.text, count=1)
        resolved = reader.read(text)
        if (
            previous.coalitions and not resolved.coalitions
        ):  # "who else joined that month?": the same coalition
            resolved = reader.read(f"{text} ({' or '.join(_NAMES[c] for c in previous.coalitions)})")
        resolved.raw = current.raw
        resolved.anchors += [
            ("except", m)
            for m in others
            if m not in resolved.members + resolved.countries and ("except", m) not in resolved.anchors
        ]
        if not needs_context(resolved):
            return resolved
        # "which of them was the last to do so that year": the year is said; "them" still needs the previous
        current = resolved
    on_them = _ON_THEM.search(current.text)
    if (
        on_them
    ):  # "which baltic country came after them": after the members named before, in the same coalition
        answered_before = _answered(previous, recall, reader) if not subjects else None
        named = subjects or (
            [_display(answered_before, s) for s in answered_before.members + answered_before.countries]
            if answered_before is not None
            else []
        )
        if 0 < len(named) <= 3:
            text = _ON_THEM.sub(lambda m: f"{m.group('word')} {' and '.join(named)}", current.text, count=1)
            if previous.coalitions and not current.coalitions:
                text = f"{text} ({' or '.join(_NAMES[c] for c in previous.coalitions)})"
            resolved = reader.read(text)
            resolved.raw = current.raw
            return resolved
    swapped = (
        _that_event(previous, current, reader)
        or _neighbour_event(previous, current, reader)
        or _neighbour(previous, current)
        or _swap_event(previous, current, reader)
        or _swap_time(previous, current)
        or _swap_ordinal(previous, current)
        or _swap_anchored(previous, current)
        or _swap_phrase(previous, current)
        or _swap_head(previous, current)
    )
    event = _whole_event(previous, current) or _event(previous, current) or _said(previous, current)
    if len(subjects) > 1 and current.has("it", "its") and not current.has("they", "them", "their"):
        subjects = []  # "who signed it for Roscosmos?": "it" is the memorandum, not China and Russia
    elif (
        not subjects
        and not swapped
        and (
            _POINTS_BACK.search(current.text)
            or (
                any(_refers(current.tokens, i) for i in range(len(current.tokens)))
                and (
                    current.has("they", "them", "their", "those", "these")
                    or (
                        previous.expects == "members"
                        and current.has("it", "its")
                        and current.has(
                            "order", "position", "place", "rank", "join", "joined", "sign", "signed"
                        )
                    )
                    # "when was that?", "who signed for that country?" after "which country was the 11th …"
                    or (
                        (
                            previous.expects == "members"
                            or (previous.expects == "agent" and previous.member_type and not mine)
                        )
                        and previous.wh in ("which", "who", "what")
                        and previous.membership
                        # "and when was that?" after "who co-hosted the first in-person meeting of signatories":
                        # the meeting, not its hosts' signing
                        and not (set(previous.words) & EVENT_WORDS and current.wh in ("when", "where"))
                    )
                )
            )
        )
    ):  # "where did that place it?" after "which country joined in wuhan?": the country the answer named
        # "which of those two got into artemis first?" after "which countries are in both?": the answer's names
        # (not where the previous question names the set itself: "which of them signed last" after "which nordic
        # countries signed" is that question's superlative)
        # (but "at what event did they sign" after "which were the first african signatories": the ones it named)
        a_set = previous.regions and not previous.superlative and previous.ordinal is None
        answered = None if a_set else _answered(previous, recall, reader)
        if answered is not None:
            told = anchors | {m for _, m in answered.anchors}
            named = [_display(answered, s) for s in answered.members + answered.countries if s not in told]
            singular = _POINTS_AT_ONE.search(current.text) and not current.has(
                "they", "them", "their", "those", "these", "two", "both"
            )  # "where did that place it": the one the answer named first, not a name in its clause
            subjects = (
                named[:2]
                if current.has("two", "both")
                else named[:1]
                if singular
                else (named if len(named) <= 3 else [])
            )
            own = [t for t in words if t.kind in ("content", "unknown") and t.text not in _BARE_REST]
            if subjects and current.wh in ("when", "where") and not own and previous.membership:
                # "when was that?" after "which country was the first to join the ILRS after China and Russia?": when
                # the country the answer named joined
                coalition = (previous.coalitions or answered.coalitions or ["ilrs"])[0]
                resolved = reader.read(
                    f"{current.wh} did {' and '.join(subjects)} {verb(coalition, past=False)}?"
                )
                resolved.raw = current.raw
                return resolved
    if _bare_entity(current) and (
        current.members or current.countries or current.coalitions or current.regions
    ):
        # "and in africa?" after "… first to sign in 2021": the phrase after the same preposition, when the previous
        # question names nothing of that kind to swap
        kinds = {t.entity[0] for t in current.tokens if t.entity}
        has_kind = any(
            t.entity and (t.entity[0] in kinds or {t.entity[0]} | kinds <= {"member", "country"})
            for t in previous.tokens
        )
        text = (None if has_kind else _swap_anchored(previous, current)) or _swap(previous, current)
    elif swapped:
        text = swapped
    elif event:
        text = event
    elif (
        (standing := _COALITION_NOUN.search(current.text) or _COALITION_EVENT.search(current.text))
        and len(previous.coalitions) == 1
        and not (current.coalitions or current.members or current.countries)
    ):
        # "ilrs was china's idea, who started the initiative originally": the initiative is the coalition named;
        # "where did the launch happen" after "who ran nasa when the accords were launched": the accords' launch
        name = _NAMES[previous.coalitions[0]]
        said = f"{standing.group(0)} of {name}" if standing.re is _COALITION_EVENT else name
        text = current.text[: standing.start()] + said + current.text[standing.end() :]
    else:
        # "my prof keeps saying the artemis accords were some UN thing. who actually wrote them?": a pronoun of the
        # coalition's number ("them" for the Accords, "it" for the ILRS) is the one coalition said before
        agrees = (
            len(previous.coalitions) == 1
            and not theirs
            and (
                previous.wh == "other"
                or (previous.wh == "yes_no" and bool(previous.tokens) and previous.tokens[0].text in _AUX)
            )  # a statement or a yes/no question said before, not a question whose answer "them" may be ("are the
            # accords legally binding? and which treaty are they built on")
            and not re.search(r"\b(?:of|among|after|before) (?:them|they)\b", current.text, re.I)
            and current.has(
                *(("they", "them", "their") if previous.coalitions[0] == "artemis_accords" else ("it", "its"))
            )
        )
        topic = (
            " and ".join(subjects)
            if subjects
            else (
                " and ".join(_NAMES[c] for c in previous.coalitions)
                if previous.coalitions and (agrees or not _topic_words(previous))
                else _topic(previous)
            )
        )
        text = _fill(
            current,
            topic,
            " and ".join(_NAMES[c] for c in previous.coalitions) if len(subjects) > 1 else "",
        )
        if (
            subjects
            and not current.coalitions
            and previous.coalitions
            and current.membership
            and not (_implied(current) and current.wh in ("yes_no", "when", "choice"))
        ):  # "where did it sign?" asks about the same signing; "did it sign too?" about the Accords
            text = f"{text.rstrip(' ?')} ({', '.join(_NAMES[c] for c in previous.coalitions)})"
    resolved = reader.read(text)
    resolved.raw = current.raw
    if _ONE_OF_THEM.search(current.text) and not _SEVERAL.search(current.text):
        resolved.plural = False  # "which of them joined first": one of the set, though the set is plural
    return resolved


# "does that make kenya a member": whether the country is one, after something done by another party
_MAKES_MEMBER = re.compile(
    r"\b(?:does|did|would|will|doesn'?t|didn'?t|wouldn'?t) (?:that|this|it) (?:make|count|turn)\b.*\b(?:member|"
    r"signatory|part|in)\b",
    re.I,
)


# "did X make italy a member of the ilrs", "does that count bahrain as a signatory"
_MADE_MEMBER = re.compile(
    r"(?:^|[.!?]\s+)\W*(?:does|did|do|would|will|could|can|has|had|have)\b.*?"
    r"\b(?:make|makes|made|turn|turns|turned|count|counts|counted) "
    r"(?P<who>[^?]+),? (?:as )?(?:an? )?(?:member|signatory|partner|part)\b",
    re.I,
)


def _descriptors(q: Query) -> set[str]:
    """Members named only to say where an organisation is from ('which swiss company joined the ilrs'): the
    organisation the answer names is what a follow-up's 'its' means, not the country."""
    homes, plain = organisation_homes(q)
    return {value for _, value in homes} - plain


def _sides_joined(q: Query, reader: QuestionReader) -> set[str]:
    """The founders a question names as the side others joined ('how many had joined Russia and China in the
    ILRS'): what the members asked about joined, not the subject of a follow-up's 'them'."""
    owners = frozenset().union(*reader.names.owners.values())
    words = [t for t in q.tokens if t.kind != "punct"]
    out: set[str] = set()
    founders = [t.entity is not None and t.entity[0] == "member" and t.entity[1] in owners for t in words]
    for i, t in enumerate(words):
        if not founders[i] or t.entity is None:
            continue
        j = i - 1
        while j >= 0 and (words[j].text in ("and", "the", "with") or founders[j]):
            j -= 1
        if j >= 0 and words[j].text in ("joined", "join", "joins", "joining"):
            out.add(t.entity[1])
    return out


# how a coalition began, named without the coalition ("where did the launch happen")
_COALITION_EVENT = re.compile(r"\bthe (?:launch|founding|start|creation|establishment)\b(?! of)", re.I)

# a coalition referred to by what it is ("the initiative", "the project")
_COALITION_NOUN = re.compile(
    r"\b(?:the|this|that) (?:initiative|project|programme|program|station|pact|alliance|bloc|coalition|"
    r"partnership|moon base|lunar base)\b",
    re.I,
)

_ONE_OF_THEM = re.compile(r"\b(?:which|who|what) (?:one )?of (?:them|those|these|the)\b", re.I)
_SEVERAL = re.compile(r"\b(?:two|three|four|five|both|ones|were|are|have)\b", re.I)

_ORDINALS = (*ORDINAL_NAMES, "last", "latest", "newest", "next", "previous")


def _swap_ordinal(previous: Query, current: Query) -> str | None:
    """'What about the second?' after 'which country was the first to …': the same question, another position."""
    mine = [
        t.text
        for t in current.tokens
        if t.text in _ORDINALS or (t.kind == "number" and t.text[-2:] in ("st", "nd", "rd", "th"))
    ]
    bare = not any(t.entity or t.kind in ("content", "unknown") for t in current.tokens)
    if not (current.follow_on or bare) or not mine:
        return (
            None  # "who was first" after "who was the 2nd south asian signatory" is bare: the same question
        )
    words = [t.raw if t.entity or t.kind in ("number", "punct") else t.text for t in previous.tokens]
    for i, t in enumerate(previous.tokens):
        if t.text in _ORDINALS or (t.kind == "number" and t.text[-2:] in ("st", "nd", "rd", "th")):
            if t.text == mine[0]:
                return None  # "what about the first under Trump?": the same position, something else changes
            words[i] = mine[0]
            return re.sub(r"\s+([?!.,;:])", r"\1", " ".join(words))
    return None


_LEAD_WORDS = frozenset("and also then so ok okay now".split())


def _swap_anchored(previous: Query, current: Query) -> str | None:
    """'What about the first under Trump?' after 'which country was the first to sign under the Biden
    administration?': the words both questions share anchor the swap; the follow-up's one new phrase replaces the
    phrase that follows the same anchor in the previous question."""
    if not current.follow_on:
        return None
    mine = [t for t in current.tokens if t.kind != "punct"]
    while mine and mine[0].text in _LEAD_WORDS:
        mine = mine[1:]
    if len(mine) >= 2 and mine[0].text in ("what", "how") and mine[1].text == "about":
        mine = mine[2:]
    theirs = [t for t in previous.tokens if t.kind != "punct"]
    seen = {t.text for t in theirs}
    new = [i for i, t in enumerate(mine) if t.text not in seen]
    if not new or new != list(range(new[0], new[-1] + 1)) or new[0] == 0:
        return None  # one run of new words, after a word the previous question has
    if any(mine[i].kind not in ("content", "unknown", "name", "number") for i in new):
        return None
    anchor = mine[new[0] - 1].text
    at = [j for j, t in enumerate(theirs) if t.text == anchor]
    if len(at) != 1:
        return None
    start = end = at[0] + 1
    while end < len(theirs) and (
        theirs[end].kind in ("content", "unknown", "name", "number") or theirs[end].text in ("the", "a", "an")
    ):
        end += 1
    if end == start:
        return None
    words = [t.raw if t.entity or t.kind == "number" else t.text for t in theirs]
    replacement = [mine[i].raw if mine[i].entity or mine[i].kind == "number" else mine[i].text for i in new]
    if replacement[-1] in ("one", "ones") and len(replacement) > 1 and end - start >= 2:
        # "and the extended one" after "… the basic ILRS model": the one is the model
        replacement = replacement[:-1] + words[start + 1 : end]
    text = " ".join(words[:start] + replacement + words[end:])
    return text + ("?" if previous.text.rstrip().endswith("?") else "")


_BARE_TAIL = frozenset("exactly though tho then again precisely".split())


def _whole_event(previous: Query, current: Query) -> str | None:
    """'when was that?' after 'did chile sign the artemis accords?': 'when did chile sign the artemis accords?'."""
    words = [t.text for t in current.tokens if t.kind != "punct"]
    while words and words[0] in _LEAD_WORDS:
        words = words[1:]
    bare = bool(words) and words[0] in ("when", "where", "why") and set(words[1:]) <= _BARE_TAIL  # "when?"
    if not bare and not (
        2 <= len(words) <= 4
        and words[0] in ("when", "where", "why", "how")
        and words[1] in ("was", "is", "did", "does", "were")
        and words[2:3] in (["that"], ["this"], ["it"])
        and all(w in ("happen", "happened", "so") for w in words[3:])
    ):
        return None
    first = next((t.text for t in previous.tokens if t.kind != "punct"), "")
    if first not in ("did", "does", "do", "has", "have", "had", "is", "are", "was", "were"):
        return None
    body = previous.text[0].lower() + previous.text[1:]
    return f"{words[0]} {body}"


def _swap_head(previous: Query, current: Query) -> str | None:
    """'And the extended model?' after 'by when is the basic model finished?': the previous question with the
    phrase around the same head word replaced."""
    phrase = [t for t in current.tokens if t.kind in ("content", "unknown", "name")]
    if not current.follow_on or not phrase or current.wh not in ("other", "what", "how", "which", "who"):
        return None
    at = [i for i, t in enumerate(current.tokens) if t in phrase]
    if at[-1] - at[0] >= len(at):
        return None  # "and who's in charge of roscosmos now": a question of its own, not a phrase to swap in
    tokens = previous.tokens
    if (
        any(t.text in ("one", "ones") for t in current.tokens[-2:])
        and phrase
        and all(t.entity for t in phrase)
        and any(t.entity and t.entity[0] in ("member", "country", "region") for t in tokens)
    ):
        return _swap(previous, current)  # "and which ethiopian one?" after "which kenyan institute …"
    if any(t.text in ("one", "ones") for t in current.tokens[-2:]):
        # "and the sydney one?": the modifier replaces the first word of the previous question's last noun phrase
        k = len(tokens) - 1
        while k >= 0 and tokens[k].kind == "punct":
            k -= 1
        start = k
        while (
            start > 0
            and tokens[start - 1].kind in ("content", "unknown", "name")
            and tokens[start - 1].text not in ("the", "a", "an")
        ):
            start -= 1
        if start < k:
            words = [x.raw if x.entity or x.kind in ("number", "punct") else x.text for x in tokens]
            words[start] = " ".join(t.text for t in phrase if t.text not in ("one", "ones"))
            return re.sub(r"\s+([?!.,;:])", r"\1", " ".join(words))
        return None
    head = phrase[-1].text
    for j, t in enumerate(tokens):
        if t.text == head:
            i = j
            while i > 0 and tokens[i - 1].kind in ("content", "unknown") and not tokens[i - 1].entity:
                i -= 1
            words = [x.raw if x.entity or x.kind in ("number", "punct") else x.text for x in tokens]
            words = words[:i] + [" ".join(x.text for x in phrase)] + words[j + 1 :]
            text = re.sub(r"\s+([?!.,;:])", r"\1", " ".join(words))
            return text if text.lower() != previous.text.lower() else None
    return None


def _event(previous: Query, current: Query) -> str | None:
    """'Where did that happen?' after 'what date did Estonia sign the accords?': 'where did Estonia sign the accords';
    'when was that announced?' after 'when did Venezuela join?': 'when was Venezuela joining … announced'."""
    words = [t.text for t in current.tokens]
    happened = re.search(
        r"^(?P<head>.*\b(?:what|which)\b.*?)\s+(?:did|does|do|was|is)\s+(?:that|this|it)\s+"
        r"(?:happen|happened|take place|took place|occur|occurred)\W*$",
        current.text,
        re.I,
    )
    asked = re.match(r"\s*(when|where)\b", previous.text, re.I)
    if happened and asked:
        # "at what event did that happen?" after "when were the accords launched?": "at what event were the accords
        # launched?", the previous question with the new question words in place of its own
        return _LEAD.sub("", f"{happened.group('head')}{previous.text[asked.end(1) :]}").strip()
    for i in range(len(words) - 1):
        if (
            words[i] in ("that", "this")
            and re.fullmatch(r"\w+(?:ed|en)", words[i + 1])
            and not previous.members[1:]
        ):
            before = " ".join(t.raw if t.kind != "word" else t.text for t in current.tokens[:i])
            after = " ".join(t.raw if t.kind != "word" else t.text for t in current.tokens[i + 1 :])
            return _LEAD.sub("", f"{before} {_clause(previous)} {after}").strip()
    for i in range(len(words) - 1):
        if words[i] in ("that", "this", "it") and words[i + 1] in (
            "happen",
            "happened",
            "take",
            "took",
            "occur",
            "occurred",
            "go",
        ):
            tokens = [t for t in previous.tokens if t.kind != "punct"]
            start = 0
            while start < len(tokens) and (
                tokens[start].text in FUNCTION_WORDS
                or tokens[start].text in ("date", "day", "year", "time", "exact")
            ):
                start += 1
            clause = " ".join(t.raw if t.entity else t.text for t in tokens[start:])
            before = " ".join(t.raw if t.kind != "word" else t.text for t in current.tokens[:i])
            return _LEAD.sub("", f"{before} {clause}").strip()
    return None


# an event pointed back to ("after that meeting", "at the same summit")
_THAT_EVENT = re.compile(
    r"\b(?:that|this|the same|that same) (?:meeting|event|summit|workshop|forum|ceremony|conference|congress|"
    r"gathering|signing)\b",
    re.I,
)


def _that_event(previous: Query, current: Query, reader: QuestionReader) -> str | None:
    """'which countries were the next to sign after that meeting' after a question about the paris meeting: the
    follow-up with the event named."""
    that = _THAT_EVENT.search(current.text)
    labels = list(dict.fromkeys(label for label, _, _ in previous.events))
    if that is None or len(labels) != 1 or current.events:
        return None
    name = reader.events.plain_of(labels[0])
    text = current.text[: that.start()] + f"the {name}" + current.text[that.end() :]
    if previous.coalitions and not current.coalitions:
        text = f"{text.rstrip(' ?')} ({' or '.join(_NAMES[c] for c in previous.coalitions)})?"
    return text


# "the one after that", "the next one", "the meeting before": the event held next to the one asked about
_EVENT_BESIDE = re.compile(
    r"\b(?:the|that) (?:(?P<next>next|following)|(?P<prev>previous|preceding|earlier|prior|last)) (?:one|meeting|"
    r"event|gathering|workshop|summit)\b|\bthe (?:one|meeting|event|gathering|workshop|summit)(?: held| that came)? "
    r"(?:right |just )?(?:(?P<after>after|following)|(?P<before>before)) (?:that|it|this)\b",
    re.I,
)


def _neighbour_event(previous: Query, current: Query, reader: QuestionReader) -> str | None:
    """'and who co-chaired the one after that?' after a question about the milan meeting: the same question about
    the next meeting of that kind (sydney)."""
    beside = _EVENT_BESIDE.search(current.text)
    theirs = reader.events.spans(previous.text)
    if beside is None or len({label for _, _, label in theirs}) != 1 or reader.events.spans(current.text):
        return None
    start, end, label = theirs[0]
    coalition = reader.event_coalitions.get(label)
    same = {e for e, c in reader.event_coalitions.items() if c == coalition}
    other = reader.events.beside(label, 1 if beside.group("next") or beside.group("after") else -1, same)
    if other is None:
        return None
    head = current.text[: beside.start()].strip()
    asked = re.sub(r"^(?:and|so|ok|okay|also|then)\b[\s,]*", "", head, flags=re.I)
    plain = reader.events.plain_of(other)
    if (
        re.match(r"^(?:who|what|when|where|which|how|did|was|were|is)\b", asked, re.I)
        and len(asked.split()) >= 2
    ):
        # "who co-chaired the one after that": the follow-up's own question, about the other event
        return f"{asked} the {plain}{current.text[beside.end() :]}"
    return _about_event(previous, start, end, other, reader)  # "and the one after that?": the same question


def _swap_event(previous: Query, current: Query, reader: QuestionReader) -> str | None:
    """'and the one in sydney?' after 'who co-chaired the principals meeting in milan': the same question about the
    other event, named as the follow-up names it."""
    theirs = reader.events.spans(previous.text)
    mine = reader.events.spans(current.text)
    if (
        len(mine) != 1
        or not theirs
        or mine[0][2] in {label for _, _, label in theirs}
        or current.members
        or current.countries
        or sum(t.kind not in ("punct", "discourse") for t in current.tokens) > 8
    ):
        return None
    start, end, _ = theirs[0]
    return _about_event(previous, start, end, mine[0][2], reader)


def _about_event(previous: Query, start: int, end: int, label: str, reader: QuestionReader) -> str:
    """The previous question with the event it names (at start:end) replaced by another one, by its plain name."""
    restated = reader.events.RESTATED.match(previous.text, end)  # "… in milan in october 2024": its own date
    end = restated.end() if restated else end
    return previous.text[:start] + reader.events.plain_of(label) + previous.text[end:]


def _swap_time(previous: Query, current: Query) -> str | None:
    """'and in 2023?' after 'how many signed in 2024?': the same question for another year or date."""
    mine = [t for t in current.tokens if t.kind == "number" and re.fullmatch(r"(19|20)\d\d", t.text)]
    theirs = [
        i
        for i, t in enumerate(previous.tokens)
        if t.kind == "number" and re.fullmatch(r"(19|20)\d\d", t.text)
    ]
    if not current.follow_on or len(mine) != 1 or len(theirs) != 1 or current.members or current.coalitions:
        return None
    words = [x.raw if x.entity or x.kind in ("number", "punct") else x.text for x in previous.tokens]
    words[theirs[0]] = mine[0].text
    return re.sub(r"\s+([?!.,;:])", r"\1", " ".join(words))


def _neighbour(previous: Query, current: Query) -> str | None:
    """'the one before that?' after 'who was the 40th signatory?': the 39th; after a question about a member,
    the one who signed right before it."""
    step = (
        -1
        if current.has("before", "previous", "earlier")
        else 1
        if current.has("after", "next", "later")
        else 0
    )
    if (
        not step
        or not (current.has("one", "that", "it", "them", "him", "her") or _WHO_NEXT.match(current.text))
        or current.members
        or current.ordinal
        or current.named_events  # "was that before the sydney meeting": before an event, not a neighbour
    ):
        return None
    if previous.ordinal and previous.ordinal + step > 0:
        words = [x.raw if x.entity or x.kind == "punct" else x.text for x in previous.tokens]
        for i, t in enumerate(previous.tokens):
            if re.fullmatch(r"\d+(st|nd|rd|th)", t.text) or t.text in ORDINAL_NAMES:
                n = previous.ordinal + step
                words[i] = (
                    f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
                )
                return re.sub(r"\s+([?!.,;:])", r"\1", " ".join(words))
    subject = previous.members[0] if previous.members else None
    if subject:
        did = verb(previous.coalitions[0]) if previous.coalitions else "signed"
        return f"who {did} right {'before' if step < 0 else 'after'} {subject}"
    return None


def _swap_phrase(previous: Query, current: Query) -> str | None:
    """'what about chang'e-8?' after 'when is chang'e-7 meant to launch': the phrase that shares its first word."""
    phrase = [t for t in current.tokens if t.kind in ("content", "unknown", "name", "number")]
    if not current.follow_on or not phrase or current.wh not in ("other", "what", "how", "yes_no"):
        return None
    tokens = previous.tokens
    for i, t in enumerate(tokens):
        if t.text == phrase[0].text and i + len(phrase) <= len(tokens):
            words = [x.raw if x.entity or x.kind in ("number", "punct") else x.text for x in tokens]
            words[i : i + len(phrase)] = [x.raw if x.kind in ("number", "name") else x.text for x in phrase]
            text = re.sub(r"\s+([?!.,;:])", r"\1", " ".join(words))
            return text if text != previous.text else None
    return None


_SAY_IT = _BARE_REST | frozenset("say says said do does did tell told announce announced".split())


def _said(previous: Query, current: Query) -> str | None:
    """'where did he say it?' after 'who said in April 2025 that …': 'where was it said in April 2025 that …'."""
    first = next((t.text for t in previous.tokens if t.kind != "punct"), "")
    if first not in ("who", "whom") or not current.has("he", "she", "they", "him", "her"):
        return None
    wh = next((t.text for t in current.tokens if t.text in ("where", "when", "why", "how")), "")
    own = [t for t in current.tokens if t.kind in ("content", "unknown") and t.text not in _SAY_IT]
    if not wh or own:
        return None  # "where did they open it to other countries": a question of its own about them
    clause = " ".join(
        t.raw if t.entity or t.kind == "number" else t.text for t in previous.tokens[1:] if t.kind != "punct"
    )
    return f"{wh} {clause}"


def _clause(query: Query) -> str:
    """The previous question's statement: 'when did Finland sign the accords' -> 'Finland sign the accords'."""
    tokens = [t for t in query.tokens if t.kind != "punct"]
    start = 0
    while start < len(tokens) and (
        tokens[start].text in FUNCTION_WORDS or tokens[start].text in ("date", "day", "year", "time", "exact")
    ):
        start += 1
    return " ".join(t.raw if t.entity else t.text for t in tokens[start:])


def _display(query: Query, subject: str) -> str:
    return (
        subject
        if subject in query.members
        else next((t.raw for t in query.tokens if t.entity == ("country", subject)), subject)
    )


def _topic_words(query: Query) -> list[str]:
    return [
        t.text
        for t in query.tokens
        if t.kind in ("content", "unknown") and t.text not in ("member", "members")
    ]


def _topic(query: Query) -> str:
    """What the previous question was about: its words after the question word ('what is DSEL' -> 'DSEL')."""
    tokens = [t for t in query.tokens if t.kind != "punct"]
    start = 0
    while start < len(tokens) and (tokens[start].text in FUNCTION_WORDS or tokens[start].kind == "discourse"):
        start += 1
    words = [t.raw if t.entity or t.raw.isupper() else t.text for t in tokens[start:]]
    return " ".join(words) or query.text


def _implied(query: Query) -> bool:
    """'sign' means the Accords."""
    return query.has("sign", "signed", "signs", "signing", "signatory", "signatories")


# Verbs after "that" that make it the event itself ("where did that put them"), not a demonstrative ("that list").
_EVENT_VERBS = frozenset(
    "put puts place placed places leave left make made bring brought take took mean meant".split()
)


_POINTS_AT_ONE = re.compile(
    r"\b(?:it|its|that (?:country|nation|state|member|signatory|organi[sz]ation))\b", re.I
)
_ONE_MEMBER = frozenset("country nation state member signatory organisation organization".split())
# the same, possessive with its apostrophe left out ("on that countrys behalf")
_ONE_MEMBERS = frozenset(f"{w}s" for w in _ONE_MEMBER if w != "state") | {"countrys"}


def _fill(current: Query, topic: str, thing: str = "") -> str:
    """Replace the words that stand for the previous subject (pronouns, a lone 'that') with it. `thing` is what a
    later 'it' means when the subject is several ('where did they open it up': China and Russia, the ILRS)."""
    tokens = [t for t in current.tokens]
    words: list[str] = []
    replaced = False
    several = False  # the subject was referred to as several ("they"): a later "it" is not the subject
    named: dict[int, str] = {}  # "that signing" -> "the signing (Senegal)"
    for i, token in enumerate(tokens):
        if i in named:
            words.extend([named[i]] if named[i] else [])
        elif not replaced and _refers(tokens, i):
            words.append(_PERSONAL.get(token.text, "{}").format(topic))
            replaced = True
            several = token.text in ("they", "them", "their", "theirs")
        elif replaced and several and thing and token.text in ("it", "its") and not token.entity:
            words.append(thing if token.text == "it" else f"{thing}'s")
        elif replaced and token.text in ("their", "its") and not token.entity:
            words.append(f"{topic}'s")
        elif (
            replaced
            and token.text in ("it", "they", "them")
            and not token.entity
            and not (token.text == "it" and i and tokens[i - 1].text in _SIGNS_IT)
        ):
            # "what number country did that make it?": both stand for the subject; the "it" of "where did they
            # sign it" is the agreement
            words.append(topic)
        elif (
            not replaced
            and token.text in ("that", "this")
            and i + 1 < len(tokens)
            and (tokens[i + 1].text in _ONE_MEMBER or tokens[i + 1].raw.lower() in _ONE_MEMBERS)
        ):
            # "where does that country rank" -> "where does Senegal rank"; "that country's behalf" -> "Serbia's"
            owned = re.search(r"['’]s$", tokens[i + 1].raw) or tokens[i + 1].raw.lower() in _ONE_MEMBERS
            words.append(f"{topic}'s" if owned else topic)
            named[i + 1] = ""
            replaced = True
        elif (
            not replaced
            and token.text in _DEMONSTRATIVE
            and i + 1 < len(tokens)
            and tokens[i + 1].kind in ("content", "unknown")
            and tokens[i + 1].text not in _EVENT_VERBS
        ):
            words.append("the")  # "that list" -> "the list (of …)"
            named[i + 1] = f"{tokens[i + 1].text} ({topic})"
            replaced = True
        else:
            words.append(token.raw if token.entity or token.kind in ("number", "punct") else token.text)
    text = re.sub(r"\s+([?!.,;:])", r"\1", " ".join(words))
    if not replaced:
        text = f"{_LEAD.sub('', text)} ({topic})"
    return _LEAD.sub("", text)


def _swap(previous: Query, current: Query) -> str:
    """The previous question with its member, coalition or region replaced by the one the follow-up names
    (every mention of it: "Which Egyptian agency signed Egypt's agreement?" -> both)."""
    tokens = previous.tokens
    kinds = [
        ("member", current.members),
        ("country", current.countries),
        ("coalition", current.coalitions),
        ("region", current.regions),
    ]
    new = " ".join(t.raw for t in current.tokens if t.entity)
    for kind, values in kinds:
        if not values:
            continue
        targets = {"member": ("member", "country"), "country": ("member", "country")}.get(kind, (kind,))
        words: list[str] = []
        replaced = False
        for i, t in enumerate(tokens):
            if t.entity and t.entity[0] in targets:
                if not (i > 0 and tokens[i - 1].entity == t.entity):
                    words.append(new)
                replaced = True
            else:
                words.append(t.raw if t.entity or t.kind in ("number", "punct") else t.text)
        if replaced:
            return re.sub(r"\s+([?!.,;:])", r"\1", " ".join(words))
    return f"{re.sub(r'[?!.]+$', '', previous.text)} ({new})"


# Where a message's last question starts: after a sentence's end, or after a comma or dash when a question word
# or an auxiliary opens what follows ("estonia joined in milan right? which place in the line were they",
# "panama has ties to the ilrs, does that make it a member of both?").
_LAST_QUESTION = re.compile(
    r"(?:(?<=[.?!;])(?<![A-Z]\.[A-Z]\.)(?<!\b(?:St|Dr|Mr|Ms|No|vs)\.)\s+|\s*(?:,|\s-+|\s–)\s+(?=(?:and |so |but |then )?(?:in |at |on |from |by |during )?"
    r"(?:(?:who|whom|whose|what|which|"
    r"when|where|why|how)\b|(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would) "
    r"(?:it|that|this|they|there|he|she|we|you|i)\b)))",
    re.I,
)


# What people type after a question that asks nothing ("… is that right cheers", "10th or 11th?!! tia", "anyone?")
_TRAILING_CHAT = frozenset(
    "thanks thank thx ty tia tysm cheers lol lmao lmfao haha hahaha hehe xd pls plz please asap anyone anybody "
    "someone idk ngl tbh rn fr bro bruh guys folks everyone".split()
)


def without_trailing_chat(text: str) -> str:
    """The message without the thanks, laughter and pleas after its question; a question mark among them is
    kept ("when did egypt join?? thx" -> "when did egypt join??")."""
    doubt = _SELF_DOUBT.search(text)
    if doubt and doubt.start() > 0:
        asked = text[: doubt.start()].rstrip()
        text = asked if asked.endswith("?") else f"{asked}?"
    words = list(re.finditer(r"\S+", text))
    end, dropped_mark = len(text), False
    i = len(words) - 1
    while i > 0:
        raw = words[i].group(0)
        word = re.sub(r"[^\w']", "", raw.lower())
        if word == "advance" and i > 1 and words[i - 1].group(0).lower() == "in":
            i -= 1  # "thanks in advance"
        elif word and word not in _TRAILING_CHAT:
            break
        dropped_mark = dropped_mark or "?" in raw
        end = words[i].start()
        i -= 1
    kept = text[:end].rstrip(" ,-–—")
    if not kept.strip():
        return text
    return kept + "?" if dropped_mark and not kept.endswith(("?", "!", ".")) else kept


# The asker doubting themself at the end ("… argentina?? or am i mixing it up 🇦🇷")
_SELF_DOUBT = re.compile(
    r"[\s,.?!]*\b(?:or )?(?:am i|maybe i'?m|i might be|i could be|or i'?m) (?:wrong|mixing|confusing|misremembering|"
    r"mistaken|making|thinking|remembering|off|crazy|tripping)\b[^?]*\??[^\w]*$",
    re.I,
)
# A clause of time that opens a question ("after the duma ratified the deal, who was next?")
_TIME_CLAUSE = re.compile(
    r"(?:after|before|since|once|until|following|by the time|at the time|"
    r"when(?! (?:did|does|do|was|were|is|are|has|have|had|will|would|can|could|should)\b))\b",
    re.I,
)

# "when did egypt join the ilrs and who signed for it": a second question joined by "and", with no comma
_AND_QUESTION = re.compile(
    r"\s+(?=and (?:who|when|where|why|how|what|which)\b(?!\s+(?:and|or)\b)\s+[\w'’]+\s+[\w'’]+)", re.I
)


_OPENS_QUESTION = re.compile(
    r"(?:and |so |but |then |ok |okay )?(?:who|whom|whose|what|whats|what's|which|when|where|why|how|"
    r"is|are|was|were|did|does|do|has|have|had|can|could|will|would)\b",
    re.I,
)


# An aside about what the asker is doing ("comparing it w/ the roscosmos list", "need it for a timeline").
_ASIDE = re.compile(
    r"\s*(?:i'?m |im |i am |just |am )?(?:comparing|checking|asking|trying|wondering|writing|working|doing|"
    r"need|needed|needs|for (?:my|a|our|the) (?:essay|class|homework|project|report|paper|timeline|thesis)|"
    r"i (?:always |often |sometimes |keep |tend to )?(?:mix|mixing|confuse|confusing|forget|forgetting|"
    r"get (?:confused|mixed)))\b",
    re.I,
)
# A remark that reports what someone said ("some site said 40th", "my teacher thinks …"), not a clarification of
# the question ("basic version i mean").
_REPORTED = re.compile(
    r"\b(?:said|says|say|saying|claims?|claimed|reported|reports|heard|read|saw|seen|thinks?|thought|"
    r"told|wrote|writes|mentioned|posted|sounds?|seems?|swears?|swore|insists?|insisted|reckons?|argues?|"
    r"argued|believes?|believed)\b",
    re.I,
)
# The asker's own guess after the question ("pretty sure its a european country", "some conference in russia i
# think"): what they believe, not a condition of what they ask
_GUESS = re.compile(
    r"\b(?:pretty sure|i'?m sure|im sure|i think|i thought|i guess|i believe|i assume|i bet|probably|prob|"
    r"iirc|afaik|if i remember|if i recall|or so|i reckon|my guess)\b",
    re.I,
)
# One name offered after a question as its answer ("… first? argentina??", "maybe brazil?")
_LONE_GUESS = re.compile(
    r"\s*(?:or |maybe |like |was it |is it |prob |probably )?(?:the )?(?!(?:and|also|what|how|then|same|now|but)\b)"
    r"[\w'’.-]+(?: [\w'’.-]+){0,2}\s*[?!.]*\s*",
    re.I,
)


def _guessed(reader: QuestionReader, question: str, tail: str) -> bool:
    """`tail` only offers an answer to `question` ("which south american country signed first? argentina??"): a
    name of the kind asked for, after a question that names none."""
    if not _LONE_GUESS.fullmatch(tail):
        return False
    guessed = reader.read(tail)
    asked = reader.read(question)
    return (
        bool(guessed.members or guessed.countries)
        and not any(t.kind in ("content", "number") and not t.entity for t in guessed.tokens)
        and asked.wh in ("which", "who", "what")
        and not (asked.members or asked.countries)
    )


# The answers the asker offers after the question ("… the what-th? 10th or 11th?", "where did they sign it? bangkok
# or washington"): part of the question, not a question of its own
_OPTIONS = re.compile(
    r"(?:or |like |maybe |either )?(?:the |in |on )?[\w'’-]+(?: [\w'’-]+)?,? or (?:the |in |on )?[\w'’-]+"
    r"(?: [\w'’-]+)?\s*\??",
    re.I,
)
_LEAVES_OUT = re.compile(
    r"(?:and |but )?(?:not counting|excluding|except|apart from|aside from|other than|besides|"
    r"ignoring|leaving out|without counting|not including)\b",
    re.I,
)
_BECAUSE = re.compile(r"\s+(?:because|bc|cuz|coz|since|as|cause|'cause)\b", re.I)


# A tail that goes on with the question rather than remarking on it ("only the ones that signed", "and when")
_CONTINUES = re.compile(
    r"^\W*(?:and|or|but|only|just|not|excluding|except|without|including|in|on|by|from|since|before|after|"
    r"during|with|as|also|plus|what|which|who|when|where|how|why|is|are|was|were|did|do|does)\b",
    re.I,
)


# "… no wait i meant the ilrs": the asker corrects a name just typed ("i mean" alone is often a filler, so it needs
# a word that takes back what was said before it)
_CORRECTION = re.compile(
    r"(?P<back>(?:\b(?:no+|nah|oops|sorry|wait|err?|um+|actually|my bad)\b[\s,.!…]*){0,3})"
    r"\bi (?P<verb>meant|mean)\b[\s,:]*"
    r"|(?:\s+[—–-]+\s*|[,.!?]+\s+)(?:sorry|oops|my bad|err|correction)\b[\s,:]+(?!i mean)",  # "the ilrs — sorry, the accords!!"
    re.I,
)
_WH_START = frozenset("which what who whom whose when where how did does do is are was were has have".split())
_BACK_TO = frozenset("that this it they them".split())


def _entity_runs(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each run of tokens naming one coalition, member or country."""
    runs: list[tuple[int, int, str]] = []
    for i, t in enumerate(tokens):
        if t.entity is None or t.entity[0] not in ("coalition", "member", "country"):
            continue
        kind = "coalition" if t.entity[0] == "coalition" else "member"
        if runs and runs[-1][1] == i and tokens[i - 1].entity == t.entity:
            runs[-1] = (runs[-1][0], i + 1, kind)
        else:
            runs.append((i, i + 1, kind))
    return runs


def corrected(reader: QuestionReader, text: str) -> str:
    """A message whose asker took back a name ("who started the artemis accords... no wait i meant the ilrs, which
    two countries started that one") as the question meant: the question after the correction with the new name for
    its "that one", or the question before it with the name replaced. Unchanged when nothing named is corrected."""
    found = _CORRECTION.search(text)
    if found is None or (
        (found.group("verb") or "").lower() == "mean" and not (found.group("back") or "").strip()
    ):
        return text
    before = reader.read(text[: found.start()]).tokens
    after = reader.read(text[found.end() :]).tokens
    new = next(iter(_entity_runs(after)), None)
    if new is None or any(t.kind not in ("function", "punct") for t in after[: new[0]]):
        return text
    old = [r for r in _entity_runs(before) if r[2] == new[2]]
    if not old:
        return text
    name = [t.text for t in after[new[0] : new[1]]]
    rest = [t.text for t in after[new[1] :]]
    while rest and not rest[0][0].isalnum():
        rest = rest[1:]
    if rest and rest[0] in _WH_START and any(w in _BACK_TO for w in rest):
        at = next(i for i, w in enumerate(rest) if w in _BACK_TO)
        span = 2 if at + 1 < len(rest) and rest[at] in ("that", "this") and rest[at + 1] == "one" else 1
        words = rest[:at] + name + rest[at + span :]
    else:
        start, end, _ = old[-1]
        words = [t.text for t in before[:start]] + name + [t.text for t in before[end:]] + rest
    return re.sub(r"\s+([?!.,;:])", r"\1", " ".join(words)).strip()


def read_message(
    reader: QuestionReader, text: str, context: str | None = None, recall: Recall | None = None
) -> Query:
    """A message read as the question it asks. When its last question leans on what the message said before
    ("... right? which place in the line were they", "I saw a site saying X signed for Senegal. Who actually
    signed?"), the earlier part is its context, like a previous question in a thread; otherwise the previous
    question in the thread (`context`) is."""
    marked = strip_markup(text)
    stripped = reader.without_asides(marked)  # "(the first one held face to face)": a description
    if stripped != marked:
        text = stripped
    claimed = person_claim(stripped)
    if claimed != stripped:
        text = stripped = (
            claimed  # "my friend reckons …. is that correct?": one claim to check, not two messages
        )
    fixed = corrected(reader, stripped)
    if fixed != stripped:
        text = stripped = fixed  # "… no wait i meant the ilrs": the question as corrected
    made = None if context else _MADE_MEMBER.search(text)
    if made:
        # "did the attendance of italian experts at the zhuhai seminar make italy … a member of the ilrs": whether
        # that member is one, which the registry says, whatever the question says happened
        maker = reader.read(made.group("who"))
        names = maker.members + maker.countries
        into = reader.read(text[made.end() :]).coalitions
        if len(names) == 1 and len(into) == 1:
            query = reader.read(f"is {_display(maker, names[0])} a member of {_NAMES[into[0]]}?")
            query.raw = text
            return query
    plain = without_trailing_chat(stripped)
    if plain != stripped:
        text = plain  # "… is that right cheers": read as "… is that right"
    parts = [p.strip() for p in _LAST_QUESTION.split(plain) if p and p.strip()]
    if len(parts) == 2 and _TIME_CLAUSE.match(parts[0]) and not parts[0].endswith("?"):
        parts = [plain]  # "after the duma ratified the deal, who was the next country in?": one question
    asking = [i for i, p in enumerate(parts) if p.endswith("?") or _OPENS_QUESTION.match(p)]
    if (
        len(parts) >= 2
        and _OPTIONS.fullmatch(parts[-1])
        and len(asking) >= 2
        and asking[-2] == len(parts) - 2
    ):
        # "nicaragua was the what-th country? 10th or 11th?": the guesses belong to the question before them
        parts = parts[:-2] + [f"{parts[-2].rstrip('?').rstrip()} {parts[-1]}"]
        text = " ".join(parts)
        asking = [i for i, p in enumerate(parts) if p.endswith("?") or _OPENS_QUESTION.match(p)]
    if (
        asking
        and asking[-1] < len(parts) - 1
        and (_LEAVES_OUT.match(parts[asking[-1] + 1]) or _OPTIONS.fullmatch(parts[asking[-1] + 1]))
    ):
        # "most recent european signatory? not counting latvia bc thats pending": the question's own exclusion
        # (its reason set aside)
        left_out = _BECAUSE.split(parts[asking[-1] + 1])[0]
        parts = (
            parts[: asking[-1]]
            + [f"{parts[asking[-1]].rstrip('?').rstrip()} {left_out}"]
            + parts[asking[-1] + 2 :]
        )
        text = " ".join(parts)
        asking = [i for i, p in enumerate(parts) if p.endswith("?") or _OPENS_QUESTION.match(p)] or [
            len(parts) - 1
        ]
    if len(parts) >= 2 and _guessed(reader, " ".join(parts[:-1]), parts[-1]):
        # "which south american country got into the accords first? argentina??": a guess at the answer, which the
        # answer confirms or corrects, not a second subject
        parts = parts[:-1]
        text = " ".join(parts)
        asking = [i for i, p in enumerate(parts) if p.endswith("?") or _OPENS_QUESTION.match(p)]
    if asking and asking[-1] < len(parts) - 1:
        # "senegal artemis accords number? some site said 40th which sounds off": a remark after the question
        # that names nothing new is set aside
        remark = reader.read(" ".join(parts[asking[-1] + 1 :]))
        asked = reader.read(" ".join(parts[: asking[-1] + 1]))
        tail = " ".join(parts[asking[-1] + 1 :])
        reported = (
            _REPORTED.search(tail)
            or not any(t.kind in ("content", "number", "name") for t in remark.tokens)
            or (
                # "which 3 countries signed in april 2024? making a timeline lol": a remark that names no member,
                # coalition, place, number or time, after a whole question, says why it is asked, not what
                not any(t.entity or t.kind in ("number", "name") for t in remark.tokens)
                and remark.time.empty
                and not remark.future
                and asked.wh in ("which", "who", "what", "when", "how_many", "where")
                and not needs_context(asked)
                and not _CONTINUES.match(tail)
                and not re.search(r"\b(?:which|what|who|whom|whose|when|where|how|why)\b", tail, re.I)
                # "need the minister's name pls", "just the number": what kind of answer is wanted
                and not re.search(
                    r"\b(?:name|names|number|numbers|date|dates|day|year|list|count|total|minister|person|"
                    r"people|official|agency|company|exact|full|all|only|order|countries|orgs|organi[sz]ations|both)\b",
                    tail,
                    re.I,
                )
            )
        )
        aside = bool(_ASIDE.match(" ".join(parts[asking[-1] + 1 :]))) and bool(asked.coalitions)
        guess = bool(_GUESS.search(" ".join(parts[asking[-1] + 1 :]))) and bool(
            asked.coalitions or asked.members or asked.countries
        )
        hearsay = (
            aside
            or guess
            or bool(_REPORTED.search(" ".join(parts[asking[-1] + 1 :])))
            and bool(
                (asked.members or asked.countries or asked.regions or asked.wh in ("who", "which", "what"))
                and (asked.coalitions or asked.membership)
            )
        )  # "which south asian countries are in the accords? my cousin says only india": the claim is not asked
        if hearsay or (
            reported
            and not (
                set(remark.members + remark.countries + remark.coalitions + remark.regions)
                - set(asked.members + asked.countries + asked.coalitions + asked.regions)
            )
        ):
            parts = parts[: asking[-1] + 1]
            text = " ".join(parts)
    if (
        len(parts) >= 2
        and not _TAG_QUESTION.fullmatch(parts[-1])
        and (parts[-1].endswith("?") or _OPENS_QUESTION.match(parts[-1]))
    ):
        last = reader.read(parts[-1])
        before = reader.read(" ".join(parts[:-1]))
        # a statement or a claim before it ("estonia joined in milan right?"), not a question of its own ("how
        # did venezuela sign, was it in person?"), and a last question that asks something of its own ("what
        # are they" after "bahrain has 3 dates" asks about the dates, which the whole message says)
        statement = not any(_OPENS_QUESTION.match(reader.read(p).text) for p in parts[:-1])
        own = [t for t in last.tokens if t.kind in ("content", "number") and not t.entity]
        named_before = (
            statement
            and bool(own)
            and bool(before.members or before.countries or before.coalitions or before.regions)
        )
        leans = any(_refers(last.tokens, i) for i in range(len(last.tokens))) and not (
            last.members or last.countries
        )
        names_nothing = not (
            before.members
            or before.countries
            or before.coalitions
            or before.regions
            or before.named_events
            or before.unknown_names
            or any(t.kind in ("number", "content", "name") for t in before.tokens)
        )  # "among the countries in both coalitions, which one …" names what is asked about
        if statement and names_nothing and not any(_refers(last.tokens, i) for i in range(len(last.tokens))):
            # "ngl kinda surprised anyone is in both. which country was first to be in the accords and the ilrs":
            # a remark that names nothing, then a whole question
            query = reader.read(parts[-1])
            if context:
                query = resolve(query, reader.read(context), reader, recall)
            query.raw = text
            return query
        if statement and before.ordinal and _swap_ordinal(before, last):
            # "bangladesh was the 2nd south asian country to sign, who was first": the statement's question,
            # at the position asked
            said = _swap_ordinal(before, last) or ""
            asked_as = re.sub(r"^.*?\b(was|is|were|became)\b", r"who \1", said, count=1)
            swapped = reader.read(asked_as if asked_as != said else said)
            swapped.raw = text
            return swapped
        if named_before and (
            leans
            or not (last.members or last.countries or last.coalitions or last.regions or last.unknown_names)
        ):
            subjects = [_display(before, m) for m in before.members + before.countries]
            # "uae was a founder, but which gulf country signed next after that": the pronoun is the statement's
            # subject, even where the question names a coalition or region of its own
            resolved = (
                reader.read(_fill(last, " and ".join(subjects)))
                if leans and subjects
                else resolve(last, before, reader)
            )
            coalitions = list(_NAMES) if before.asks_both and not before.coalitions else before.coalitions
            if coalitions and not resolved.coalitions:
                # "Thailand belongs to both lunar coalitions. Which one did it join first?": both are asked about
                resolved = reader.read(f"{resolved.text} ({' or '.join(_NAMES[c] for c in coalitions)})")
            if (
                context
            ):  # "and sweden? was it the same week" after a question about switzerland: the thread too
                resolved = resolve(resolved, reader.read(context), reader, recall)
            resolved.raw = text
            return resolved
    query = reader.read(text)
    if context:
        previous = reader.read(context)
        query = resolve(query, previous, reader, recall)
        # the previous question's coalition, or the Accords when it spoke of signatories
        asked_in = previous.coalitions or (
            ["artemis_accords"] if previous.has("signatory", "signatories", "signed", "sign") else []
        )
        if (
            asked_in
            and not query.coalitions
            and (previous.ordinal or previous.superlative or previous.membership)
            and (query.anchors or query.adjacent or query.ordinal or query.superlative)
        ):
            # "and who came right after them" after "who was the 30th signatory": in the same coalition
            raw = query.raw
            query = reader.read(f"{query.text} ({' or '.join(_NAMES[c] for c in asked_in)})")
            query.raw = raw
    return query


def two_questions(reader: QuestionReader, text: str) -> tuple[str, str] | None:
    """A message that asks two questions ("what day did poland sign, was it at some conference?", "When did
    Djibouti join the ILRS, and what did it sign?"): the two, the second to be read as a follow-up of the first;
    None for one question, a statement with a question, or a question with a remark."""
    parts = [
        p.strip() for p in _LAST_QUESTION.split(without_trailing_chat(strip_markup(text))) if p and p.strip()
    ]
    while len(parts) > 2 and not parts[-1].endswith("?") and not reader.read(parts[-1]).text.strip():
        parts.pop()  # "…? and which treaty are they built on? need this for my essay.": a remark after both
    if len(parts) == 1:
        parts = [p.strip() for p in _AND_QUESTION.split(parts[0], maxsplit=1) if p.strip()]
    if (
        len(parts) != 2
        or _TAG_QUESTION.fullmatch(parts[1])
        or _guessed(reader, parts[0], parts[1])  # "… first? argentina??": a guess at the answer
        or _LEAVES_OUT.match(parts[1])
        or _OPTIONS.fullmatch(parts[1])
    ):
        return None
    first, second = parts
    if _TIME_CLAUSE.match(first) and not first.endswith("?"):
        return None  # "when kazakhstan joined the ilrs, who was the newest signatory": one question
    if not re.search(r"[.?!;]$", first) and re.fullmatch(
        r"(?:which|who|whose)\b[^,?]*,\s*\w[^,]*", second, re.I
    ):
        return None  # "where is nanoSPACE AG, which signed an ILRS memorandum, based?": a clause inside one question
    if re.fullmatch(r"(?:and |or |but )?(?:which|what) \w+(?: \w+)?\??", second.strip(), re.I):
        return None  # "who signed the accords for norway, which minister": the same question, narrowed
    asked = reader.read(first)
    if (
        _TAG_QUESTION.search(first)
        or not _OPENS_QUESTION.match(asked.text)
        or not (second.endswith("?") or _OPENS_QUESTION.match(second))
    ):
        return (
            None  # a claim, a statement or chatter first: read_message reads it as the second one's context
        )
    if not (
        asked.members
        or asked.countries
        or asked.coalitions
        or asked.regions
        or any(t.kind in ("content", "number") for t in asked.tokens)
    ):
        return None  # "hi there? how many …": chatter first
    return first, second
