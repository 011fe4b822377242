"""Discord-style perturbations of evaluation questions: chatter, mentions, emoji, lower case and typos.

Each perturbation kind turns a question into what a Discord user might really type, so that an evaluation
can check the bot still gives the same answer.  Every phrase, emoji and mention comes from one of two
disjoint pools: "tuning" (for the people who tune the bot) and "test" (held out; defined at the very end of
this file, below a banner, so that a reader can stop before it).  Pure standard library, no I/O.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

Pool = Mapping[str, tuple[str, ...]]
Perturbation = Callable[[str, random.Random, str, Sequence[str]], str | None]
T = TypeVar("T")

POOL_KEYS = (
    "chatter_prefixes",
    "chatter_suffixes",
    "greetings",
    "emoji",
    "custom_emoji",
    "user_mentions",
    "role_mentions",
    "channel_mentions",
    "broadcast_mentions",
)

# --------------------------------------------------------------------------------------------------------
# Word lists used by the typo kinds (shared by both pools: they are not perturbation material).
# --------------------------------------------------------------------------------------------------------

STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are aren arent as at be because been before being
    below between both but by can cant cannot could couldnt did didnt do does doesnt doing dont down during
    each few for from further had hadnt has hasnt have havent having he hed hes her here heres hers herself
    him himself his how hows i id ill im ive if in into is isnt it its itself lets me more most mustnt my
    myself no nor not of off on once only or other ought our ours ourselves out over own same shant she
    shed shes should shouldnt so some such than that thats the their theirs them themselves then there
    theres these they theyd theyll theyre theyve this those through to too under until up very was wasnt
    we wed were werent weve what whats when whens where wheres which while who whos whom why whys will
    with wont would wouldnt you youd youll youre youve your yours yourself yourselves also just now
    still yet ever even already since whether though although however within without across along among
    around behind beyond upon onto toward towards whose whom whatever whenever wherever whichever whoever
    someone somebody something anyone anybody anything everyone everybody everything nothing nobody
    """.split()
)

# Common English words a typo should not turn a word into (plus a few words of this bot's domain).
COMMON_WORDS: frozenset[str] = STOP_WORDS | frozenset(
    """
    able act add age ago agree air all allow almost alone already always among amount and animal answer
    any appear apply area argue arm army around art ask away back bad bag ball bank bar base basic be bear
    beat bed begin best better big bill bit black blood blue board body book born both box boy break bring
    brother build business buy call came camp car card care carry case cat catch cause cell center central
    certain chair chance change charge check child choice choose church citizen city civil claim class
    clear close coach cold come common cost could court cover create crime cup current cut dark data date
    daughter day dead deal death debate decide deep degree deny design detail die diet dinner direction
    doctor dog door draw dream drive drop drug early east easy eat economy edge effect eight either else
    end enjoy enough enter entire every exist expect eye face fact fail fall family far fast father fear
    feel feet field fight figure file fill film final find fine finger finish fire firm first fish five
    floor fly focus follow food foot force form four free friend front full fund game garden gas get girl
    give glass goal good great green ground group grow growth guess gun guy hair half hand hang happen
    happy hard hat head health hear heart heat heavy help high hill hit hold home hope horse hot hotel
    hour house huge human hurt idea image imagine impact include income indeed indicate inside instead
    into issue item job join joint just keep key kid kill kind king kitchen know land language large last
    late later laugh law lawyer lay lead leader learn least leave left leg legal less letter level lie
    life light like likely line list listen little live local long look lose loss lot love low machine
    main maintain major make man manage many market marriage matter may maybe mean measure media meet
    meeting member memory mention message method middle might military milk million mind minute miss
    model modern moment money month moon morning mother mouth move movie much music must name nation
    national natural nature near nearly need network never new news next nice night none north note
    nothing notice number occur offer office officer official often oil old once one open operation
    option order organ other others outside owner page pain paper parent part party pass past patient
    pay peace people per perhaps period person phone pick picture piece place plan plant play player
    point police policy poor popular position power practice prepare present press pretty prevent price
    private probably problem process produce product program project prove provide public pull purpose
    push put quality question quickly quite race radio raise range rate rather reach read ready real
    reality realize really reason receive recent record red reduce region relate remain remember remove
    report require research resource respond rest result return reveal rich right rise risk road rock
    role room rule run safe same save say scene school science score sea season seat second section
    security see seek seem sell send sense series serious serve service set seven several shake share
    shoot short shot show side sign signal signed significant similar simple simply sing singer single
    sister sit site six size skill skin small smile social society soldier some son song soon sort sound
    source south space speak special speech spend sport spring staff stage stand standard star start
    state station stay step stock stop store story street strong student study stuff style subject
    success suffer suggest summer support sure system table take talk task tax teach teacher team tell
    ten term test than thank theory thing think third thought thousand threat three throw thus time
    today together tonight total tough town trade train travel treat tree trial trip trouble true truth
    try turn two type unit upon use usually value various view visit voice vote wait walk wall want war
    watch water way weapon wear week weight well west western white whole wide wife win wind window wish
    woman wonder word work worker world worry write writer wrong yard yeah year yes young accord accords
    sign signs signing member members country countries moon lunar station agree agreed treaty treaties
    pact pacts join joins joined launch launched space base mission missions nasa date dates month months
    cord cords lord acres scare scores sides sighed singed sigh lion loin rout route tries trie untie
    unties joint joints sing signer deal dealt dear meant mean means rear read reads roads road
    """.split()
)

