"""The one check every front end applies to a question before anything reads it."""

from __future__ import annotations

from retrieval.errors import BadInput

MAX_QUESTION_CHARS = 500


def validate_question(text: str | None) -> str:
    """The question with its whitespace folded (its line breaks kept: a quoted line before it is a message of its
    own); BadInput if it is empty or over the limit."""
    question = "\n".join(" ".join(line.split()) for line in (text or "").splitlines() if line.strip())
    if not question:
        raise BadInput("the question is empty; ask something like “when did Egypt join the ILRS?”")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadInput(f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    return question
