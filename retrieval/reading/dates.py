"""Dates as people write them in a question, turned into a time frame the registry can filter by.

"1 June 2022", "dec 2023", "2023-12", "last year", "end of 2023", "early 2024", "between 2021 and
2022", "since 2024", "before 2023", "so far", "rn". The phrase itself is parsed by dateparser (which
also knows the period it names: a day, a month or a year); the words around it (by, as of, before,
after, since, in, between … and …, end of, early, mid, late) decide what is meant.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from retrieval.reading.lexicon import NOW_WORDS

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1, "an": 1}
# One date phrase: a day-month-year in either order, a month and year, an ISO date, a year, or a relative phrase.
_PHRASE = re.compile(
    rf"\b(?:{_DAY} (?:of )?{_MONTH},? {_YEAR}|{_MONTH} {_DAY},? {_YEAR}|{_MONTH},? {_YEAR}|{_DAY} (?:of )?{_MONTH}"
    rf"|{_MONTH} {_DAY}(?!\d)|{_YEAR}-\d\d(?:-\d\d)?|(?:last|this|next|past|previous|coming) (?:year|month|decade)"
    rf"|(?:\d+|one|two|three|four|five|six|a|an) (?:years?|months?) ago|yesterday|{_YEAR})\b"
)
_MODIFIER = re.compile(
    r"(?:\b(?:the )?(?P<edge>end|close|start|beginning|middle) of (?:the )?(?:year )?"
    r"|\b(?P<part>early|late|mid)[ -]?(?:in )?"
    r"|\b(?:the )?(?P<half>first|second|1st|2nd) half of )$"
)
_FRAME = re.compile(
    r"\b(?P<word>by|as of|as at|until|till|til|up to|up until|through|thru|before|prior to|after|"
    r"since|from|between|in|during|throughout|over|within|on|at|of)\s*$"
)
_RANGE = re.compile(r"\b(?:between|from) (?P<a>.+?) (?:and|to|until|till|through|-) (?P<b>.+?)$")


@dataclass(frozen=True)
class Period:
    """The span of time one date phrase names."""

    start: dt.date
    end: dt.date
    grain: str  # "day", "month" or "year"
    text: str


@dataclass
class TimeFrame:
    """What a question says about time: an as-of date, a range, or now."""

    as_of: dt.date | None = None  # "by", "as of", "before", "until", "at the end of"
    start: dt.date | None = None  # "since", "after", "in", "during", "between"
    end: dt.date | None = None
    now: bool = False  # "now", "so far", "rn", "currently"
    phrases: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.as_of is None and self.start is None and self.end is None

    @property
    def during_month(self) -> dt.date | None:
        """The first day of the calendar month the range covers exactly, if it is one."""
        if self.start and self.end and self.start.day == 1 and self.end == _month_end(self.start):
            return self.start
        return None

    @property
    def during_year(self) -> int | None:
        """The calendar year the range covers exactly, if it is one."""
        if (
            self.start
            and self.end
            and self.start.year == self.end.year
            and self.start == dt.date(self.start.year, 1, 1)
            and self.end == dt.date(self.end.year, 12, 31)
        ):
            return self.start.year
        return None


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@functools.lru_cache(maxsize=4096)
def _parse(phrase: str, today: dt.date) -> Period | None:
    """One date phrase as a period, relative phrases counted from `today`."""
    if re.fullmatch(_YEAR, phrase):
        year = int(phrase)
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", phrase)
    ago = re.fullmatch(r"(\d+|one|two|three|four|five|six|a|an) (year|month)s? ago", phrase)
    relative = re.fullmatch(r"(last|this|next|past|previous|coming) (year|month|decade)", phrase)
    if relative and relative.group(2) == "decade":
        return None
    from dateparser.date import DateDataParser

    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
            "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    data = parser.get_date_data(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", phrase))
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    grain = data.period or "day"
    if ago or relative:  # "last year", "two years ago": the whole year (or month) meant
        grain = (ago or relative).group(2)  # type: ignore[union-attr]
    if grain == "year":
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year", phrase)
    if grain == "month":
        return Period(day.replace(day=1), _month_end(day), "month", phrase)
    return Period(day, day, "day", phrase)


def _narrow(
    period: Period, edge: str | None, part: str | None, half: str | None
) -> Period | tuple[Period, str]:
    """'end of 2023' -> the last day; 'early 2024' -> its first four months; 'second half of 2024' -> July–December."""
    if edge in ("end", "close"):
        return Period(period.end, period.end, "day", f"the end of {period.text}")
    if edge in ("start", "beginning"):
        return Period(period.start, period.start, "day", f"the start of {period.text}")
    span = (period.end - period.start).days
    if period.grain == "year" and (part or half or edge == "middle"):
        year = period.start.year
        months = {
            "early": (1, 4),
            "mid": (5, 8),
            "middle": (5, 8),
            "late": (9, 12),
            "first": (1, 6),
            "1st": (1, 6),
            "second": (7, 12),
            "2nd": (7, 12),
        }[part or half or edge or "mid"]
        start = dt.date(year, months[0], 1)
        return Period(start, _month_end(dt.date(year, months[1], 1)), "month", period.text)
    if span and part:
        third = span // 3
        if part == "early":
            return Period(period.start, period.start + dt.timedelta(days=third), "day", period.text)
        if part == "late":
            return Period(period.end - dt.timedelta(days=third), period.end, "day", period.text)
        return Period(
            period.start + dt.timedelta(days=third), period.end - dt.timedelta(days=third), "day", period.text
        )
    return period


_OPEN_MONTH = re.compile(
    rf"\b(between|from) ({_MONTH}) (and|to|until|till|through|-) ({_MONTH}),? ({_YEAR})\b"
)


_YEAR_OVER = re.compile(
    r"\b(?:before|by the time|by|until|till) ((?:19|20)\d\d) (?:was|is|had|has)? ?(?:over|ended|ends|finished|"
    r"was out|came to an end|wrapped up|closed)\b"
)


def read_time(text: str, today: dt.date) -> TimeFrame:
    """The time frame a (lower-case, cleaned) question sets."""
    text = _OPEN_MONTH.sub(r"\1 \2 \5 \3 \4 \5", text)  # "between january and september 2025"
    text = _YEAR_OVER.sub(r"by the end of \1", text)  # "before 2023 was over", "by the time 2023 ended"
    frame = TimeFrame()
    padded = f" {text} "
    frame.now = any(f" {w} " in padded for w in NOW_WORDS)
    found: list[tuple[re.Match[str], Period]] = []
    for match in _PHRASE.finditer(text):
        phrase = match.group(0)
        if re.fullmatch(r"may|march", phrase.split(" ")[0]) and not re.search(r"\d", phrase):
            continue
        period = _parse(phrase, today)
        if period is not None:
            found.append((match, period))
            frame.phrases.append(phrase)
    frame.years = sorted({p.start.year for _, p in found} | {p.end.year for _, p in found})
    if not found:
        return frame
    # "between 2021 and 2022", "from March 2022 to June 2023"
    if len(found) >= 2:
        (m1, p1), (m2, p2) = found[0], found[1]
        lead = text[: m1.start()]
        joint = text[m1.end() : m2.start()].strip()
        if re.search(
            r"\b(between|from)\s*(?:the )?(?:end of |start of |early |late |mid )?$", lead
        ) and joint in ("and", "to", "until", "till", "through", "-", "and the end of", "to the end of"):
            frame.start, frame.end = p1.start, p2.end
            return frame
        if re.search(r"\b(in|during|of)\s*$", lead) and joint in ("and", "or", "and in", "or in", "&"):
            frame.start, frame.end = min(p1.start, p2.start), max(p1.end, p2.end)  # "in 2021 and 2022"
            return frame
    match, period = found[-1] if len(found) > 1 and "since" not in text else found[0]
    before = text[: match.start()]
    modifier = _MODIFIER.search(before)
    narrowed = period
    if modifier:
        narrowed = _narrow(period, modifier.group("edge"), modifier.group("part"), modifier.group("half"))  # type: ignore[assignment]
        before = before[: modifier.start()]
    assert isinstance(narrowed, Period)
    word_match = _FRAME.search(before)
    word = word_match.group("word") if word_match else ""
    if word in (
        "by",
        "as of",
        "as at",
        "until",
        "till",
        "til",
        "up to",
        "up until",
        "through",
        "thru",
        "on",
        "at",
    ):
        frame.as_of = narrowed.end
    elif word in ("before", "prior to"):
        frame.as_of = narrowed.start - dt.timedelta(days=1)
    elif word == "after":
        frame.start = narrowed.end + dt.timedelta(days=1)
    elif word == "since":
        frame.start = narrowed.start
    elif word in ("in", "during", "throughout", "over", "within", "from", "of"):
        frame.start, frame.end = narrowed.start, narrowed.end
    elif (
        modifier
        and modifier.group("edge") in ("end", "close", "start", "beginning")
        or narrowed.grain == "day"
    ):
        frame.as_of = narrowed.end
    else:
        frame.start, frame.end = narrowed.start, narrowed.end
    return frame


def human(day: dt.date) -> str:
    """'6 December 2023'."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_QUARTER_WORDS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": 4,
}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_YEAR = r"((?:19|20)\d\d)"


