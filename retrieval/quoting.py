"""Article text is data: neutralise the markup a quoted sentence or title could smuggle into an answer.

An ingested page is attacker-controlled text. Quoted as is, "[2][3]" would pose as our citations, a
masked link `[this NASA page](https://evil.example/…)` would put a foreign link in the answer, and
`@everyone`, `<@&role>`, `# headings`, `> quotes`, code fences or `||spoilers||` would change how the
reply renders. `neutralise` keeps the words and drops the markup, so the only `[n]` in an answer are
ours and every link a user sees comes from the Sources list. Pure functions, no Discord import: the
CLI and the bot both use them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import urllib.parse

# Invisible characters that could hide a marker from the patterns below ("[\u200b2]") or reorder text.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
# Characters that read like markup characters (fullwidth brackets and digits, "［２］"): treated as them.
_LOOKALIKES = str.maketrans(
    {
        "［": "[",
        "］": "]",
        "【": "[",
        "】": "]",
        "〚": "[",
        "〛": "]",
        "⟦": "[",
        "⟧": "]",
        "＜": "<",
        "＞": ">",
        "＠": "@",
        "＃": "#",
        "＊": "*",
        "｜": "|",
        "＿": "_",
        "｀": "`",
        "＼": "\\",
    }
    | {chr(0xFF10 + i): str(i) for i in range(10)}
)
# [text](url), [text](<url>), [text](url "title"), and images ![alt](url): keep the text.
_MARKDOWN_LINK = re.compile(
    r"!?\[([^\[\]]*)\]\(\s*<?[^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*>?(?:\s+[\"'(][^)]*)?\s*\)"
)
# [text][ref] reference links and their definitions "[ref]: https://…".
_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
# Citation-like markers: [2], [2][3], [2, 3], [2-4], [^1], [note 1], [a], [citation needed].
_CITATION = re.compile(
    r"\[\s*(?:\^\s*\w+|(?:note|n|ref|fn)?\s*\d+(?:\s*[-–,;]\s*\d+)*|[a-z]|citation needed)\s*\]",
    re.IGNORECASE,
)
_SUPERSCRIPT_UNITS = re.compile(r"(?<![A-Za-z])(?:[kcmµ]?m|ft|in|s)[²³]")
_SUPERSCRIPTS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻]+")
_FOOTNOTE_MARKS = re.compile(r"[†‡]+")
# Links a client would make clickable: any scheme://…, www.…, and Discord invites.
_URL = re.compile(
    r"<?\b(?:[a-z][a-z0-9+.-]*://|www\.|discord(?:app)?\.(?:gg|com/invite)/)(?:[^\s<>]*[^\s<>.,;:!?)\]'\"])?>?",
    re.IGNORECASE,
)
# Discord markup: <@id> <@!id> <@&id> <#id> </cmd:id> <id:browse> <:emoji:id> <a:emoji:id> <t:unix:R>
_TIMESTAMP = re.compile(r"<t:(-?\d{1,12})(?::[tTdDfFR])?>")
_CUSTOM_EMOJI = re.compile(r"<a?:(\w{1,32}):\d+>")
_DISCORD_TAG = re.compile(r"</?[@#:/&!a-zA-Z][^<>\s]*(?:\s[^<>]*)?>")
_MASS_MENTION = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_USER_MENTION = re.compile(r"@(?=[!&]?\d{15,21}\b)")
# Formatting: emphasis and spoiler runs, code, escapes; line-start headings, quotes, subtext, bullets.
_EMPHASIS = re.compile(r"\*+|~~+|\|\|+|`+|\\")
_UNDERSCORE_RUN = re.compile(r"(?<!\w)_+|_+(?!\w)|_{2,}")
_LINE_START = re.compile(r"^\s*(?:#{1,6}\s+|-#\s+|>{1,3}\s?|[-+]\s+)+", re.MULTILINE)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;!?)])")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")


def _timestamp(match: re.Match[str]) -> str:
    """A Discord timestamp shows a time that depends on the reader; quote the date it stands for."""
    try:
        return dt.datetime.fromtimestamp(int(match.group(1)), dt.UTC).strftime("%Y-%m-%d")
    except (OverflowError, OSError, ValueError):
        return ""


def _control_free(text: str) -> str:
    """Text without control characters (terminal escape sequences, NUL) and invisible marks; line breaks kept."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n"))
    return "".join(ch if ch == "\n" or unicodedata.category(ch)[0] != "C" else " " for ch in text)


def neutralise(text: str) -> str:
    """Article text made safe to quote in an answer: words kept, citation markers, links, mentions and
    formatting dropped, whitespace collapsed to one line."""
    text = _control_free(text.translate(_LOOKALIKES))
    text = _LINE_START.sub(" ", text)
    for _ in range(3):  # a link inside a link's text unwraps one level per pass
        text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _TIMESTAMP.sub(_timestamp, text)
    text = _CUSTOM_EMOJI.sub(r":\1:", text)
    text = _URL.sub(" ", text)
    text = _DISCORD_TAG.sub(" ", text)
    text = _CITATION.sub(" ", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _SUPERSCRIPT_UNITS.sub(lambda m: m.group(0)[:-1] + ("2" if m.group(0)[-1] == "²" else "3"), text)
    text = _SUPERSCRIPTS.sub(" ", text)
    text = _FOOTNOTE_MARKS.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    text = _UNDERSCORE_RUN.sub("", text)
    # What is left of a bracket can no longer make a citation or a masked link.
    text = text.replace("[", "(").replace("]", ")").replace("<", "‹").replace(">", "›")
    text = _EMPTY_BRACKETS.sub(" ", text)
    text = _MASS_MENTION.sub("@\u200b\\1", text)
    text = _USER_MENTION.sub("@\u200b", text)
    text = " ".join(text.split())
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    return _LINE_START.sub("", text).strip()


_URL_UNSAFE = re.compile(r"[\s<>\"'`|\\\[\]]")


def safe_url(url: str) -> str:
    """An http(s) link that cannot break out of the <…> it is shown in; '' for anything else."""
    url = _control_free(url).strip()
    if not re.match(r"https?://[^\s/]", url, re.IGNORECASE):
        return ""
    return _URL_UNSAFE.sub(lambda m: urllib.parse.quote(m.group(0), safe=""), url)
