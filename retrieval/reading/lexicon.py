"""What a word of a question is worth: grammar, talk about asking, chat shorthand, or signal.

The principle: a word carries signal only if the articles use it, or it names something (a registry
member, a country, a region, a coalition), or it is part of the question's grammar (when, before,
first, how many). Everything else carries no retrieval signal and must not change the answer; what
it may still tell is whether the question is about something the articles never mention (an unknown
name, or an unknown thing asked about), which the reader records for the answerer to weigh.

Spelling is corrected with symspellpy against the corpus's own words and the names above (never
against generic English, which would turn "acords" into "cords"); symspellpy's English frequency
list only tells whether a word is ordinary English, so a real word is not "corrected" into another.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from typing import Any

# Grammar: question words, auxiliaries, pronouns, determiners, prepositions, conjunctions. Kept for the
# question's structure, never weighed as content.
FUNCTION_WORDS = frozenset(
    """
    a about above across after against ago all almost along already also although am among an and another any
    anybody are aren around as at be became because become becomes been before being below between beyond both
    but by can cannot could couldn did didn do does doesn doing done down during each either else ever every
    few for from further had hadn has hasn have haven having he her here hers herself him himself his how
    however i if in into is isn it its itself just least less let many may me might more most much must my
    myself neither no nor not now of off on once one only or other others our ours ourselves out over own
    per rather same shall she should so some such than that the their theirs them themselves then there
    these they this those though through thus till to too toward towards under until up upon us very via
    was wasn we were weren what whatever when whenever where whereas wherever whether which while who whoever
    whom whose why will with within without won would wouldn yet you your yours yourself yourselves
    s t d ll ve re m o y whats what's whos who's wheres when's hows
    exactly exact actually actual really currently officially formally already ever still anymore
    next soon later earlier recently lately ago upcoming meanwhile supposed back immediately directly right
    sooner faster quicker prior well somewhere someplace anywhere everywhere
""".split()
)

# Greetings, part of the talk below ("hi all, …": the "all" belongs to the greeting)
GREETINGS = frozenset("hey hi hello hiya howdy yo sup greetings morning evening afternoon gm gn".split())

# Talk about the asking itself: who asks, why, and how politely. No signal about the world.
DISCOURSE_WORDS = GREETINGS | frozenset(
    """
    thanks thank thankyou thx ty tysm tyvm thnx tnx tia cheers appreciated appreciate advance
    please pls plz plox kindly sorry
    ask asking asked wonder wondering wondered curious know knows knew tell telling explain remind help helping
    give show provide share
    need needed want wanted think thought guess guessing figure remember forgot confused
    question questions quick q qn query dumb stupid silly noob newbie
    essay homework assignment class classes project report school uni university college teacher professor
    exam exams quiz test paper thesis presentation research debate trivia bet argument discussion
    friend friends mate mates buddy dude guys folks everyone everybody anyone anybody someone somebody
    people y'all yall bot bots chat server google chatgpt wikipedia
    lol lmao lmfao rofl haha hahaha hehe xd omg wow oof bruh bro btw imo imho tbh idk afaik iirc fyi ngl
    smh fr frfr srsly hmm hmmm uh um umm ok okay okk alright pog welp yeah yep yup nope ah oh
    real legit honestly seriously basically literally like maybe probably right correct true
