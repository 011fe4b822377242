"""Perturbations: deterministic, disjoint pools, realistic Discord forms, single-edit typos, copies."""

from __future__ import annotations

import re

import pytest

from retrieval.perturb import (
    COMMON_WORDS,
    PERTURBATIONS,
    POOL_KEYS,
    POOLS,
    STOP_WORDS,
    TEST_POOL,
    TUNING_POOL,
    perturb,
    perturbed_copies,
)

NAMES = [
    "Egypt",
    "ILRS",
    "Artemis",
    "Artemis Accords",
    "Belarus",
    "Thailand",
    "Senegal",
    "South Africa",
    "Saudi Arabia",
    "Pakistan",
    "NASA",
    "CNSA",
    "APSCO",
    "Roscosmos",
    "China",
    "Russia",
    "India",
    "Latvia",
    "Isle of Man",
    "Germany",
    "UAE",
]

QUESTIONS = [
    "When did Egypt join the ILRS?",
    "when did belarus join the ilrs",
    "hey bot, when did egypt sign up to china's moon base project?",
    "what exact date did pakistan join the ILRS",
    "senegal ilrs join date?",
    "how much is the ilrs going to cost",
    "when did south africa get into the ilrs",
    "What's NASA's budget for the Artemis Accords?",
    "When did APSCO sign its ILRS agreement with CNSA?",
    "who won the world cup",
    "when did china and russia sign the ilrs memorandum",
    "When was the ILRS roadmap released?",
    "when did thailand sign the artemis acords",
    "Which countries are in both the Artemis Accords and the ILRS?",
    "someone said germany signed artemis in 2021, is that right? when did germany actually sign",
    "How many countries have signed the Artemis Accords?",
    "how many artemis accords signatories were there at the end of 2024?",
    "when did the isle of man get the artemis accords extended to it",
    "When did Saudi Arabia join Artemis?",
    "whats the weather like in hefei today",
    "who's going to be the 61st artemis signatory",
    "how many african countries have signed the artemis accords",
    "Who leads the ILRS?",
    "who wrote the artemis accords",
    "is india planning to join the ilrs",
    "Did Latvia's cabinet approve joining the accords?",
    "what rocket is china using to launch chang'e-7",
    "how many institutions signed ilrs mous at the tiandu forum in sept 2024",
    "When did the UAE sign the Artemis Accords?",
    "<@1010400992860572983> which countries signed the accords during 2024?",
]
assert len(QUESTIONS) >= 30

NAME_QUESTIONS = [q for q in QUESTIONS if any(n.lower() in q.lower() for n in NAMES if len(n) >= 4)]

MENTION_RE = re.compile(r"<@!?\d{17,20}>|<@&\d{17,20}>|<#\d{17,20}>|@everyone|@here")
SNOWFLAKE_RE = re.compile(r"\d{17,20}")
NAME_WORDS = {w.lower() for n in NAMES for w in n.split()}


