"""Point discord.py at a :class:`FakeDiscord` (the two seams: REST base URL and gateway URL)."""

from __future__ import annotations

from typing import Any

import yarl


def point_discord_at(fake: Any, monkeypatch: Any) -> None:
    """Redirect every discord.py REST call (``Route.BASE``, also used by interaction webhooks)
    and the gateway (``DiscordWebSocket.DEFAULT_GATEWAY``) to ``fake``; undone by ``monkeypatch``."""
    import discord.gateway
    import discord.http

    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