""".split()
)

# Chat shorthand spelled out ("u" -> "you"); words mapping to "" are dropped.
SHORTHAND: dict[str, str] = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "n": "and",
    "w": "with",
    "wat": "what",
    "wut": "what",
    "wht": "what",
    "wen": "when",
    "whn": "when",
    "hw": "how",
    "y": "why",
    "cuz": "because",
    "bc": "because",
    "coz": "because",
    "abt": "about",
    "b4": "before",
    "rn": "now",
    "atm": "now",
    "rly": "really",
    "ppl": "people",
    "yr": "year",
    "yrs": "years",
    "num": "number",
    "nr": "number",
    "govt": "government",
    "gov": "government",
    "intl": "international",
    "info": "information",
    "diff": "difference",
    "btwn": "between",
    "til": "until",
    "tho": "though",
    "thru": "through",
    "wich": "which",
    "teh": "the",
    "hte": "the",
    "em": "them",
    "conf": "conference",
    "whic": "which",
    "hows": "how is",
    "whos": "who is",
    "wheres": "where is",
    "whens": "when is",
    "whats": "what is",
    "thats": "that is",
    "theres": "there is",
    "heres": "here is",
    "its'": "its",
    "2day": "today",
    "ctry": "country",
    "ctries": "countries",
    "cntry": "country",
    "mbr": "member",
    "mbrs": "members",
    "accs": "accords",
    "aa": "artemis accords",
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "hafta": "have to",
    "kinda": "kind of",
    "sorta": "sort of",
    "dunno": "do not know",
    "orgs": "organisations",
    "org": "organisation",
    "govts": "governments",
    "dept": "department",
    "agcy": "agency",
    "agncy": "agency",
    "agcys": "agencies",
    "agcies": "agencies",
    "depts": "departments",
    "memo": "memorandum",
    "memos": "memorandums",
    "prez": "president",
    "og": "original",
    "lab": "laboratory",
    "labs": "laboratories",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "hasnt": "has not",
    "havent": "have not",
    "hadnt": "had not",
    "cant": "cannot",
    "couldnt": "could not",
    "wont": "will not",
    "wouldnt": "would not",
    "shouldnt": "should not",
}

# Words that say "now" (answered as of the newest information) or point at the time of asking.
NOW_WORDS = frozenset(
    {
        "now",
        "today",
        "currently",
        "current",
        "presently",
        "present",
        "latest",
        "so far",
        "to date",
        "yet",
        "at the moment",
        "these days",
        "as of now",
        "as of today",
        "nowadays",
    }
)

_ENGLISH_FILE = "frequency_dictionary_en_82_765.txt"


@functools.lru_cache(maxsize=1)
def english_frequencies() -> Mapping[str, int]:
    """How often each ordinary English word occurs (symspellpy's shipped frequency list)."""
    import symspellpy

    path = os.path.join(os.path.dirname(symspellpy.__file__), _ENGLISH_FILE)
    out: dict[str, int] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            word, _, count = line.partition(" ")
            out[word] = int(count)
    return out


class Speller:
    """Corrects a word to the nearest corpus word or name (symspellpy, Damerau distance)."""

    def __init__(
        self,
        corpus_words: Mapping[str, int],
        names: Iterable[str],
        max_words: int = 40_000,
        whole_names: Iterable[str] = (),
        vocabulary: Iterable[str] = (),
    ) -> None:
        """`vocabulary`: the reader's own words, corrected to whether or not the articles use them ("acede")."""
        from symspellpy import SymSpell

        self._english = english_frequencies()
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        # the corpus's commonest words (a bounded dictionary whatever the corpus size), then every name
        # word with a weight above any corpus word, so a close name wins a tie; the question's own grammar
        # and chat words too ("actuallyy", "supopsed"), weighted like a corpus word seen once
        ranked = sorted(
            ((n, w) for w, n in corpus_words.items() if w.isalpha() and len(w) >= 3), reverse=True
        )
        top = ranked[0][0] if ranked else 1
        for count, word in ranked[:max_words]:
            self._symspell.create_dictionary_entry(word, count)
        # in sorted order: symspell's suggestions keep the order words were added, and a set's order changes
        # from one process to the next (a tie must not be broken differently on every start)
        for word in sorted(FUNCTION_WORDS | DISCOURSE_WORDS | set(vocabulary)):
            if len(word) >= 4 and word.isalpha() and word not in corpus_words:
                self._symspell.create_dictionary_entry(word, 1)
        # a name's words get the name bonus, except everyday words inside longer names ("state", "united")
        whole = set(whole_names)
        self.names = {n for n in names if len(n) >= 3 and (n in whole or self._english.get(n, 0) < 5_000_000)}
        for name in sorted(self.names):
            self._symspell.create_dictionary_entry(name, top * 10)
        self._known = {w for _, w in ranked} | self.names
        # words found only inside longer names ("afrika" of "suid afrika"): typed alone, one may be a slip
        self._parts = self.names - whole - {w for _, w in ranked}
        self._whole = whole & self.names
        self._stems: dict[str, list[str]] = {}  # corpus words by their first four letters, for _kin
        for _, w in ranked[:max_words]:
            self._stems.setdefault(w[:4], []).append(w)

    def knows(self, word: str) -> bool:
        return word in self._known

    def name_part(self, word: str) -> bool:
        """Whether the word is known only as part of a longer name ("afrika" of "suid afrika")."""
        return word in self._parts

    def _kin(self, word: str) -> bool:
        """A less common English word whose family the articles use ('ratify' where they say 'ratified',
        'accede' where they say 'acceded'): a typo of it is corrected like a typo of a common word."""
        if len(word) < 5:
            return False
        stem = word[
            : max(5, len(word) - 3)
        ]  # "ratif" of ratify/ratified, "inaugura" of inaugurated/inauguration
        return any(k.startswith(stem) and k != word for k in self._stems.get(stem[:4], ()))

    @functools.lru_cache(maxsize=8192)  # noqa: B019 (one speller per corpus state, few distinct words)
    def correct(self, word: str) -> str | None:
        """The word the writer most likely meant, or None when no correction is safe.

        Candidates are the closest corpus words and names, then ordinary English words (so "rafify" finds
        "ratify" even where the articles only say "ratified"). Among the closest, a name wins, then the
        articles' own word ("fisrt" is "first", not "fist"), then the longest shared beginning (typos come late
        in a word), then the commoner word. A real English word is
        corrected only when the other word is far commoner in English too ("singed" -> "signed", never
        "class" -> "glass"); short words keep their first letter."""
        if word in self._parts:
            return self._part_to_name(word)
        if len(word) < 4 or not word.isalpha() or word in self._known:
            return None
        distance = 1 if len(word) < 7 else 2
        found = {s.term: s for s in self._lookup(self._symspell, word, distance)}

        if len(word) >= 5:
            for s in self._lookup(_english_speller(long=distance > 1), word, distance):
                # only everyday words: a rare word one letter away ("genovia" -> "genova") is likely a name
                # two edits away, only a very common word ("supposed"): "aldoria" is a name, not "astoria"
                if (
                    s.term not in found
                    and (
                        s.count >= (1_000_000 if s.distance < 2 else 5_000_000)
                        or (s.count >= 100_000 and s.distance < 2 and self._kin(s.term))
                    )
                    and s.distance <= min((f.distance for f in found.values()), default=9)
                ):
                    found[s.term] = s
        if not found:
            return self._letters_left_out(word)
        closest = min(s.distance for s in found.values())
        suggestions = [
            s
            for s in found.values()
            if s.distance == closest
            and s.term != word
            and s.term not in self._parts  # "strt" is not "stet" of "independen stet bilong papua niugini"
            and (s.term in self.names or plausible_typo(word, s.term))
        ]
        # people seldom mistype a word's first letter (a swap of the first two is the exception)
        suggestions = [s for s in suggestions if s.term[:1] == word[:1] or s.term[:2] == word[1::-1]]
        # two edits away is a typo of an ordinary word ("supossed") or of a long name with letters swapped or
        # dropped ("lichtenstien", "nicaruaga"), not a name with letters added ("latveria" is not Latvia)
        suggestions = [
            s
            for s in suggestions
            if s.distance < 2
            or s.term not in self.names
            or (abs(len(s.term) - len(word)) <= 1 and len(word) >= 8)
            or (
                len(s.term) == len(word) >= 7 and _slips(word, s.term, 2)
            )  # "accroda": swapped, then a key slip
        ]
        if not suggestions:
            return self._letters_left_out(word)
        best = max(
            suggestions,
            # counts on one scale: for names, how often the articles use them ("ifelands": Iceland, not Ireland);
            # for other words the English list's (the corpus dictionary counts them once: "realy" is "really",
            # not "realty")
            key=lambda s: (
                s.term in self.names,
                s.term in self._known,
                _shared_start(word, s.term),
                s.count if s.term in self.names else self._english.get(s.term, s.count),
            ),
        )
        english = self._english.get(word, 0)
        if not english and word.endswith("s") and not word.endswith("ss") and word[:-1] != best.term:
            english = self._english.get(word[:-1], 0)  # "landers": the plural of a word the list has
        if english and english * 20 >= self._english.get(best.term, 0):
            return None
        if english and plural_of_common(word) and english * 200 >= self._english.get(best.term, 0):
            return None  # "blocs", the plural of a common word, is not a slip for "blocks"
        return str(best.term)

    def _part_to_name(self, word: str) -> str | None:
        """A word known only inside a longer name, typed alone: the one whole name a single slip away ('ilrs
        members from afrika': Africa), else None (it is that name's word)."""
        from symspellpy import Verbosity

        if len(word) < 5:
            return None
        fits = {
            s.term
            for s in self._symspell.lookup(word, Verbosity.ALL, max_edit_distance=1, transfer_casing=False)
            if s.term in self._whole and s.term[:1] == word[:1] and _strict_slip(word, s.term)
        }
        return str(next(iter(fits))) if len(fits) == 1 else None

    def _letters_left_out(self, word: str) -> str | None:
        """'pakisn', 'kazakstn': a name typed fast with two of its letters left out (a made-up name such as
        'latveria' adds letters instead), when exactly one name fits; 'hngray', 'blaurs': a name with two
        letters swapped and one more slip."""
        if len(word) < 5 or self._english.get(word):
            return None
        swapped = {
            s.term
            for s in self._lookup(self._symspell, word, 2)
            if s.term in self.names and s.distance == 2 and _swap_and_slip(word, s.term)
        }
        if len(swapped) == 1:
            return str(next(iter(swapped)))
        fits = {
            s.term
            for s in self._lookup(self._symspell, word, 2)
            if s.term in self.names and len(s.term) == len(word) + 2 and _subsequence(word, s.term)
        }
        return str(next(iter(fits))) if len(fits) == 1 else None

    @staticmethod
    def _lookup(speller: Any, word: str, distance: int) -> list[Any]:
        from symspellpy import Verbosity

        return list(
            speller.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance, transfer_casing=False)
        )

    def correct_to_name(self, word: str) -> str | None:
        """The name one edit away from this word, if exactly one name is ('columbia' -> 'colombia')."""
        from symspellpy import Verbosity

        suggestions = [
            s
            for s in self._symspell.lookup(
                word, Verbosity.CLOSEST, max_edit_distance=1, transfer_casing=False
            )
            if s.term in self.names
        ]
        if (
            len({s.term for s in suggestions}) != 1
            or suggestions[0].term == word
            or suggestions[0].distance == 0
        ):
            return None
        return str(suggestions[0].term)