def damerau_levenshtein(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _strings(pool: dict[str, tuple[str, ...]]) -> set[str]:
    return {s.lower() for key in POOL_KEYS for s in pool[key]}


def _glyph_re(pool: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    glyphs = sorted(pool["emoji"] + pool["custom_emoji"], key=len, reverse=True)
    return re.compile("|".join(re.escape(g) for g in glyphs))


def _only_changed_word(original: str, perturbed: str) -> tuple[str, str]:
    """The one whitespace-separated word that differs; every other word is kept."""
    before, after = original.split(), perturbed.split()
    assert len(before) == len(after), (original, perturbed)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1, (original, perturbed)
    return changed[0]


def test_there_are_seven_kinds() -> None:
    assert list(PERTURBATIONS) == [
        "chatter",
        "mention",
        "emoji",
        "lower_no_punct",
        "typo_common",
        "typo_name",
        "combined",
    ]


@pytest.mark.parametrize("kind", list(PERTURBATIONS))
@pytest.mark.parametrize("pool", ["tuning", "test"])
def test_same_seed_same_output_and_other_seeds_differ(kind: str, pool: str) -> None:
    first = [perturb(q, kind, seed=1, pool=pool, names=NAMES) for q in QUESTIONS]
    again = [perturb(q, kind, seed=1, pool=pool, names=NAMES) for q in QUESTIONS]
    other = [perturb(q, kind, seed=2, pool=pool, names=NAMES) for q in QUESTIONS]
    assert first == again
    assert sum(a != b for a, b in zip(first, other, strict=True)) >= 1


def test_pool_is_part_of_the_seed_so_the_test_pool_typos_are_not_the_tuning_ones() -> None:
    for kind in ("typo_common", "typo_name", "chatter", "combined"):
        tuning = [perturb(q, kind, seed=0, pool="tuning", names=NAMES) for q in QUESTIONS]
        test = [perturb(q, kind, seed=0, pool="test", names=NAMES) for q in QUESTIONS]
        assert sum(a != b for a, b in zip(tuning, test, strict=True)) >= 5, kind


def test_pools_have_the_same_lists_with_enough_phrases() -> None:
    assert set(POOLS) == {"tuning", "test"}
    assert POOLS["tuning"] is TUNING_POOL and POOLS["test"] is TEST_POOL
    for pool in (TUNING_POOL, TEST_POOL):
        assert set(pool) == set(POOL_KEYS)
        assert all(pool[key] for key in POOL_KEYS)
        assert len(set(pool["chatter_prefixes"])) >= 12
        assert len(set(pool["chatter_suffixes"])) >= 12
        assert set(pool["greetings"]) <= set(pool["chatter_prefixes"])


def test_pools_are_disjoint() -> None:
    for key in POOL_KEYS:
        assert not {s.lower() for s in TUNING_POOL[key]} & {s.lower() for s in TEST_POOL[key]}, key
    # No phrase, emoji or mention of one pool appears anywhere in the other, in any list.
    assert not _strings(TUNING_POOL) & _strings(TEST_POOL)
    # No emoji of one pool is part of an emoji of the other (e.g. a skin-tone variant).
    for a in TUNING_POOL["emoji"]:
        for b in TEST_POOL["emoji"]:
            assert a not in b and b not in a, (a, b)
    tuning_ids = {m for key in POOL_KEYS for s in TUNING_POOL[key] for m in SNOWFLAKE_RE.findall(s)}
    test_ids = {m for key in POOL_KEYS for s in TEST_POOL[key] for m in SNOWFLAKE_RE.findall(s)}
    assert tuning_ids and test_ids and not tuning_ids & test_ids
    names = [
        {re.sub(r"^<a?:(\w+):\d+>$", r"\1", e) for e in p["custom_emoji"]} for p in (TUNING_POOL, TEST_POOL)
    ]
    assert not names[0] & names[1]


def test_pool_markup_is_well_formed() -> None:
    for pool in (TUNING_POOL, TEST_POOL):
        for e in pool["custom_emoji"]:
            assert re.fullmatch(r"<a?:\w{2,32}:\d{17,20}>", e), e
        for key in ("user_mentions", "role_mentions", "channel_mentions", "broadcast_mentions"):
            for m in pool[key]:
                assert MENTION_RE.fullmatch(m), m


@pytest.mark.parametrize("pool", ["tuning", "test"])
def test_outputs_use_only_their_own_pool(pool: str) -> None:
    other = TEST_POOL if pool == "tuning" else TUNING_POOL
    foreign = [s for key in POOL_KEYS if "chatter" not in key and key != "greetings" for s in other[key]]
    for q in QUESTIONS:
        for kind in PERTURBATIONS:
            for seed in range(3):
                out = perturb(q, kind, seed=seed, pool=pool, names=NAMES)
                if out is not None:
                    assert not [s for s in foreign if s in out and s not in q], (q, kind, out)


@pytest.mark.parametrize("kind", list(PERTURBATIONS))
def test_every_kind_changes_the_question(kind: str) -> None:
    for q in QUESTIONS:
        for seed in range(5):
            out = perturb(q, kind, seed=seed, pool="tuning", names=NAMES)
            assert out is None or out != q, (kind, q)
            if kind in ("chatter", "mention", "emoji"):
                assert out is not None


def test_chatter_keeps_the_question_and_adds_pool_phrases() -> None:
    for pool_name, pool in POOLS.items():
        for q in QUESTIONS:
            for seed in range(4):
                out = perturb(q, "chatter", seed=seed, pool=pool_name, names=NAMES)
                assert out is not None and q.rstrip() in out
                start = out.index(q.rstrip())
                before, after = out[:start].lower(), out[start + len(q.rstrip()) :].lower()
                assert before or after
                if before:
                    assert any(before.startswith(p.lower()) for p in pool["chatter_prefixes"]), out
                    greeting = [g for g in pool["greetings"] if before.startswith(g.lower())]
                    assert not any(before.startswith(g.lower() + "?") for g in greeting), out
                if after:
                    assert any(p.lower() in after for p in pool["chatter_suffixes"]), out


def test_mention_adds_one_valid_discord_mention_before_or_after() -> None:
    seen_lead = seen_trail = False
    for q in QUESTIONS:
        for seed in range(6):
            out = perturb(q, "mention", seed=seed, pool="tuning", names=NAMES)
            assert out is not None
            added = [m for m in MENTION_RE.findall(out) if m not in q]
            assert len(added) == 1, out
            mention = added[0]
            if out.startswith(mention):
                seen_lead = True
                assert out[len(mention) :].lstrip(", ") == q
            else:
                seen_trail = True
                assert out == q.rstrip() + " " + mention
    assert seen_lead and seen_trail


def test_everyone_and_bot_mentions_appear() -> None:
    outs = {perturb(q, "mention", seed=s, pool="tuning", names=NAMES) for q in QUESTIONS for s in range(10)}
    assert any(o and o.startswith("@everyone ") for o in outs)
    assert any(o and re.match(r"<@!?\d+> ", o) for o in outs)
    assert any(o and re.search(r" <#\d+>$", o) for o in outs)


def test_emoji_sit_between_words_never_inside_one() -> None:
    for pool_name, pool in POOLS.items():
        glyph = _glyph_re(pool)
        for q in QUESTIONS:
            for seed in range(5):
                out = perturb(q, "emoji", seed=seed, pool=pool_name, names=NAMES)
                assert out is not None and glyph.search(out), out
                assert glyph.sub(" ", out).split() == q.split(), out


def test_lower_no_punct() -> None:
    outs = 0
    for q in QUESTIONS:
        out = perturb(q, "lower_no_punct", seed=0, pool="tuning", names=NAMES)
        if out is None:
            continue
        outs += 1
        assert out == out.lower() and not re.search(r"[?!.]\s*$", out), out
        assert re.sub(r"['’,]", "", out) == re.sub(r"['’,]", "", q.lower()).rstrip("?!. "), out
    assert outs >= 10
    assert (
        perturb("when did belarus join the ilrs", "lower_no_punct", seed=0, pool="tuning", names=NAMES)
        is None
    )
    dropped = {
        perturb("What's China's plan?", "lower_no_punct", seed=s, pool="tuning", names=NAMES)
        for s in range(20)
    }
    assert dropped == {"what's china's plan", "whats chinas plan"}


def test_typo_common_is_one_edit_in_one_common_content_word() -> None:
    applied = 0
    for q in QUESTIONS:
        for seed in range(5):
            out = perturb(q, "typo_common", seed=seed, pool="tuning", names=NAMES)
            if out is None:
                continue
            applied += 1
            old, new = _only_changed_word(q, out)
            assert damerau_levenshtein(old, new) == 1, (old, new)
            core = re.sub(r"^\W+|\W+$", "", old)
            new_core = re.sub(r"^\W+|\W+$", "", new)
            assert core.isalpha() and len(core) >= 5, old
            assert core.lower() not in STOP_WORDS and core.lower() not in NAME_WORDS, old
            assert core == core.lower() or q.startswith(core), old  # capitals only at the sentence start
            assert new_core.lower() not in COMMON_WORDS, new
            assert old[0] == new[0]
    assert applied >= 60
    assert perturb("When did Egypt join the ILRS?", "typo_common", seed=0, pool="tuning", names=NAMES) is None


def test_typo_common_leaves_numbers_names_and_markup_alone() -> None:
    q = "<@1010400992860572983> Roscosmos said 17 countries, 2024"
    for seed in range(20):
        out = perturb(q, "typo_common", seed=seed, pool="tuning", names=NAMES)
        assert out is not None
        assert out.startswith("<@1010400992860572983> Roscosmos said 17 ") and out.endswith(", 2024")
        old, new = _only_changed_word(q, out)
        assert old == "countries," and damerau_levenshtein(old, new) == 1


def test_typo_name_is_one_edit_in_a_name_keeping_its_first_letter() -> None:
    for q in NAME_QUESTIONS:
        for seed in range(5):
            out = perturb(q, "typo_name", seed=seed, pool="tuning", names=NAMES)
            assert out is not None, q
            old, new = _only_changed_word(q, out)
            assert damerau_levenshtein(old, new) == 1, (old, new)
            core = re.sub(r"^\W+|(['’]s)?\W*$", "", old)
            assert core.lower() in NAME_WORDS and len(core) >= 4, old
            assert old[0] == new[0], (old, new)
            assert re.sub(r"\W", "", new).lower() not in COMMON_WORDS


def test_typo_name_needs_a_name_of_four_letters() -> None:
    for q in ("who won the world cup", "whats the weather like in hefei today", "when did the UAE sign?"):
        for seed in range(5):
            assert perturb(q, "typo_name", seed=seed, pool="tuning", names=NAMES) is None
    assert perturb("When did Egypt join?", "typo_name", seed=0, pool="tuning", names=[]) is None


def test_typo_name_matches_names_case_insensitively_and_prefers_swaps_for_acronyms() -> None:
    outs = [
        perturb("what is the ilrs", "typo_name", seed=s, pool="tuning", names=["ILRS"]) for s in range(40)
    ]
    assert all(o is not None and o.startswith("what is the i") for o in outs)
    words = [o.split()[-1] for o in outs if o]
    swaps = sum(sorted(w) == sorted("ilrs") for w in words)
    assert swaps >= len(words) // 3
    assert "irs" not in words and "ils" not in words  # a dropped letter in a 4-letter acronym is another one


def test_combined_is_lower_with_chatter_markup_and_a_typo() -> None:
    for pool_name, pool in POOLS.items():
        glyph = _glyph_re(pool)
        for q in NAME_QUESTIONS:
            for seed in range(3):
                out = perturb(q, "combined", seed=seed, pool=pool_name, names=NAMES)
                assert out is not None
                assert out == out.lower(), out
                assert MENTION_RE.search(out) or glyph.search(out), out
                bare = glyph.sub(" ", MENTION_RE.sub(" ", out))
                assert len(bare.split()) > len(q.split()) - q.count("<@"), out  # chatter was added


def test_blank_questions_are_not_perturbed() -> None:
    for kind in PERTURBATIONS:
        assert perturb("  ", kind, seed=0, pool="tuning", names=NAMES) is None


def test_unknown_kind_or_pool_is_an_error() -> None:
    with pytest.raises(ValueError):
        perturb("when?", "shout", seed=0, pool="tuning", names=NAMES)
    with pytest.raises(ValueError):
        perturb("when?", "chatter", seed=0, pool="dev", names=NAMES)


def test_perturbed_copies_keep_ids_unique_and_copy_other_fields() -> None:
    items = [
        {
            "id": "q001",
            "question": "When did Egypt join the ILRS?",
            "keywords": ["December 2023"],
            "type": "when",
        },
        {"id": "q002", "question": "who won the world cup", "answerable": False, "keywords": []},
        {
            "id": "q003",
            "question": "and when did thailand join?",
            "context": "When did Thailand sign the Artemis Accords?",
            "keywords": ["April 2024"],
        },
    ]
    snapshot = [dict(i, keywords=list(i["keywords"])) for i in items]
    copies = perturbed_copies(items, seed=3, pool="tuning", names=NAMES)
    assert items == snapshot
    ids = [c["id"] for c in copies]
    assert len(ids) == len(set(ids))
    by_id = {i["id"]: i for i in items}
    for c in copies:
        base, kind = c["id"].split("~")
        assert kind == c["perturbation"] and kind in PERTURBATIONS
        original = by_id[base]
        assert c["question"] == perturb(original["question"], kind, seed=3, pool="tuning", names=NAMES)
        assert c["question"] != original["question"]
        assert {k: v for k, v in c.items() if k not in ("id", "question", "perturbation")} == {
            k: v for k, v in original.items() if k not in ("id", "question")
        }
    kinds = {c["perturbation"] for c in copies if c["id"].startswith("q001~")}
    assert kinds == set(PERTURBATIONS) - {"typo_common"}
    assert "q002~typo_name" not in ids
    copies[0]["keywords"].append("x")
    assert items[0]["keywords"] == ["December 2023"]
    with pytest.raises(ValueError):
        perturbed_copies(items + items[:1], seed=3, pool="tuning", names=NAMES)
