"""Smoke tests of the fake Discord server with the real discord.py client (no project code).

A tiny ``commands.Bot`` built here logs in, syncs commands, connects to the fake gateway and
answers injected interactions and messages; the tests assert on what reached the fake.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

with warnings.catch_warnings():  # discord.player imports audioop (deprecated on 3.11+)
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord
    from discord import app_commands
    from discord.ext import commands

from tests.fakediscord import ErrorLogCollector, FakeDiscord, point_discord_at

# the fixtures (fake_discord, discord_errors) and pytester, for the fixture-failure test
pytest_plugins = ["pytester"]
pytestmark = [
    pytest.mark.filterwarnings("ignore:'audioop' is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]

FRUITS = ["apple", "apricot", "banana", "cherry"]
REPORT = b"line 1\nline 2\n"


class MenuView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)

    @discord.ui.button(label="OK", custom_id="menu:ok", style=discord.ButtonStyle.primary)
    async def ok(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content=f"clicked by {interaction.user.name}", view=None)


class SmokeBot(commands.Bot):
    """The test bot: slash commands, autocomplete, a button, files, threads on mention."""

    def __init__(self, guild_id: str, **options) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05, **options)
        self.guild_id = int(guild_id)
        self.seen: list[discord.Message] = []
        self.message_seen = asyncio.Event()
        self.add_commands()

    def add_commands(self) -> None:
        tree = self.tree

        @tree.command(description="Echo the text back")
        async def echo(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.edit_original_response(content=f"echo: {text}")

        @tree.command(description="Pick a fruit")
        async def fruit(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(f"you picked {name}")

        @fruit.autocomplete("name")
        async def fruit_autocomplete(interaction: discord.Interaction, current: str):
            return [app_commands.Choice(name=f, value=f) for f in FRUITS if f.startswith(current)]

        @tree.command(description="Show a button")
        async def menu(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("choose", view=MenuView())

        @tree.command(description="Send a report file")
        async def report(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(
                "report attached", file=discord.File(io.BytesIO(REPORT), filename="report.txt")
            )

        @tree.command(description="A secret answer")
        async def secret(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send("psst", ephemeral=True)

        @tree.command(description="Admins only")
        @app_commands.default_permissions(manage_guild=True)
        @app_commands.checks.has_permissions(manage_guild=True)
        @app_commands.choices(
            level=[app_commands.Choice(name="low", value=1), app_commands.Choice(name="high", value=2)]
        )
        async def admin(interaction: discord.Interaction, level: app_commands.Choice[int]) -> None:
            await interaction.response.send_message(f"admin ok: {level.name}")

        @tree.command(description="Raise an error")
        async def boom(interaction: discord.Interaction) -> None:
            raise RuntimeError("boom in a handler")

        @tree.command(description="Guild ping", guild=discord.Object(self.guild_id))
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"pong from shard {self.shard_id}")

        @tree.error
        async def on_tree_error(
            interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            if isinstance(error, app_commands.MissingPermissions):
                await interaction.response.send_message("forbidden", ephemeral=True)
            else:
                await app_commands.CommandTree.on_error(tree, interaction, error)

    async def setup_hook(self) -> None:
        await self.tree.sync()
        await self.tree.sync(guild=discord.Object(self.guild_id))

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(message)
        self.message_seen.set()
        if message.author.bot or self.user is None or not self.user.mentioned_in(message):
            return
        if isinstance(message.channel, discord.Thread):  # a follow-up question in our thread
            thread = message.channel
        else:
            thread = await message.create_thread(name=f"Q from {message.author.name}")
        async with thread.typing():
            question = message.content.replace(self.user.mention, "").strip()
        await thread.send(f"answer to {message.author.name}: {question}")


@asynccontextmanager
async def running(fake: FakeDiscord, *bots: commands.Bot) -> AsyncIterator[None]:
    """Start the bots, wait until each one's gateway got its guilds, close them at the end."""
    tasks = [asyncio.create_task(bot.start("fake-token")) for bot in bots]
    ready = asyncio.create_task(fake.wait_ready(len(bots)))
    try:
        done, _ = await asyncio.wait([ready, *tasks], return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            for task in done:
                task.result()  # re-raise a login/connect failure
        await ready
        yield
    finally:
        for bot in bots:
            await bot.close()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 5)