_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_NEIGHBOURS: dict[str, set[str]] = {}
for _row, _line in enumerate(_KEYBOARD):
    for _col, _key in enumerate(_line):
        near = set()
        for _r in (_row - 1, _row, _row + 1):
            if 0 <= _r < len(_KEYBOARD):
                for _c in (_col - 1, _col, _col + 1):
                    if 0 <= _c < len(_KEYBOARD[_r]):
                        near.add(_KEYBOARD[_r][_c])
        _NEIGHBOURS[_key] = near - {_key}


def plausible_typo(typed: str, meant: str) -> bool:
    """Whether fingers could have typed `typed` for `meant` in one slip: a dropped letter, two letters swapped,
    a doubled letter, or a neighbouring key (a stray 'x' after 'space' is a name, "spacex", not a typo); in a
    long word, two such slips ("accroda" for "accords", "coutnriess" for "countries")."""
    return (
        _strict_slip(typed, meant)
        or _within_distance(typed, meant)
        or (len(meant) >= 7 and _slips(typed, meant, 2))
    )


def _within_distance(typed: str, meant: str) -> bool:
    """What the edit distance its callers checked already allows beyond one slip: two letters changed in a long
    word ("supossed": a letter dropped, another doubled), or letters left out. Only an extra letter must be one
    typed beside its like or a neighbouring key."""
    if len(typed) == len(meant):
        return len(typed) >= 7 and sum(a != b for a, b in zip(typed, meant, strict=True)) == 2
    return len(typed) != len(meant) + 1


