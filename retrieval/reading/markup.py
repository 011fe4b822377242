"""What Discord and chat add to a question, taken away: mentions, emoji, links, code and text formatting.

Pure text in, plain text out. Nothing here knows about the corpus; words are judged later
(retrieval/reading/query.py), this only removes markup that can never carry a question's meaning.
"""

from __future__ import annotations

import re
import unicodedata

import emoji

# <@123> <@!123> (users), <@&123> (roles), <#123> (channels), <:name:123> <a:name:123> (custom emoji),
# <t:1700000000:R> (timestamps), </command:123> (slash-command mentions)
_DISCORD_TOKEN = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w{1,64}:\d+|t:-?\d+(?::[tTdDfFR])?|/[\w -]{1,64}:\d+)>")
_BROADCAST = re.compile(r"(?<![\w@])@(?:everyone|here)\b", re.IGNORECASE)
_AT_NAME = re.compile(r"(?<![\w@])@[\w.\-]{1,32}")  # a typed "@coalition-bot" that Discord did not resolve
_URL = re.compile(r"<?\b(?:https?://|www\.)[^\s<>]+>?", re.IGNORECASE)
_MASKED_LINK = re.compile(r"\[([^\]\n]{1,200})\]\(\s*<?[^)\s]*>?\s*\)")
_CODE_FENCE = re.compile(r"```(?:[a-z0-9_+-]{1,20}\n)?(.*?)```", re.DOTALL | re.IGNORECASE)
_INLINE_CODE = re.compile(r"`([^`\n]*)`")
_SPOILER = re.compile(r"\|\|(.+?)\|\|", re.DOTALL)
_EMPHASIS = re.compile(r"(\*\*\*|\*\*|~~|\*)(?=\S)(.+?)(?<=\S)\1")
_UNDERSCORES = re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_LINE_MARKS = re.compile(r"^\s{0,3}(?:>>>|>|#{1,3}|-#)\s+", re.MULTILINE)
_SHORTCODE = re.compile(r"(?<!\w):[a-z0-9_+\-]{2,40}:(?!\w)", re.IGNORECASE)
# Text emoticons standing alone: ":)", ";-)", ":D", "xD", ":P", "<3", "^^", ":/"
_EMOTICON = re.compile(
    r"(?<!\S)(?:[:;=8][\-']?[()\[\]DPpOo/\\|3*]+|[xX][dD]+|<3+|\^_?\^|[oO]_[oO]|T_T)(?!\S)"
)
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_REPEATED_MARKS = re.compile(r"([?!.])[?!.]+")


# a letter typed three or more times ("hiii", "sooo", "pleeease"): no word of the articles has one, so it is
# said drawn out (a vowel kept once, a consonant twice: "thxxx" -> "thxx", which the speller reads)
_DRAWN_OUT = re.compile(r"([a-z])\1{2,}", re.I)
_WORD = re.compile(r"[a-z]+", re.I)
_ROMAN = re.compile(r"[ivxlcdm]+", re.I)  # "artemis iii", "chang'e viii": a numeral, not a drawn-out word


def _drawn_in(word: str) -> str:
    return _DRAWN_OUT.sub(lambda m: m.group(1) if m.group(1).lower() in "aeiouy" else m.group(1) * 2, word)


# A quoted line ("> ok so china and russia started the ilrs") with more of the message after it
_QUOTED_LINE = re.compile(r"^\s{0,3}>{1,3}\s+[^\n]*\S(?=[ \t]*\n)", re.MULTILINE)


def _ended(line: re.Match[str]) -> str:
    said = line.group(0)
    return said if said[-1] in ".?!" else f"{said}."


def strip_markup(text: str) -> str:
    """The question's words without Discord markup, emoji, links, code marks or formatting."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\n" else ch for ch in text
    )
    text = _CODE_FENCE.sub(r" \1 ", text)
    text = _INLINE_CODE.sub(r"\1", text)
    text = _MASKED_LINK.sub(r"\1", text)
    text = _DISCORD_TOKEN.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _BROADCAST.sub(" ", text)
    text = _AT_NAME.sub(" ", text)
    text = _SPOILER.sub(r"\1", text)
    text = _QUOTED_LINE.sub(_ended, text)  # a quoted message before the question is a sentence of its own
    text = _LINE_MARKS.sub("", text)
    for _ in range(2):  # nested emphasis: ***bold italic***, **__both__**
        text = _UNDERSCORES.sub(r"\2", _EMPHASIS.sub(r"\2", text))
    text = emoji.replace_emoji(text, replace=" ")
    text = "".join(
        " " if unicodedata.category(ch) in ("So", "Sk", "Mn") and not ch.isalnum() else ch for ch in text
    )
    text = _SHORTCODE.sub(" ", text)
    text = _EMOTICON.sub(" ", text)
    text = _REPEATED_MARKS.sub(r"\1", text)
    text = _WORD.sub(lambda w: w.group(0) if _ROMAN.fullmatch(w.group(0)) else _drawn_in(w.group(0)), text)
    return " ".join(text.split())
