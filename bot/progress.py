"""Reindex progress shown in the admin's private reply: counts from the indexing thread, edits paced for Discord."""

from __future__ import annotations

import asyncio
import threading

import discord

from bot.views import NO_PINGS

# Seconds between progress edits: an interaction's messages share a webhook rate limit of about five
# requests per few seconds, so one edit every two seconds leaves room for the final one (and
# discord.py waits out a 429 should one come).
PROGRESS_EVERY = 2.0


class ReindexProgress:
    """Counts from the indexing thread, shown by editing the private reply at most every PROGRESS_EVERY s."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction
        self._lock = threading.Lock()
        self._stages: dict[str, tuple[int, int]] = {}
        self._shown = ""

    def update(self, stage: str, done: int, total: int) -> None:
        """The indexer's progress callback (called from its worker thread)."""
        with self._lock:
            self._stages[stage] = (done, total)

    def text(self) -> str:
        with self._lock:
            articles = self._stages.get("articles")
            embedding = self._stages.get("embedding")
        if articles is None:
            return "Reindexing… reading the articles folder"
        line = f"Reindexing… {articles[0]} of {articles[1]} articles done"
        if embedding and embedding[1]:
            line += f" · {embedding[0]} of {embedding[1]} new passages embedded"
        return line

    async def show(self) -> None:
        text = self.text()
        if text != self._shown:
            self._shown = text
            await self.interaction.edit_original_response(content=text, allowed_mentions=NO_PINGS)

    async def pace(self) -> None:
        """The pause between two edits."""
        await asyncio.sleep(PROGRESS_EVERY)

    async def run(self) -> None:
        """Edit the message while the reindex runs, at most once per pause (cancelled when it ends)."""
        while True:
            await self.show()
            await self.pace()