def assert_clean(fake: FakeDiscord) -> None:
    assert fake.unknown_requests == [], [str(r) for r in fake.unknown_requests]
    assert fake.error_responses == [], [str(r) for r in fake.error_responses]
    assert fake.gateway.unknown_ops == []


@pytest.fixture
def bot(fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> SmokeBot:
    point_discord_at(fake_discord, monkeypatch)
    return SmokeBot(fake_discord.guild_id)


@pytest.mark.asyncio
async def test_login_and_command_sync(discord_errors, fake_discord: FakeDiscord, bot: SmokeBot) -> None:
    fake = fake_discord
    async with running(fake, bot):
        assert [(r.method, r.path) for r in fake.requests[:2]] == [
            ("GET", "/users/@me"),
            ("GET", "/oauth2/applications/@me"),
        ]
        put = await fake.wait_for_request("PUT", rf"/applications/{fake.application_id}/commands")
        assert put.headers["Content-Type"] == "application/json"
        names = {c["name"] for c in fake.registered_commands()}
        assert names == {"echo", "fruit", "menu", "report", "secret", "admin", "boom"}
        assert [c["name"] for c in fake.registered_commands(fake.guild_id)] == ["ping"]
        admin = fake.find_command("admin")
        assert int(admin["default_member_permissions"]) == 1 << 5  # MANAGE_GUILD
        level = admin["options"][0]
        assert (level["name"], level["type"], level["required"]) == ("level", 4, True)
        assert [(c["name"], c["value"]) for c in level["choices"]] == [("low", 1), ("high", 2)]
        assert all(
            len(c["id"]) >= 17 and c["application_id"] == fake.application_id
            for c in fake.registered_commands()
        )
        assert fake.find_command("fruit")["options"][0]["autocomplete"] is True
        assert len(fake.identifies) == 1 and fake.identifies[0]["intents"] == bot.intents.value
        assert bot.user is not None and str(bot.user.id) == fake.bot_user["id"]
        await asyncio.wait_for(bot.wait_until_ready(), 3)
        guild = bot.get_guild(int(fake.guild_id))
        assert guild is not None and guild.me is not None
        assert guild.get_channel(int(fake.channel_id)).name == "general"
        assert len(fake.heartbeats_acked) == 1 and list(fake.heartbeats_acked.values())[0] >= 1
    assert_clean(fake)


@pytest.mark.asyncio
async def test_echo_is_deferred_then_edited(discord_errors, fake_discord: FakeDiscord, bot: SmokeBot) -> None:
    fake = fake_discord
    async with running(fake, bot):
        record = await fake.invoke_command("echo", {"text": "hello world"})
        assert await record.wait_callback() == {"type": 5}
        original = await record.wait_original(lambda m: "hello" in m["content"])
        assert original["content"] == "echo: hello world"
        assert original["flags"] & 64 == 0 and original["flags"] & 128 == 0
        assert [m["content"] for m in record.original_history] == ["echo: hello world"]
        assert fake.channel_messages(fake.channel_id)[-1]["id"] == original["id"]
        ping = await fake.invoke_command("ping")  # a guild command: data.guild_id is set
        assert ping.payload["data"]["guild_id"] == fake.guild_id
        assert (await ping.wait_original())["content"] == "pong from shard None"
    assert_clean(fake)


@pytest.mark.asyncio
async def test_autocomplete_returns_choices(discord_errors, fake_discord: FakeDiscord, bot: SmokeBot) -> None:
    fake = fake_discord
    async with running(fake, bot):
        record = await fake.autocomplete("fruit", "name", "ap")
        assert record.payload["data"]["options"] == [
            {"name": "name", "type": 3, "value": "ap", "focused": True}
        ]
        choices = await record.wait_choices()
        assert choices == [{"name": "apple", "value": "apple"}, {"name": "apricot", "value": "apricot"}]
        picked = await fake.invoke_command("fruit", {"name": "apricot"})
        assert (await picked.wait_original())["content"] == "you picked apricot"
    assert_clean(fake)


@pytest.mark.asyncio
async def test_button_click_updates_message(discord_errors, fake_discord: FakeDiscord, bot: SmokeBot) -> None:
    fake = fake_discord
    async with running(fake, bot):
        record = await fake.invoke_command("menu")
        message = await record.wait_original()
        button = message["components"][0]["components"][0]
        assert (button["custom_id"], button["label"]) == ("menu:ok", "OK")
        click = await fake.click_button(message, "menu:ok", user=fake.admin_user)
        assert (await click.wait_callback())["type"] == 7
        updated = await click.wait_original()
        assert updated["id"] == message["id"]
        assert updated["content"] == "clicked by admin" and updated["components"] == []
        assert fake.channel_messages(fake.channel_id)[-1]["content"] == "clicked by admin"
    assert_clean(fake)


@pytest.mark.asyncio
async def test_mention_gets_answer_in_thread(
    discord_errors, fake_discord: FakeDiscord, bot: SmokeBot
) -> None:
    fake = fake_discord
    async with running(fake, bot):
        bot_mention = f"<@{fake.bot_user['id']}>"
        question = await fake.send_message(fake.channel_id, fake.plain_user, f"{bot_mention} what is ILRS?")
        assert question["mentions"][0]["id"] == fake.bot_user["id"]
        await fake.wait_for_request("POST", rf"/channels/{fake.channel_id}/messages/{question['id']}/threads")
        thread = fake.thread_for_message(question["id"])
        assert thread is not None and thread["type"] == 11 and thread["parent_id"] == fake.channel_id
        answer = await fake.wait_for_message(thread["id"])
        assert answer["content"] == "answer to alice: what is ILRS?"
        await fake.wait_for_request("POST", rf"/channels/{thread['id']}/typing")
        # a follow-up in the thread: THREAD_CREATE made the bot cache it, so it answers there
        await fake.send_message(thread["id"], fake.plain_user, f"{bot_mention} and Artemis?")
        second = await fake.wait_for_message(thread["id"], lambda m: "Artemis" in m["content"])
        assert second["content"] == "answer to alice: and Artemis?"
        assert isinstance(bot.seen[-1].channel, discord.Thread) and len(fake.threads()) == 1
        # no MESSAGE_CONTENT intent: a message that does not mention the bot arrives blank
        bot.message_seen.clear()
        await fake.send_message(fake.channel_id, fake.plain_user, "just chatting")
        await asyncio.wait_for(bot.message_seen.wait(), 3)
        assert [m.content for m in bot.seen] == [
            f"{bot_mention} what is ILRS?",
            f"{bot_mention} and Artemis?",
            "",
        ]
        assert fake.bot_messages(fake.channel_id) == []
    assert_clean(fake)


@pytest.mark.asyncio
async def test_file_attachment_is_stored(discord_errors, fake_discord: FakeDiscord, bot: SmokeBot) -> None:
    fake = fake_discord
    async with running(fake, bot):
        record = await fake.invoke_command("report")
        original = await record.wait_original()
        assert original["content"] == "report attached"
        [attachment] = original["attachments"]
        assert attachment["filename"] == "report.txt"
        assert attachment["content_type"] == "text/plain; charset=utf-8"
        assert attachment["size"] == len(REPORT) and fake.attachment_bytes(attachment) == REPORT
        request = await fake.wait_for_request("POST", rf"/interactions/{record.id}/.+/callback")
        method, path, body, files = request
        assert body["type"] == 4 and body["data"]["attachments"] == [{"id": 0, "filename": "report.txt"}]
        assert [(f.field, f.filename, f.data) for f in files] == [("files[0]", "report.txt", REPORT)]
    assert_clean(fake)


@pytest.mark.asyncio
async def test_ephemeral_response_has_flag_64(
    discord_errors, fake_discord: FakeDiscord, bot: SmokeBot
) -> None:
    fake = fake_discord
    async with running(fake, bot):
        record = await fake.invoke_command("secret")
        assert await record.wait_callback() == {"type": 5, "data": {"flags": 64}}
        [followup] = await record.wait_followups(1)
        assert followup["content"] == "psst" and followup["flags"] & 64
        original = await record.wait_original()  # the first follow-up replaced "thinking..."
        assert original["id"] == followup["id"] and original["flags"] == 64 and record.ephemeral
        assert all(m["id"] != original["id"] for m in fake.channel_messages(fake.channel_id))
        # has_permissions: a plain member is refused (ephemerally), an admin is not
        refused = await fake.invoke_command("admin", {"level": 2}, user=fake.plain_user)
        assert (await refused.wait_original())["content"] == "forbidden" and refused.ephemeral
        allowed = await fake.invoke_command("admin", {"level": 2}, user=fake.admin_user)
        assert allowed.payload["member"]["permissions"] == str((1 << 53) - 1)
        assert (await allowed.wait_original())["content"] == "admin ok: high" and not allowed.ephemeral
    assert_clean(fake)


@pytest.mark.asyncio
async def test_two_shards_each_get_only_their_guild(
    discord_errors, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_discord
    point_discord_at(fake, monkeypatch)
    guild_a = fake.add_guild("A", shard=(0, 2))
    guild_b = fake.add_guild("B", shard=(1, 2))
    assert (int(guild_a.id) >> 22) % 2 == 0 and (int(guild_b.id) >> 22) % 2 == 1
    bot0 = SmokeBot(guild_a.id, shard_id=0, shard_count=2)
    bot1 = SmokeBot(guild_b.id, shard_id=1, shard_count=2)
    async with running(fake, bot0, bot1):
        await fake.wait_ready(2)
        assert sorted(d["shard"] for d in fake.identifies) == [[0, 2], [1, 2]]
        by_shard = {c.shard[0]: c for c in fake.connections}
        created = {
            s: {d["id"] for _, t, d in c.dispatched if t == "GUILD_CREATE"} for s, c in by_shard.items()
        }
        assert guild_a.id in created[0] and guild_a.id not in created[1]
        assert guild_b.id in created[1] and guild_b.id not in created[0]
        assert by_shard[1].dispatched[0][2]["shard"] == [1, 2]
        await fake.send_message(guild_a.channel_id, fake.add_member(guild_a.id, "ann"), "hi A")
        await fake.send_message(guild_b.channel_id, fake.add_member(guild_b.id, "bob"), "hi B")
        await asyncio.wait_for(asyncio.gather(bot0.message_seen.wait(), bot1.message_seen.wait()), 3)
        assert [m.guild.id for m in bot0.seen] == [int(guild_a.id)]
        assert [m.guild.id for m in bot1.seen] == [int(guild_b.id)]
        assert bot0.get_guild(int(guild_b.id)) is None and bot1.get_guild(int(guild_a.id)) is None
        record = await fake.invoke_command("ping", guild_id=guild_b.id, channel_id=guild_b.channel_id)
        assert (await record.wait_original())["content"] == "pong from shard 1"
    assert_clean(fake)


@pytest.mark.asyncio
async def test_heartbeats_are_acked(discord_errors, monkeypatch: pytest.MonkeyPatch) -> None:
    async with FakeDiscord(heartbeat_interval=100) as fake:
        point_discord_at(fake, monkeypatch)
        bot = SmokeBot(fake.guild_id)
        async with running(fake, bot):
            acked = await fake.wait_until(
                lambda: sum(fake.heartbeats_acked.values()) >= 3 or None,
                timeout=3,
                description="3 heartbeats",
            )
            assert acked is True
            sent = [f for f in fake.connections[0].received if f["op"] == 1]
            assert len(sent) >= 3 and bot.latency < 1.0
        assert_clean(fake)


@pytest.mark.asyncio
async def test_handler_error_is_caught_by_discord_errors(fake_discord: FakeDiscord, bot: SmokeBot) -> None:
    collector = ErrorLogCollector().install()
    try:
        async with running(fake_discord, bot):
            collector.check()  # nothing logged so far
            record = await fake_discord.invoke_command("boom")
            await fake_discord.wait_until(
                lambda: collector.records or None, timeout=3, description="an ERROR log record"
            )
            assert record.callbacks == []
    finally:
        collector.uninstall()
    with pytest.raises(AssertionError, match="boom in a handler") as excinfo:
        collector.check()
    assert "RuntimeError" in str(excinfo.value) and "Ignoring exception in command 'boom'" in str(
        excinfo.value
    )


def test_discord_errors_fixture_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_inner="""
        import logging
        from tests.fakediscord.fixtures import discord_errors

        def test_clean(discord_errors):
            logging.getLogger("discord.client").warning("a warning is fine")

        def test_broken_handler(discord_errors):
            try:
                raise ValueError("handler blew up")
            except ValueError:
                logging.getLogger("discord.client").exception("Ignoring exception in on_message")
    """
    )
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-q", "-o", "asyncio_default_fixture_loop_scope=function"
    )
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*1 ERROR log record(s) during the test*",
            "*Ignoring exception in on_message*",
            "*ValueError: handler blew up*",
        ]
    )