# Neighbouring keys on a QWERTY keyboard (same row and the diagonals).
QWERTY_NEIGHBOURS: dict[str, str] = {
    "q": "wa",
    "w": "qeas",
    "e": "wrsd",
    "r": "etdf",
    "t": "ryfg",
    "y": "tugh",
    "u": "yihj",
    "i": "uojk",
    "o": "ipkl",
    "p": "ol",
    "a": "qwsz",
    "s": "awedxz",
    "d": "serfcx",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "z": "asx",
    "x": "zsdc",
    "c": "xdfv",
    "v": "cfgb",
    "b": "vghn",
    "n": "bhjm",
    "m": "njk",
}

_LETTERS = r"[^\W\d_]+"
_WORD_RE = re.compile(r"(?<![\w'’@#/:.-])" + _LETTERS + r"(?![\w'’/-])")
_MARKUP_RE = re.compile(r"<a?:\w+:\d+>|<@[!&]?\d+>|<#\d+>|@everyone|@here|https?://\S+")
_TRAILING_PUNCT_RE = re.compile(r"[\s?!.？！。…]+$")
_MIN_COMMON_WORD = 5
_MIN_NAME_WORD = 4
_MIN_DROP_WORD = 5  # "ILRS" -> "IRS" reads as another acronym, not a typo
_TYPO_WEIGHTS = {"swap": 30, "drop": 25, "double": 15, "neighbour": 30}
_SHORT_TYPO_WEIGHTS = {"swap": 55, "drop": 15, "double": 10, "neighbour": 20}  # acronyms, short names

# Separators between a chatter prefix and the question, and between the question and a chatter suffix.
_PREFIX_SEPS = ((" ", 34), (", ", 20), ("... ", 10), ("? ", 8), ("!! ", 6), (": ", 8), (" - ", 5), ("! ", 9))
_SUFFIX_SEPS_BARE = ((" ", 40), ("? ", 20), ("?? ", 8), ("... ", 10), (", ", 12), (" - ", 5), ("!! ", 5))
_SUFFIX_SEPS_AFTER_QMARK = ((" ", 80), ("? ", 10), ("!! ", 10))
_SUFFIX_ENDINGS = (("", 80), ("!", 7), ("!!", 5), (" :)", 4), ("...", 4))


def _weighted(rng: random.Random, choices: Sequence[tuple[T, int]]) -> T:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _pool(name: str) -> Pool:
    try:
        return POOLS[name]
    except KeyError:
        raise ValueError(f"unknown pool {name!r}; expected one of {sorted(POOLS)}") from None