def _span(first: int, last: int, year: str) -> str:
    return f"between {_MONTHS[first - 1]} {year} and {_MONTHS[last - 1]} {year}"


def _two_months(m: re.Match[str]) -> str:
    """'in april and may 2024' as the span from the first month to the second (left alone when they run backwards)."""
    first, second = (_month_number(m.group(i)) for i in (1, 2))
    if not first or not second or second <= first:
        return m.group(0)
    return f"between {m.group(1)} {m.group(3)} and {m.group(2)} {m.group(3)}"


def _month_number(word: str) -> int:
    return next((i + 1 for i, name in enumerate(_MONTHS) if name.startswith(word.lower()[:3])), 0)


def normalise_dates(text: str) -> str:
    """Date forms the date parser does not read, rewritten as ones it does: "Q1 2024", "the second quarter of
    2024", "H1 2024", "spring 2022", "2022 spring", "3/2022", "march '22", "in '23"."""
    text = re.sub(
        rf"\b[qQ]([1-4])\s*(?:of\s+)?{_YEAR}\b",
        lambda m: _span(3 * int(m.group(1)) - 2, 3 * int(m.group(1)), m.group(2)),
        text,
    )
    text = re.sub(
        rf"\b{_YEAR}\s*[qQ]([1-4])\b",
        lambda m: _span(3 * int(m.group(2)) - 2, 3 * int(m.group(2)), m.group(1)),
        text,
    )
    text = re.sub(
        rf"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|last) quarter of\s+{_YEAR}\b",
        lambda m: _span(
            3 * _QUARTER_WORDS[m.group(1).lower()] - 2, 3 * _QUARTER_WORDS[m.group(1).lower()], m.group(2)
        ),
        text,
        flags=re.I,
    )
    text = re.sub(
        rf"\b(?:in |during )({_MONTH})\s*(?:and|or|&|-|–|to|through)\s*({_MONTH}),? ({_YEAR})\b",
        _two_months,
        text,
        flags=re.I,
    )  # "which countries joined in april and may 2024": both months
    text = re.sub(
        rf"\b[hH]([12])\s*(?:of\s+)?{_YEAR}\b",
        lambda m: f"the {'first' if m.group(1) == '1' else 'second'} half of {m.group(2)}",
        text,
    )
    text = re.sub(
        rf"\b(spring|summer|autumn|fall)(?:\s+of)?\s+{_YEAR}\b",
        lambda m: _span(*_SEASONS[m.group(1).lower()], m.group(2)),
        text,
        flags=re.I,
    )
    text = re.sub(
        rf"\b(?:the\s+)?(first|opening|last|final|closing)\s+(?:few\s+|couple\s+(?:of\s+)?|two\s+|three\s+)?"
        rf"(?:days|weeks|months)\s+of\s+(?:the\s+year\s+)?{_YEAR}\b",
        lambda m: f"{'early' if m.group(1).lower() in ('first', 'opening') else 'late'} {m.group(2)}",
        text,
        flags=re.I,
    )  # "in the first few weeks of 2024": early in the year, not its first member
    text = re.sub(
        rf"\b{_YEAR}\s+(spring|summer|autumn|fall)\b",
        lambda m: _span(*_SEASONS[m.group(2).lower()], m.group(1)),
        text,
        flags=re.I,
    )  # "2025 spring signers"
    text = re.sub(
        rf"(?<![\d/])(1[0-2]|0?[1-9])/{_YEAR}\b",
        lambda m: f"{_MONTHS[int(m.group(1)) - 1]} {m.group(2)}",
        text,
    )
    text = re.sub(
        r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)([a-z]*)\.?\s*['’](\d\d)\b",
        lambda m: f"{m.group(1)}{m.group(2)} 20{m.group(3)}",
        text,
        flags=re.I,
    )
    return re.sub(
        r"\b(in|of|since|by|from|until|before|after|during)\s+['’](\d\d)\b", r"\1 20\2", text, flags=re.I
    )


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# What a news report adds to the question's date phrases: a weekday ("on Tuesday", "last Thursday"), a week ("this
# week", "earlier this week"), "today", "two days ago", and a month without its year after a word of time ("in
# October").
_NEWS_PHRASE = re.compile(
    rf"\b(?:(?P<last>last) )?(?P<weekday>{'|'.join(_WEEKDAYS)})\b"
    r"|\b(?P<week>this|last|past) week\b"
    r"|\btoday\b"
    r"|\b(?P<ago>\d+|one|two|three|four|five|six|seven|a) (?P<unit>days?|weeks?) ago\b"
    r"|\b(?:in|during|since|by|of|early|late|mid|until) (?P<month>january|february|march|april|may|june|july|"
    r"august|september|october|november|december)\b(?! \d)"
)