def _swap_and_slip(typed: str, meant: str) -> bool:
    """Whether `typed` is `meant` with two neighbouring letters swapped and one more slip ('hngray': Hungary with
    'ar' swapped and the 'u' left out)."""
    if abs(len(typed) - len(meant)) > 1:
        return False
    for i in range(len(typed) - 1):
        if typed[i] != typed[i + 1]:
            unswapped = typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :]
            if unswapped != meant and _strict_slip(unswapped, meant):
                return True
    return False


def _slips(typed: str, meant: str, budget: int) -> bool:
    """Whether `typed` is `meant` after at most `budget` slips, each one `_strict_slip` accepts."""
    if typed == meant:
        return True
    if budget == 0 or abs(len(typed) - len(meant)) > budget:
        return False
    i = next(
        (k for k, (a, b) in enumerate(zip(typed, meant, strict=False)) if a != b), min(len(typed), len(meant))
    )
    tries = []
    if len(typed) > len(meant):  # an extra letter here or just before
        tries += [typed[:k] + typed[k + 1 :] for k in (i - 1, i) if 0 <= k < len(typed)]
    if len(typed) < len(meant):  # a letter left out
        tries.append(typed[:i] + meant[i] + typed[i:])
    if i + 1 < len(typed) and i + 1 < len(meant) and typed[i] == meant[i + 1] and typed[i + 1] == meant[i]:
        tries.append(typed[:i] + meant[i] + meant[i + 1] + typed[i + 2 :])  # two letters swapped
    if i < len(typed) and i < len(meant):
        tries.append(typed[:i] + meant[i] + typed[i + 1 :])  # one wrong letter
    return any(
        _strict_slip(typed, fixed) and _slips(fixed, meant, budget - 1) for fixed in dict.fromkeys(tries)
    )