# --------------------------------------------------------------------------------------------------------
# Typos
# --------------------------------------------------------------------------------------------------------


def _typo_candidates(word: str) -> dict[str, list[str]]:
    """All one-edit typos of `word` that keep its first letter, grouped by kind of edit."""
    n = len(word)
    out: dict[str, list[str]] = {"swap": [], "drop": [], "double": [], "neighbour": []}
    for i in range(1, n - 1):
        if word[i].lower() != word[i + 1].lower():
            out["swap"].append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    for i in range(1, n if n >= _MIN_DROP_WORD else 1):
        if i == n - 1 and word[i].lower() == "s":
            continue  # dropping a plural "s" reads as a real word, not a typo
        out["drop"].append(word[:i] + word[i + 1 :])
    for i in range(1, n):
        out["double"].append(word[: i + 1] + word[i] + word[i + 1 :])
    for i in range(1, n):
        for key in QWERTY_NEIGHBOURS.get(word[i].lower(), ""):
            out["neighbour"].append(word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1 :])
    return out


def _make_typo(word: str, rng: random.Random, avoid: frozenset[str] | set[str]) -> str | None:
    """One realistic typo of `word` that is not a common word, or None when there is none."""
    valid: dict[str, list[str]] = {}
    for kind, results in _typo_candidates(word).items():
        kept = sorted({r for r in results if r.lower() != word.lower() and r.lower() not in avoid})
        if kept:
            valid[kind] = kept
    if not valid:
        return None
    weights = _SHORT_TYPO_WEIGHTS if word.isupper() or len(word) < _MIN_DROP_WORD else _TYPO_WEIGHTS
    kinds = sorted(valid)
    kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
    return rng.choice(valid[kind])


def _apply_typo(
    question: str, rng: random.Random, spans: list[tuple[int, int]], names: Sequence[str]
) -> str | None:
    """Put one typo in one of the word spans (tried in random order)."""
    avoid = set(COMMON_WORDS) | {n.lower() for n in names} | {w.lower() for n in names for w in n.split()}
    spans = list(spans)
    rng.shuffle(spans)
    for start, end in spans:
        typo = _make_typo(question[start:end], rng, avoid)
        if typo is not None:
            return question[:start] + typo + question[end:]
    return None


def _markup_spans(question: str) -> list[tuple[int, int]]:
    return [m.span() for m in _MARKUP_RE.finditer(question)]


def _overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)


