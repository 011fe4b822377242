"""The offline terminal session: the bot's commands without Discord, for a newcomer with no token.

Speaks the same commands as the Discord bot: ask (or just type a question), members, member,
overlap, sources, status, reindex, timeline. On a terminal it prompts; when standard input is
not a terminal it reads one line at a time and exits at the end of input.
"""

from __future__ import annotations

import logging
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from retrieval.cli_answers import render_answer_text
from retrieval.cli_members import render_member, render_member_list, render_overlap
from retrieval.errors import BadInput, RetrievalError
from retrieval.failures import explain
from retrieval.quoting import neutralise, safe_url
from retrieval.services import Services

log = logging.getLogger(__name__)

HELP = """Commands (or just type a question):
  ask QUESTION                      answer with numbered sources
  members COALITION [--type country|organisation] [--as-of DATE]
                                    COALITION: artemis_accords or ilrs
  member NAME                       a country's or organisation's coalitions
  overlap                           members of both coalitions
  sources [QUERY]                   indexed articles, newest first
  status                            what is indexed and how it answers
  reindex [full]                    re-read the corpus folder
  timeline [FILE.png]               chart of membership over time
  help, quit"""


class TerminalSession:
    """A read-eval-print loop over the retrieval services."""

    def __init__(self, services: Services, out: TextIO = sys.stdout) -> None:
        self.services = services
        self.out = out
        self.previous_question: str | None = None
        self.commands: dict[str, Callable[[list[str], str], str]] = {
            "ask": self.ask,
            "members": self.members,
            "member": self.member,
            "overlap": self.overlap,
            "sources": self.sources,
            "status": self.status,
            "reindex": self.reindex,
            "timeline": self.timeline,
            "help": lambda args, rest: HELP,
        }

    def handle(self, line: str) -> str | None:
        """The reply to one input line; None means quit."""
        line = line.strip()
        if not line:
            return ""
        word, _, rest = line.partition(" ")
        word = word.lower().lstrip("/!")
        if word in ("quit", "exit"):
            return None
        command = self.commands.get(word)
        try:
            if command is None:
                return self.ask([], line)
            try:
                args = shlex.split(rest)
            except ValueError:
                args = rest.split()
            return command(args, rest.strip())
        except RetrievalError as exc:
            return f"error: {exc}"
        except Exception as exc:  # one failed command never ends the session
            failure = explain(exc, self.services.settings.data_dir)
            if failure is not None:
                return f"error: {failure}"
            log.error("The %r command failed", word, exc_info=True)
            return f"error: {word} failed ({type(exc).__name__}: {exc}); the session goes on"

    def ask(self, args: list[str], rest: str) -> str:
        question = rest
        answer = self.services.answerer.answer(question, context=self.previous_question)
        self.previous_question = question
        return render_answer_text(answer)

    def members(self, args: list[str], rest: str) -> str:
        if not args:
            return "usage: members artemis_accords|ilrs [--type country|organisation] [--as-of YYYY-MM-DD]"
        options = dict(zip(args[1::2], args[2::2], strict=False))
        listing = self.services.registry.get().members(
            args[0], member_type=options.get("--type"), as_of=options.get("--as-of")
        )
        return render_member_list(listing)

    def member(self, args: list[str], rest: str) -> str:
        if not rest:
            return "usage: member NAME"
        return render_member(self.services.registry.get().member(rest))

    def overlap(self, args: list[str], rest: str) -> str:
        return render_overlap(self.services.registry.get().overlap())

    def sources(self, args: list[str], rest: str) -> str:
        docs = self.services.catalog.documents()
        if rest:
            needle = rest.lower()
            docs = [d for d in docs if needle in d.title.lower() or needle in d.doc_id]
        lines = [f"{len(docs)} articles" + (f" matching {rest!r}" if rest else "") + ", newest first:"]
        lines += [
            f"  {d.published}  {neutralise(d.title)} — "
            + (
                f"summary of {neutralise(d.summary_of) or neutralise(d.outlet) + ' report'}"
                if d.is_summary
                else neutralise(d.outlet)
            )
            + (f" <{safe_url(d.url)}>" if safe_url(d.url) else "")
            for d in docs[:25]
        ]
        if len(docs) > 25:
            lines.append(f"  … and {len(docs) - 25} more")
        return "\n".join(lines)

    def status(self, args: list[str], rest: str) -> str:
        stats = self.services.stats()
        return (
            f"Articles: {stats.articles}\nChunks: {stats.chunks}\nModel: {stats.model}\n"
            f"Answerer: {self.services.answerer.name}\nVector store: {stats.vector_store}\n"
            f"Last reindex: {stats.last_index_at or 'never'}"
            + (f"\nReindexing now: started by {stats.reindexing}" if stats.reindexing else "")
        ) + (f"\nWarning: {stats.vectors_problem}: run `reindex`" if stats.vectors_problem else "")

    def reindex(self, args: list[str], rest: str) -> str:
        report = self.services.reindex(full="full" in args, who="terminal session")
        self.services.offline_answerer.clear_caches()
        lines = [f"Reindexed: {report.summary()}"]
        lines += [f"  skipped {s.path}: {s.error}" for s in report.skipped]
        return "\n".join(lines)

    def timeline(self, args: list[str], rest: str) -> str:
        from retrieval.timeline import render_timeline, timeline_caption

        path = Path(args[0]) if args else Path(self.services.settings.data_dir) / "timeline.png"
        registry = self.services.registry.get()
        try:
            render_timeline(registry, None, path)
        except OSError as exc:
            raise BadInput(
                f"cannot write the chart to {path} ({exc.strerror or exc}); give a path in a folder you can write to"
            ) from None
        return f"Wrote {path}. {timeline_caption(registry, ['artemis_accords', 'ilrs'])}"


def run(services: Services, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Run the session until `quit` or the end of input."""
    session = TerminalSession(services, out)
    interactive = stdin.isatty()
    if interactive:
        print(
            "coalition-bot offline session: no DISCORD_TOKEN is set, so the bot answers here.\n"
            "Type a question, or `help` for the commands.",
            file=out,
        )
    while True:
        if interactive:
            print("\n> ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            return 0
        reply = session.handle(line)
        if reply is None:
            return 0
        if reply:
            print(reply, file=out, flush=True)