def _strict_slip(typed: str, meant: str) -> bool:
    """Exactly one slip: an extra letter typed beside its like or a neighbouring key, a dropped letter, two
    neighbouring letters swapped, or one letter changed for a neighbouring key or a like-sounding vowel."""
    if len(typed) == len(meant) + 1:
        for i in range(len(typed)):
            if typed[:i] + typed[i + 1 :] == meant:
                extra = typed[i]
                beside = {typed[i - 1] if i > 0 else "", typed[i + 1] if i + 1 < len(typed) else ""}
                return extra in beside or any(extra in _NEIGHBOURS.get(b, set()) for b in beside if b)
        return False
    if len(typed) == len(meant) - 1:
        return any(meant[:i] + meant[i + 1 :] == typed for i in range(len(meant)))
    if len(typed) != len(meant):
        return False
    diff = [i for i, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
    if len(diff) == 2:  # two letters swapped
        return (
            diff[1] == diff[0] + 1 and typed[diff[0]] == meant[diff[1]] and typed[diff[1]] == meant[diff[0]]
        )
    if len(diff) != 1:
        return False
    a, b = typed[diff[0]], meant[diff[0]]
    beside = {
        typed[diff[0] - 1] if diff[0] > 0 else "",
        typed[diff[0] + 1] if diff[0] + 1 < len(typed) else "",
    }
    if a in beside:
        return True  # the letter beside it typed twice ("actuaaly")
    return a in _NEIGHBOURS.get(b, set()) or {a, b} in (
        {"a", "e"},
        {"e", "i"},
        {"i", "y"},
        {"o", "u"},
        {"c", "k"},
        {"s", "z"},
    )


def _subsequence(short: str, long: str) -> bool:
    """Whether `short` is `long` with letters left out, the first kept ('pakisn' of 'pakistan')."""
    if short[:1] != long[:1]:
        return False
    letters = iter(long)
    return all(c in letters for c in short)


def _shared_start(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@functools.lru_cache(maxsize=2)
def _english_speller(long: bool = False) -> object:
    """The 30,000 commonest English words, one edit away: the fallback for words the corpus never writes; with
    `long`, only the words of six letters or more, two edits away ("supossed" -> "supposed")."""
    from symspellpy import SymSpell

    speller = SymSpell(max_dictionary_edit_distance=2 if long else 1, prefix_length=7)
    ranked = sorted(english_frequencies().items(), key=lambda kv: -kv[1])[:30_000]
    for word, count in ranked:
        if word.isalpha() and len(word) >= (6 if long else 4):
            speller.create_dictionary_entry(word, count)
    return speller


def warm_english() -> None:
    """Build the English fallback spellers (about two seconds, once per process)."""
    _english_speller()
    _english_speller(long=True)


def plural_of_common(word: str) -> bool:
    """A plural of an everyday English word ("blocs"): a word, never a name nobody listed."""
    return len(word) > 3 and word.endswith("s") and is_english(word[:-1], minimum=1_000_000)


def is_english(word: str, minimum: int = 20_000) -> bool:
    """An ordinary English word (not a name nobody uses, not chat slang)."""
    return english_frequencies().get(word, 0) >= minimum