def _name_spans(question: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Where the names occur in the question, as whole words, case-insensitively."""
    spans: list[tuple[int, int]] = []
    for name in names:
        parts = name.split()
        if not parts:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(p) for p in parts) + r"(?!\w)"
        spans.extend(m.span() for m in re.finditer(pattern, question, flags=re.IGNORECASE))
    return spans


def _sentence_start(question: str, start: int) -> bool:
    before = question[:start].rstrip()
    return not before or before[-1] in ".?!"


def _common_word_spans(question: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of content words a typo may touch: long, lower case, not a name, stop word or markup."""
    blocked = _name_spans(question, names) + _markup_spans(question)
    name_words = {w.lower() for n in names for w in n.split()}
    spans = []
    for m in _WORD_RE.finditer(question):
        word = m.group()
        if len(word) < _MIN_COMMON_WORD or word.lower() in STOP_WORDS or word.lower() in name_words:
            continue
        if _overlaps(m.span(), blocked):
            continue
        if any(c.isupper() for c in word) and not (
            word[1:].islower() and _sentence_start(question, m.start())
        ):
            continue  # capitals mid-sentence mark a name or an acronym
        spans.append(m.span())
    return spans


def _name_word_spans(question: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of the words (length >= 4) inside the names that occur in the question."""
    markup = _markup_spans(question)
    spans: set[tuple[int, int]] = set()
    for start, end in _name_spans(question, names):
        if _overlaps((start, end), markup):
            continue
        for m in re.finditer(_LETTERS, question[start:end]):
            if len(m.group()) >= _MIN_NAME_WORD:
                spans.add((start + m.start(), start + m.end()))
    return sorted(spans)


def typo_common(question: str, rng: random.Random, pool: str, names: Sequence[str]) -> str | None:
    """One typo in one common content word (length >= 5, not a name or stop word), or None."""
    return _apply_typo(question, rng, _common_word_spans(question, names), names)


def typo_name(question: str, rng: random.Random, pool: str, names: Sequence[str]) -> str | None:
    """One typo in one name from `names` found in the question, keeping its first letter, or None."""
    return _apply_typo(question, rng, _name_word_spans(question, names), names)


# --------------------------------------------------------------------------------------------------------
# Lower case, chatter, mentions, emoji
# --------------------------------------------------------------------------------------------------------


def _lower_strip(question: str, rng: random.Random) -> str:
    text = _TRAILING_PUNCT_RE.sub("", question.strip().lower())
    if rng.random() < 0.5:
        text = re.sub(r"['’]", "", text)
    if rng.random() < 0.3:
        text = re.sub(r",(?=\s)", "", text)
    if text == question:
        text = re.sub(r"['’]", "", text)
    return text


def lower_no_punct(question: str, rng: random.Random, pool: str, names: Sequence[str]) -> str | None:
    """Lower-cased, trailing ?/!/. removed, sometimes apostrophes/commas dropped; None if unchanged."""
    text = _lower_strip(question, rng)
    return None if text == question else text


def _add_chatter(question: str, rng: random.Random, pool: Pool, lower: bool = False) -> str:
    where = _weighted(rng, (("before", 40), ("after", 35), ("both", 25)))
    text = question
    if where in ("before", "both"):
        phrase = rng.choice(pool["chatter_prefixes"])
        seps: Sequence[tuple[str, int]] = _PREFIX_SEPS
        if phrase in pool["greetings"]:  # "hey, when…" and "hey!! when…" but not "hey? when…"
            seps = [(sep, w) for sep, w in _PREFIX_SEPS if sep not in ("? ", ": ")]
        sep = " " if phrase[-1] in "?!.,:" else _weighted(rng, seps)
        if question[:1].isupper() and not lower and rng.random() < 0.5:
            phrase = phrase[0].upper() + phrase[1:]
        text = phrase + sep + text
    if where in ("after", "both"):
        phrase = rng.choice(pool["chatter_suffixes"])
        stripped = text.rstrip()
        if stripped[-1:] == "?":
            sep = _weighted(rng, _SUFFIX_SEPS_AFTER_QMARK)
        elif stripped[-1:] in ("!", "."):
            sep = " "
        else:
            sep = _weighted(rng, _SUFFIX_SEPS_BARE)
        ending = "" if phrase[-1] in "?!." else _weighted(rng, _SUFFIX_ENDINGS)
        text = stripped + sep + phrase + ending
    return text.lower() if lower else text


def chatter(question: str, rng: random.Random, pool: str, names: Sequence[str]) -> str | None:
    """A chatter phrase before and/or after the question, with or without punctuation between."""
    return _add_chatter(question, rng, _pool(pool))


def _add_mention(question: str, rng: random.Random, pool: Pool) -> str:
    kind = _weighted(
        rng,
        (("user_mentions", 45), ("role_mentions", 15), ("channel_mentions", 20), ("broadcast_mentions", 20)),
    )
    lead_odds = {
        "user_mentions": 0.75,
        "role_mentions": 0.5,
        "channel_mentions": 0.3,
        "broadcast_mentions": 0.8,
    }
    mention = rng.choice(pool[kind])
    if rng.random() < lead_odds[kind]:
        sep = ", " if kind == "user_mentions" and rng.random() < 0.15 else " "
        return mention + sep + question
    return question.rstrip() + " " + mention


def mention(question: str, rng: random.Random, pool: str, names: Sequence[str]) -> str | None:
    """A Discord mention (user, nickname, role, channel, @everyone/@here) before or after the question."""
    return _add_mention(question, rng, _pool(pool))


def _emoji_glyph(rng: random.Random, pool: Pool) -> str:
    if rng.random() < 0.3:
        return rng.choice(pool["custom_emoji"])
    glyph = rng.choice(pool["emoji"])
    return glyph * _weighted(rng, ((1, 80), (2, 12), (3, 8)))


def _add_emoji(question: str, rng: random.Random, pool: Pool) -> str:
    gaps = [m.start() for m in re.finditer(r"\s+", question.rstrip())]
    inserts: list[tuple[int, str]] = []
    for _ in range(_weighted(rng, ((1, 65), (2, 25), (3, 10)))):
        glyph = _emoji_glyph(rng, pool)
        where = _weighted(rng, (("after", 50), ("before", 20), ("between", 30)))
        if where == "between" and gaps:
            inserts.append((rng.choice(gaps), " " + glyph))
        elif where == "before":
            inserts.append((0, glyph + " "))
        else:
            glued = question.rstrip()[-1:] in "?!." and rng.random() < 0.25
            inserts.append((len(question.rstrip()), glyph if glued else " " + glyph))
    text = question.rstrip()
    for pos, piece in sorted(inserts, key=lambda p: p[0], reverse=True):
        text = text[:pos] + piece + text[pos:]
    return text


def emoji(question: str, rng: random.Random, pool: str, names: Sequence[str]) -> str | None:
    """Unicode and Discord custom emoji before, after or between words (never inside a word)."""
    return _add_emoji(question, rng, _pool(pool))


def combined(question: str, rng: random.Random, pool: str, names: Sequence[str]) -> str | None:
    """One typo, then lower case without trailing punctuation, chatter, and a mention or emoji."""
    chosen = _pool(pool)
    typo_kinds: list[Perturbation] = [typo_common, typo_name]
    rng.shuffle(typo_kinds)
    for typo in typo_kinds:
        text = typo(question, rng, pool, names)
        if text is not None:
            break
    else:
        return None
    text = _add_chatter(_lower_strip(text, rng), rng, chosen, lower=True)
    return _add_mention(text, rng, chosen) if rng.random() < 0.5 else _add_emoji(text, rng, chosen)


PERTURBATIONS: dict[str, Perturbation] = {
    "chatter": chatter,
    "mention": mention,
    "emoji": emoji,
    "lower_no_punct": lower_no_punct,
    "typo_common": typo_common,
    "typo_name": typo_name,
    "combined": combined,
}


def perturb(question: str, kind: str, *, seed: int, pool: str, names: Sequence[str]) -> str | None:
    """The question perturbed by `kind`, deterministically for (question, kind, seed, pool); None if n/a."""
    if kind not in PERTURBATIONS:
        raise ValueError(f"unknown perturbation {kind!r}; expected one of {list(PERTURBATIONS)}")
    _pool(pool)
    if not question.strip():
        return None
    rng = random.Random(f"{seed}:{pool}:{kind}:{question}")
    return PERTURBATIONS[kind](question, rng, pool, names)


def perturbed_copies(
    items: Iterable[Mapping[str, Any]], *, seed: int, pool: str, names: Sequence[str]
) -> list[dict[str, Any]]:
    """One copy per (item, applicable kind), id "<id>~<kind>", question perturbed, other fields copied."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in items:
        if item["id"] in seen:
            raise ValueError(f"duplicate question id {item['id']!r}")
        seen.add(item["id"])
        for kind in PERTURBATIONS:
            text = perturb(item["question"], kind, seed=seed, pool=pool, names=names)
            if text is None:
                continue
            copied = copy.deepcopy(dict(item))
            copied.update(id=f"{item['id']}~{kind}", question=text, perturbation=kind)
            out.append(copied)
    return out


# ========================================================================================================
# TUNING POOL: the only pool whose phrases and outputs the people tuning the bot may look at.
# ========================================================================================================

TUNING_POOL: dict[str, tuple[str, ...]] = {
    "chatter_prefixes": (
        "hey",
        "hi all",
        "quick q",
        "yo",
        "ok so",
        "hey guys",
        "random question but",
        "sorry if this is a dumb question",
        "can someone tell me",
        "real quick",
        "hello",
        "question",
        "so",
        "good morning",
        "anyone know",
        "for my essay",
        "need help",
        "hiya",
    ),
    # The chatter prefixes above that are greetings (they take no "?" or ":" after them).
    "greetings": ("hey", "hi all", "yo", "hey guys", "hello", "good morning", "hiya"),
    "chatter_suffixes": (
        "thx",
        "lol",
        "pls",
        "thanks in advance",
        "cheers",
        "idk",
        "asap",
        "i cant find it",
        "google isnt helping",
        "or am i wrong",
        "haha",
        "need it for a project",
        "tia",
        "anyone?",
        "plz",
        "thank you!",
        "for a report",
        "just curious",
    ),
    "emoji": ("🚀", "🤔", "😅", "🔥", "💯", "😂", "✨", "🧐", "🛰️", "🇨🇳", "🤷‍♂️", "👋🏽", "🌑"),
    "custom_emoji": (
        "<:moon:242644174437289385>",
        "<a:spin:214345169428208148>",
        "<:pepe_think:609779989066668748>",
        "<:kekw:407080222501803723>",
        "<a:rocket_launch:1066468832273356182>",
        "<:blobwave:337630284881991051>",
    ),
    "user_mentions": (
        "<@1010400992860572983>",
        "<@!1010400992860572983>",
        "<@211340922501047376>",
        "<@!317049103772651563>",
        "<@595060305201024757>",
    ),
    "role_mentions": ("<@&298180833559400664>", "<@&1064239345433405274>"),
    "channel_mentions": ("<#654931095160884111>", "<#236299543421340198>"),
    "broadcast_mentions": ("@everyone",),
}


# ========================================================================================================
# HELD-OUT TEST POOL: people tuning the bot should stop reading here. Nothing below this line is for
# tuning; it only measures whether what was tuned generalises to unseen phrases, emoji and mentions.
# ========================================================================================================

TEST_POOL: dict[str, tuple[str, ...]] = {
    "chatter_prefixes": (
        "hi",
        "hey everyone",
        "quick question",
        "sup",
        "um ok",
        "heyy",
        "morning all",
        "does anybody know",
        "asking for my class",
        "pls help",
        "dumb question maybe",
        "could someone tell me",
        "hello there",
        "wait",
        "curious",
        "btw",
        "ok quick one",
        "hiii",
    ),
    # The chatter prefixes above that are greetings (they take no "?" or ":" after them).
    "greetings": ("hi", "hey everyone", "sup", "heyy", "morning all", "hello there", "hiii"),
    "chatter_suffixes": (
        "ty",
        "ty in advance",
        "rn",
        "no rush",
        "help",
        "lmao",
        "thank u",
        "for school",
        "cant find it anywhere",
        "if anyone knows",
        "tysm",
        "appreciate it",
        "lmk",
        "pls and thanks",
        "someone?",
        "need it for homework",
        "im confused",
        "thanks so much!",
    ),
    "emoji": ("🌕", "🙏", "👀", "😭", "🥺", "😬", "🤨", "⭐", "🪐", "🇺🇸", "🤦‍♀️", "👍🏼", "🌝"),
    "custom_emoji": (
        "<:lunar:792327333055262383>",
        "<a:catjam:1241660583648773921>",
        "<:thonk:892001014047244999>",
        "<:pog:1134941191365127456>",
        "<a:partyparrot:268789714976685368>",
        "<:sadge:1280436744944324368>",
    ),
    "user_mentions": (
        "<@533201090097304903>",
        "<@!533201090097304903>",
        "<@324659613320311299>",
        "<@!1244653882425193951>",
        "<@1173604807302574831>",
    ),
    "role_mentions": ("<@&933752157391152176>", "<@&672832700226701229>"),
    "channel_mentions": ("<#514513907103462439>", "<#288744808477301755>"),
    "broadcast_mentions": ("@here",),
}

POOLS: dict[str, Pool] = {"tuning": TUNING_POOL, "test": TEST_POOL}
