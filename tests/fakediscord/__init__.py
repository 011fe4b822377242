"""A local Discord-compatible server (REST + gateway) for end-to-end tests of discord.py bots.

Typical use::

    from tests.fakediscord import point_discord_at
    from tests.fakediscord.fixtures import fake_discord, discord_errors

    async def test_echo(fake_discord, discord_errors, monkeypatch):
        point_discord_at(fake_discord, monkeypatch)
        task = asyncio.create_task(bot.start("fake-token"))
        await fake_discord.wait_ready()
        record = await fake_discord.invoke_command("echo", {"text": "hi"})
        assert (await record.wait_original())["content"] == "hi"
        await bot.close(); await task
"""

from .gateway import GatewayConnection
from .logcheck import ErrorLogCollector
from .patch import point_discord_at
from .payloads import SnowflakeFactory, shard_for
from .records import FakeDiscordTimeout, InteractionRecord, Request, StoredFile
from .server import FakeDiscord, GuildInfo

__all__ = [
    "ErrorLogCollector",
    "FakeDiscord",
    "FakeDiscordTimeout",
    "GatewayConnection",
    "GuildInfo",
    "InteractionRecord",
    "Request",
    "SnowflakeFactory",
    "StoredFile",
    "point_discord_at",
    "shard_for",
]
