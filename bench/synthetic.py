"""A deterministic synthetic news corpus: articles from templates and a vocabulary, by seed.

It reaches 1k, 10k or 100k chunks without hand-writing articles. Each article is about 3 chunks
of about 180 model tokens (five paragraphs), dated, with complete front matter.
"""

from __future__ import annotations

import random
from pathlib import Path

COUNTRIES = [
    "Aldoria",
    "Brevania",
    "Castellan",
    "Dovria",
    "Estmark",
    "Farrow",
    "Galdus",
    "Helvar",
    "Istria",
    "Jorvik",
    "Kestrel",
    "Lumeria",
    "Marrow",
    "Norland",
    "Ostavia",
    "Pellin",
    "Quarra",
    "Rovenia",
    "Sardis",
    "Tamber",
    "Ulmar",
    "Varnia",
    "Westmark",
    "Xandor",
    "Yselle",
    "Zorath",
]
AGENCIES = [
    "space agency",
    "science ministry",
    "research council",
    "academy of sciences",
    "national observatory",
]
COALITIONS = ["the Artemis Accords", "the International Lunar Research Station"]
VERBS = ["signed", "joined", "endorsed", "ratified", "announced support for"]
TOPICS = [
    "lunar surface operations",
    "shared navigation data",
    "sample return missions",
    "a polar rover",
    "orbital debris rules",
    "heritage site protection",
    "radio astronomy on the far side",
    "resource surveys",
    "crew rescue procedures",
    "a relay satellite",
    "ground station sharing",
    "student exchange programmes",
]
PHRASES = [
    "officials said",
    "according to the statement",
    "the ministry added",
    "observers noted",
    "the agreement states",
    "delegates confirmed",
    "the announcement said",
    "analysts expect",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _paragraph(rng: random.Random, country: str, coalition: str) -> str:
    sentences = []
    for _ in range(4):
        topic = rng.choice(TOPICS)
        sentences.append(
            f"{country}'s {rng.choice(AGENCIES)} {rng.choice(VERBS)} a plan on {topic} under {coalition}, "
            f"{rng.choice(PHRASES)}, with work on {rng.choice(TOPICS)} due by {rng.randint(2026, 2040)} "
            f"and a budget review set for {rng.choice(MONTHS)} {rng.randint(2025, 2032)}."
        )
    return " ".join(sentences)


def write_corpus(folder: Path, n_articles: int, seed: int = 7) -> Path:
    """Write n_articles Markdown articles under folder (idempotent for the same seed)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(n_articles):
        country = f"{rng.choice(COUNTRIES)}-{i % 997}"
        coalition = rng.choice(COALITIONS)
        year, month, day = rng.randint(2020, 2025), rng.randint(1, 12), rng.randint(1, 28)
        body = "\n\n".join(_paragraph(rng, country, coalition) for _ in range(5))
        text = (
            f'---\nid: synthetic-{seed}-{i:06d}\ntitle: "{country} and {coalition}: report {i}"\n'
            f'published: {year}-{month:02d}-{day:02d}\noutlet: "Synthetic Wire"\n'
            f"url: https://example.org/synthetic/{seed}/{i}\nsources:\n  - https://example.org/synthetic/{seed}/{i}\n"
            f"topics: [synthetic]\n---\n\n{body}\n"
        )
        path = folder / f"synthetic-{i:06d}.md"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return folder


QUESTIONS = [
    "When did {c} sign the Artemis Accords?",
    "What did {c}'s space agency agree on lunar surface operations?",
    "Is {c} part of the International Lunar Research Station?",
    "What budget review did {c} announce?",
    "Which coalition did {c} join for a polar rover?",
]


def questions(n: int, seed: int = 11) -> list[str]:
    """Questions in the style of the synthetic corpus."""
    rng = random.Random(seed)
    return [
        rng.choice(QUESTIONS).format(c=f"{rng.choice(COUNTRIES)}-{rng.randint(0, 996)}") for _ in range(n)
    ]