def periods_in(text: str, today: dt.date) -> list[tuple[int, int, Period]]:
    """Every date phrase of a lower-case text with its span and the period it names, relative phrases read
    against `today` (for an article, its publication date): '22 october 2025', '13 november', 'yesterday',
    'last month', 'on tuesday', 'this week', 'in october'. A weekday is the latest such day on or before
    `today` ('last thursday': before it), as news reports use them."""
    found: list[tuple[int, int, Period]] = []
    for match in _PHRASE.finditer(text):
        phrase = match.group(0)
        if re.fullmatch(r"may|march", phrase.split(" ")[0]) and not re.search(r"\d", phrase):
            continue
        period = _parse(phrase, today)
        if period is not None:
            found.append((match.start(), match.end(), period))
    for match in _NEWS_PHRASE.finditer(text):
        if any(start < match.end() and match.start() < end for start, end, _ in found):
            continue
        period = _news_period(match, today)
        if period is not None:
            found.append((match.start(), match.end(), period))
    return sorted(found, key=lambda f: f[0])


def _news_period(match: re.Match[str], today: dt.date) -> Period | None:
    phrase = match.group(0)
    if match.group("weekday"):
        back = (today.weekday() - _WEEKDAYS.index(match.group("weekday"))) % 7
        if match.group("last") and back == 0:
            back = 7
        day = today - dt.timedelta(days=back)
        return Period(day, day, "day", phrase)
    if match.group("week"):
        monday = today - dt.timedelta(days=today.weekday())
        if match.group("week") != "this":
            monday -= dt.timedelta(days=7)
        return Period(monday, monday + dt.timedelta(days=6), "week", phrase)
    if match.group("ago"):
        n = (
            int(match.group("ago"))
            if match.group("ago").isdigit()
            else _NUMBER_WORDS.get(match.group("ago"), 7)
        )
        if match.group("unit").startswith("day"):
            day = today - dt.timedelta(days=n)
            return Period(day, day, "day", phrase)
        monday = today - dt.timedelta(days=today.weekday() + 7 * n)
        return Period(monday, monday + dt.timedelta(days=6), "week", phrase)
    if match.group("month"):
        return _parse(match.group("month"), today)
    return Period(today, today, "day", phrase)  # today
