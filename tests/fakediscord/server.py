"""``FakeDiscord``: a local Discord-compatible server (REST + gateway) for end-to-end tests.

The real discord.py client (its aiohttp HTTP client and gateway websocket) connects to it on
127.0.0.1 after :func:`tests.fakediscord.point_discord_at`. A test injects gateway events
(``send_message``, ``invoke_command``, ``autocomplete``, ``click_button`` ...) and asserts on
what the bot did over REST (``requests``, interaction records, ``channel_messages``).

State model: one application whose id equals the bot user's id; guilds with roles (@everyone,
"Admin" with ADMINISTRATOR|MANAGE_GUILD, plain "Member", the bot's managed role), text
channels, threads, members (the bot included), messages per channel, application commands
(global and per guild) and interactions. Snowflakes are time-based strings (19 digits).
"""

from __future__ import annotations

import copy
import re
import secrets
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from . import payloads as P
from .gateway import Gateway, GatewayConnection
from .records import DEFAULT_TIMEOUT, ChangeNotifier, InteractionRecord, Request
from .rest import RestAPI
from .schema import Violation

User = dict[str, Any]
Message = dict[str, Any]


@dataclass
class GuildInfo:
    """Ids of a guild created by :meth:`FakeDiscord.add_guild`."""

    id: str
    channel_id: str
    everyone_role_id: str
    admin_role_id: str
    member_role_id: str
    bot_role_id: str


class FakeDiscord:
    """A fake Discord API + gateway on ``127.0.0.1:<random port>``.

    Use ``async with FakeDiscord() as fake:`` or ``await fake.start()`` / ``await fake.stop()``.
    After construction there is a default guild ``fake.guild_id`` (``fake.guild`` holds its
    role ids) with a text channel ``fake.channel_id`` and two members, ``fake.admin_user``
    (role "Admin") and ``fake.plain_user`` (role "Member"), plus the bot itself.

    Options: ``heartbeat_interval`` (ms, sent in HELLO), ``recommended_shards`` (``shards`` of
    ``GET /gateway/bot``, used by AutoShardedClient), ``echo_bot_messages`` (also dispatch
    MESSAGE_CREATE for messages the bot sends, as Discord does), ``enforce_message_content``
    (blank ``content``/``embeds``/``attachments`` for connections without the MESSAGE_CONTENT
    intent unless the bot is mentioned or is the author, as Discord does), ``validate_schemas``
    (check every JSON request body against Discord's OpenAPI description, answer a violation with
    400 and record it in ``schema_violations``; ``async with`` and the ``fake_discord`` fixture fail
    the test when any was recorded).
    """

    def __init__(
        self,
        *,
        heartbeat_interval: int = 41250,
        recommended_shards: int = 1,
        bot_name: str = "coalition-bot",
        guild_name: str = "Coalition",
        echo_bot_messages: bool = False,
        enforce_message_content: bool = True,
        attachment_size_limit: int = 10 * 1024 * 1024,
        valid_token: str | None = None,
        validate_schemas: bool = True,
    ) -> None:
        self.snowflakes = P.SnowflakeFactory()
        self.valid_token = valid_token  # when set, REST calls with another bot token get 401
        self.recommended_shards = recommended_shards
        self.echo_bot_messages = echo_bot_messages
        self.enforce_message_content = enforce_message_content
        self.attachment_size_limit = attachment_size_limit
        self.application_flags = 1 << 23  # GATEWAY_MESSAGE_CONTENT_LIMITED, like a small bot
        self.bot_user: User = P.make_user(self.snowflakes.next(), bot_name, bot=True)
        self.application_id: str = self.bot_user["id"]
        self.owner_user: User = P.make_user(self.snowflakes.next(), "owner")
        self.users: dict[str, User] = {u["id"]: u for u in (self.bot_user, self.owner_user)}
        self.guilds: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, list[Message]] = {}
        self.message_index: dict[str, Message] = {}
        self.attachment_blobs: dict[str, bytes] = {}
        self.deleted_message_ids: set = set()
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[str, list[dict[str, Any]]] = {}
        self.interactions: dict[str, InteractionRecord] = {}
        self.requests: list[Request] = []
        self.unknown_requests: list[Request] = []
        self.error_responses: list[Request] = []
        self.validate_schemas = validate_schemas
        self.schema_violations: list[Violation] = []
        self._notifier = ChangeNotifier()
        self.gateway = Gateway(self, heartbeat_interval)
        self.rest = RestAPI(self)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

        self.guild = self.add_guild(guild_name)
        self.guild_id, self.channel_id = self.guild.id, self.guild.channel_id
        self.admin_user = self.add_member(self.guild_id, "admin", roles=["Admin"])
        self.plain_user = self.add_member(self.guild_id, "alice", roles=["Member"])

    # -- lifecycle -----------------------------------------------------------------------------
    async def start(self, port: int = 0) -> FakeDiscord:
        """Listen on 127.0.0.1 (a free port unless one is given)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        """Close every gateway connection (code 1001) and the HTTP server."""
        if self._runner is not None:
            await self.gateway.close_all()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()
        if exc[0] is None:
            self.check_schemas()

    def check_schemas(self) -> None:
        """Raise AssertionError listing every request body that broke Discord's OpenAPI description."""
        if self.schema_violations:
            raise AssertionError(
                f"{len(self.schema_violations)} request(s) Discord would refuse (HTTP 400):\n  "
                + "\n  ".join(str(v) for v in self.schema_violations)
            )

    @property
    def http_base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE`` / ``DISCORD_API_BASE``."""
        return f"{self.http_base}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY`` / ``DISCORD_GATEWAY_URL``."""
        return f"ws://127.0.0.1:{self.port}/"

    # -- gateway views -------------------------------------------------------------------------
    @property
    def connections(self) -> list[GatewayConnection]:
        return self.gateway.connections

    @property
    def identifies(self) -> list[dict[str, Any]]:
        """Every IDENTIFY ``d`` received, in order."""
        return self.gateway.identifies

    @property
    def heartbeats_acked(self) -> dict[int, int]:
        """``{connection id: heartbeats acked}``."""
        return {c.id: c.heartbeats_acked for c in self.gateway.connections}

    # -- state building ------------------------------------------------------------------------
    def add_guild(
        self, name: str, *, shard: tuple[int, int] | None = None, owner: User | None = None
    ) -> GuildInfo:
        """Create a guild (and its roles, a "general" channel and the bot member).

        ``shard=(i, n)`` picks an id that routes to shard ``i`` of ``n``.
        """
        gid = self.snowflakes.next(shard=shard)
        owner = owner or self.owner_user
        new = self.snowflakes.next
        info = GuildInfo(gid, "", gid, new(), new(), new())
        roles = [
            P.make_role(gid, "@everyone", P.EVERYONE_PERMISSIONS, 0),
            P.make_role(info.member_role_id, "Member", 0, 1),
            P.make_role(info.admin_role_id, "Admin", P.ADMINISTRATOR | P.MANAGE_GUILD, 2),
            P.make_role(
                info.bot_role_id,
                self.bot_user["username"],
                P.BOT_ROLE_PERMISSIONS,
                3,
                managed=True,
                tags={"bot_id": self.bot_user["id"]},
            ),
        ]
        self.guilds[gid] = {
            "id": gid,
            "name": name,
            "owner_id": owner["id"],
            "info": info,
            "roles": {r["id"]: r for r in roles},
            "channel_ids": [],
            "members": {},
            "joined_at": P.iso_now(),
        }
        info.channel_id = self.add_text_channel(gid, "general")
        self.add_member(gid, user=self.bot_user, roles=[info.bot_role_id])
        if owner is not self.bot_user:
            self.add_member(gid, user=owner)
        return info

    def add_text_channel(self, guild_id: str, name: str) -> str:
        guild = self.guilds[guild_id]
        cid = self.snowflakes.next()
        self.channels[cid] = P.make_text_channel(cid, guild_id, name, len(guild["channel_ids"]))
        self.messages[cid] = []
        guild["channel_ids"].append(cid)
        return cid

    def open_dm(self, user: User) -> str:
        """The DM channel (type 1) between the bot and ``user``, created on first use."""
        for channel in self.channels.values():
            if channel["type"] == P.CHANNEL_DM and channel["recipients"][0]["id"] == user["id"]:
                return channel["id"]
        self.users.setdefault(user["id"], user)
        cid = self.snowflakes.next()
        self.channels[cid] = {
            "id": cid,
            "type": P.CHANNEL_DM,
            "recipients": [copy.deepcopy(user)],
            "last_message_id": None,
            "flags": 0,
        }
        self.messages[cid] = []
        return cid

    def add_role(self, guild_id: str, name: str, permissions: int = 0) -> str:
        roles = self.guilds[guild_id]["roles"]
        rid = self.snowflakes.next()
        roles[rid] = P.make_role(rid, name, permissions, len(roles))
        return rid

    def role_id(self, guild_id: str, name: str) -> str:
        """Id of the role called ``name`` in ``guild_id``."""
        for role in self.guilds[guild_id]["roles"].values():
            if role["name"] == name:
                return role["id"]
        raise KeyError(f"no role {name!r} in guild {guild_id}")

    def add_member(
        self,
        guild_id: str | None = None,
        username: str | None = None,
        roles: Iterable[str] = (),
        *,
        user: User | None = None,
        bot: bool = False,
    ) -> User:
        """Add a member (a new user called ``username``, or an existing ``user``) to a guild.

        ``roles`` are role ids or names. Returns the user dict.
        """
        gid = guild_id or self.guild_id
        if user is None:
            user = P.make_user(self.snowflakes.next(), username or "user", bot=bot)
        self.users[user["id"]] = user
        role_ids = [r if r in self.guilds[gid]["roles"] else self.role_id(gid, r) for r in roles]
        self.guilds[gid]["members"][user["id"]] = P.make_member(user, role_ids)
        return user

    def member(self, guild_id: str, user_id: str) -> dict[str, Any]:
        return self.guilds[guild_id]["members"][user_id]

    def member_permissions(self, guild_id: str, user_id: str) -> int:
        """Guild-level permissions: @everyone | member roles; owner or ADMINISTRATOR -> all."""
        guild = self.guilds[guild_id]
        if guild["owner_id"] == user_id:
            return P.ALL_PERMISSIONS
        roles = guild["roles"]
        perms = int(roles[guild_id]["permissions"])
        for rid in guild["members"][user_id]["roles"]:
            perms |= int(roles[rid]["permissions"])
        return P.ALL_PERMISSIONS if perms & P.ADMINISTRATOR else perms

    def _member_with_perms(self, guild_id: str, user: User) -> dict[str, Any]:
        if user["id"] not in self.guilds[guild_id]["members"]:
            self.add_member(guild_id, user=user)
        member = copy.deepcopy(self.member(guild_id, user["id"]))
        member["permissions"] = str(self.member_permissions(guild_id, user["id"]))
        return member

    def guild_payload(self, guild_id: str) -> dict[str, Any]:
        """REST guild object (``GET /guilds/{id}``)."""
        g = self.guilds[guild_id]
        return {
            "id": guild_id,
            "name": g["name"],
            "owner_id": g["owner_id"],
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "features": [],
            "roles": list(g["roles"].values()),
            "emojis": [],
            "stickers": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "application_id": None,
            "widget_enabled": False,
            "approximate_member_count": len(g["members"]),
        }

    def guild_create_payload(self, guild_id: str, conn: GatewayConnection | None = None) -> dict[str, Any]:
        """GUILD_CREATE ``d``. Without the GUILD_MEMBERS intent only the bot member is included
        (``member_count`` stays the real total), as Discord does."""
        g = self.guilds[guild_id]
        members = list(g["members"].values())
        if conn is not None and not conn.has_intent(P.INTENT_GUILD_MEMBERS):
            members = [m for m in members if m["user"]["id"] == self.bot_user["id"]]
        data = self.guild_payload(guild_id)
        data.update(
            {
                "unavailable": False,
                "large": False,
                "joined_at": g["joined_at"],
                "member_count": len(g["members"]),
                "members": copy.deepcopy(members),
                "channels": [copy.deepcopy(self.channels[c]) for c in g["channel_ids"]],
                "threads": [copy.deepcopy(t) for t in self.threads(guild_id)],
                "presences": [],
                "voice_states": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
            }
        )
        return data

    def threads(self, guild_id: str | None = None) -> list[dict[str, Any]]:
        """Thread channels (optionally of one guild), oldest first."""
        return [
            c
            for c in self.channels.values()
            if c["type"] in P.THREAD_TYPES and (guild_id is None or c["guild_id"] == guild_id)
        ]

    def thread_for_message(self, message_id: str) -> dict[str, Any] | None:
        """The thread started from ``message_id`` (its id is the message id), or None."""
        channel = self.channels.get(str(message_id))
        return channel if channel and channel["type"] in P.THREAD_TYPES else None

    # -- messages ------------------------------------------------------------------------------
    def channel_messages(self, channel_id: str) -> list[Message]:
        """Messages of a channel or thread, oldest first (ephemeral ones are not there)."""
        return list(self.messages.get(str(channel_id), []))

    def bot_messages(self, channel_id: str | None = None) -> list[Message]:
        """Messages authored by the bot (optionally in one channel), oldest first."""
        chans = [str(channel_id)] if channel_id is not None else list(self.messages)
        return [
            m for c in chans for m in self.messages.get(c, []) if m["author"]["id"] == self.bot_user["id"]
        ]

    def new_message(
        self,
        channel_id: str,
        author: User,
        body: dict[str, Any],
        attachments: list[dict[str, Any]] | None = None,
        *,
        store: bool = True,
    ) -> Message:
        """Build (and store unless ``store=False``) a message from a create-message body."""
        channel = self.channels[channel_id]
        guild_id = channel.get("guild_id")
        content = body.get("content") or ""
        mentions, mention_roles = self.parse_mentions(content, guild_id)
        msg: Message = {
            "id": self.snowflakes.next(),
            "type": P.MSG_DEFAULT,
            "channel_id": channel_id,
            "content": content,
            "author": copy.deepcopy(author),
            "timestamp": P.iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": "@everyone" in content,
            "mentions": mentions,
            "mention_roles": mention_roles,
            "attachments": attachments or [],
            "embeds": [dict(e, type=e.get("type", "rich")) for e in body.get("embeds") or []],
            "components": body.get("components") or [],
            "pinned": False,
            "flags": int(body.get("flags") or 0),
            "reactions": [],
        }
        if guild_id:
            msg["guild_id"] = guild_id
        ref = body.get("message_reference")
        if ref and ref.get("message_id") is not None:
            target = self.message_index.get(str(ref["message_id"]))
            msg["type"] = P.MSG_REPLY
            msg["message_reference"] = {
                "type": 0,
                "message_id": str(ref["message_id"]),
                "channel_id": str(ref.get("channel_id") or channel_id),
                "guild_id": guild_id,
            }
            if target is not None:
                msg["referenced_message"] = {k: v for k, v in target.items() if k != "referenced_message"}
        if store:
            self.store_message(msg)
        return msg

    def parse_mentions(self, content: str, guild_id: str | None) -> tuple[list[User], list[str]]:
        """``mentions`` (users with ``member``) and ``mention_roles`` as Discord fills them in."""
        mentions = []
        for uid in dict.fromkeys(P.MENTION_RE.findall(content)):
            if uid in self.users:
                mention = copy.deepcopy(self.users[uid])
                if guild_id and uid in self.guilds[guild_id]["members"]:
                    mention["member"] = {k: v for k, v in self.member(guild_id, uid).items() if k != "user"}
                mentions.append(mention)
        return mentions, list(dict.fromkeys(P.ROLE_MENTION_RE.findall(content)))

    def store_message(self, msg: Message) -> None:
        self.messages.setdefault(msg["channel_id"], []).append(msg)
        self.message_index[msg["id"]] = msg
        channel = self.channels.get(msg["channel_id"])
        if channel is not None:
            channel["last_message_id"] = msg["id"]
            if channel["type"] in P.THREAD_TYPES:
                channel["message_count"] += 1
                channel["total_message_sent"] += 1
        self._notifier.bump()

    def make_attachment(
        self,
        channel_id: str,
        filename: str,
        data: bytes,
        content_type: str | None = None,
        description: str | None = None,
    ) -> dict[str, Any]:
        """An attachment object; its bytes are served at its ``url`` by this server."""
        aid = self.snowflakes.next()
        self.attachment_blobs[aid] = data
        url = f"{self.http_base}/attachments/{channel_id}/{aid}/{filename}"
        att = {
            "id": aid,
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type or P.guess_content_type(filename),
        }
        if description is not None:
            att["description"] = description
        return att

    def attachment_bytes(self, attachment: str | dict[str, Any]) -> bytes:
        """The bytes uploaded for an attachment (object or id)."""
        aid = attachment["id"] if isinstance(attachment, dict) else str(attachment)
        return self.attachment_blobs[aid]

    def filter_for_connection(
        self, event: str, data: dict[str, Any], conn: GatewayConnection
    ) -> dict[str, Any]:
        """Apply Discord's MESSAGE_CONTENT intent rule to one outgoing event."""
        if (
            not self.enforce_message_content
            or event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE")
            or conn.has_intent(P.INTENT_MESSAGE_CONTENT)
            or "guild_id" not in data
        ):
            return data
        bot_id = self.bot_user["id"]
        if data.get("author", {}).get("id") == bot_id or any(
            m["id"] == bot_id for m in data.get("mentions", [])
        ):
            return data
        return dict(data, content="", embeds=[], attachments=[], components=[])

    # -- event injection -----------------------------------------------------------------------
    async def dispatch(
        self, event: str, data: dict[str, Any], guild_id: str | None = None, intent: int = 0
    ) -> list[GatewayConnection]:
        """Send a raw gateway event to the connections owning ``guild_id`` (all if None)."""
        return await self.gateway.dispatch(event, data, guild_id, intent)

    async def send_message(
        self,
        channel_id: str,
        author: User,
        content: str,
        mentions: list[User] | None = None,
        *,
        attachments: list[tuple[str, bytes]] | None = None,
        embeds: list[dict[str, Any]] | None = None,
        reply_to: Message | None = None,
        require_delivery: bool = True,
    ) -> Message:
        """Inject a user's MESSAGE_CREATE (text channel, thread or DM channel id).

        ``mentions`` are added to the ``<@id>`` mentions parsed from ``content``;
        ``attachments`` are ``(filename, bytes)`` pairs; ``reply_to`` makes it a reply.
        Raises AssertionError when no connection received it (e.g. no GUILD_MESSAGES intent).
        """
        channel_id = str(channel_id)
        channel = self.channels[channel_id]
        if channel.get("guild_id") and author["id"] not in self.guilds[channel["guild_id"]]["members"]:
            self.add_member(channel["guild_id"], user=author)
        body: dict[str, Any] = {"content": content, "embeds": embeds or []}
        if reply_to is not None:
            body["message_reference"] = {"message_id": reply_to["id"], "channel_id": reply_to["channel_id"]}
        files = [self.make_attachment(channel_id, name, data) for name, data in attachments or []]
        msg = self.new_message(channel_id, author, body, files)
        known = {m["id"] for m in msg["mentions"]}
        for user in mentions or []:
            if user["id"] not in known:
                msg["mentions"].append(copy.deepcopy(user))
        gid = channel.get("guild_id")
        if gid:
            member = self.member(gid, author["id"])
            msg["member"] = {k: v for k, v in member.items() if k != "user"}
        intent = P.INTENT_GUILD_MESSAGES if gid else P.INTENT_DIRECT_MESSAGES
        sent = await self.dispatch("MESSAGE_CREATE", msg, gid, intent)
        if require_delivery and not sent:
            raise AssertionError(
                f"MESSAGE_CREATE for channel {channel_id} reached no gateway connection "
                f"(connections: {self.connections}); is the bot connected, with the "
                f"{'GUILD' if gid else 'DIRECT'}_MESSAGES intent?"
            )
        return msg

    async def create_thread(
        self,
        channel_id: str,
        name: str,
        *,
        owner: User | None = None,
        message_id: str | None = None,
        thread_type: int = P.CHANNEL_PUBLIC_THREAD,
        auto_archive_duration: int = 1440,
    ) -> dict[str, Any]:
        """Create a thread in ``channel_id`` (from ``message_id`` if given: same id, as Discord
        does) and dispatch THREAD_CREATE to the owning shard. Used by the REST routes too."""
        parent = self.channels[str(channel_id)]
        owner = owner or self.bot_user
        tid = str(message_id) if message_id is not None else self.snowflakes.next()
        thread = P.make_thread(
            tid,
            parent,
            owner["id"],
            name,
            thread_type=thread_type,
            auto_archive_duration=auto_archive_duration,
        )
        self.channels[tid] = thread
        self.messages.setdefault(tid, [])
        if message_id is not None and str(message_id) in self.message_index:
            self.message_index[str(message_id)]["thread"] = thread
        event = dict(copy.deepcopy(thread), newly_created=True)
        if owner["id"] == self.bot_user["id"]:
            event["member"] = {"id": tid, "user_id": owner["id"], "join_timestamp": P.iso_now(), "flags": 0}
        await self.dispatch("THREAD_CREATE", event, thread["guild_id"], P.INTENT_GUILDS)
        self._notifier.bump()
        return thread

    def _channel_payload(self, channel_id: str) -> dict[str, Any]:
        return copy.deepcopy(self.channels[channel_id])

    def _new_interaction(
        self,
        itype: int,
        user: User | None,
        guild_id: str | None,
        channel_id: str | None,
        data: dict[str, Any],
        message: Message | None = None,
        locale: str = "en-US",
    ) -> InteractionRecord:
        channel_id = str(channel_id or (message or {}).get("channel_id") or self.channel_id)
        guild_id = str(guild_id or self.channels[channel_id].get("guild_id") or "") or None
        user = user or self.plain_user
        payload: dict[str, Any] = {
            "id": self.snowflakes.next(),
            "application_id": self.application_id,
            "type": itype,
            "token": "fake_" + secrets.token_hex(24),
            "version": 1,
            "data": data,
            "channel_id": channel_id,
            "channel": self._channel_payload(channel_id),
            "locale": locale,
            "entitlements": [],
            "context": 0 if guild_id else 1,
            "attachment_size_limit": self.attachment_size_limit,
            "authorizing_integration_owners": {"0": guild_id} if guild_id else {"1": user["id"]},
        }
        if guild_id:
            payload["guild_id"] = guild_id
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": guild_id, "locale": "en-US", "features": []}
            payload["member"] = self._member_with_perms(guild_id, user)
            payload["app_permissions"] = str(self.member_permissions(guild_id, self.bot_user["id"]))
        else:
            payload["user"] = copy.deepcopy(user)
        if message is not None:
            payload["message"] = copy.deepcopy(message)
        record = InteractionRecord(self, payload)
        self.interactions[record.id] = record
        return record

    async def _send_interaction(self, record: InteractionRecord) -> InteractionRecord:
        sent = await self.dispatch("INTERACTION_CREATE", record.payload, record.guild_id)
        if not sent:
            raise AssertionError(
                f"INTERACTION_CREATE reached no gateway connection (connections: {self.connections})"
            )
        return record

    def find_command(self, name: str, guild_id: str | None = None) -> dict[str, Any] | None:
        """The registered command ``name``: the guild's one first, then the global one."""
        for cmd in self.guild_commands.get(str(guild_id), []) + self.global_commands:
            if cmd["name"] == name:
                return cmd
        return None

    def registered_commands(self, guild_id: str | None = None) -> list[dict[str, Any]]:
        """Commands registered globally (``guild_id=None``) or for one guild."""
        return list(self.global_commands if guild_id is None else self.guild_commands.get(str(guild_id), []))

    def _command_data(
        self,
        name: str,
        options: dict[str, Any] | None,
        guild_id: str,
        subcommand: str | None,
        require_registered: bool,
        focused: str | None = None,
    ) -> dict[str, Any]:
        cmd = self.find_command(name, guild_id)
        if cmd is None and require_registered:
            raise AssertionError(
                f"command {name!r} is not registered (global: "
                f"{[c['name'] for c in self.global_commands]}, guild {guild_id}: "
                f"{[c['name'] for c in self.guild_commands.get(guild_id, [])]})"
            )
        schema = (cmd or {}).get("options") or []
        # attachment options: pass (filename, bytes); the fake stores the file and sends its id, resolved
        uploads: dict[str, dict[str, Any]] = {}
        if options:
            options = dict(options)
            for key, value in list(options.items()):
                if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes):
                    att = self.make_attachment(
                        self.guilds[guild_id]["info"].channel_id
                        if guild_id in self.guilds
                        else self.channel_id,
                        value[0],
                        value[1],
                    )
                    uploads[att["id"]] = att
                    options[key] = att["id"]
        path = subcommand.split() if subcommand else []
        for part in path:  # walk group / subcommand schemas
            schema = next((o.get("options") or [] for o in schema if o["name"] == part), [])
        opts = P.interaction_options(options, schema, focused)
        for depth, part in reversed(list(enumerate(path))):
            opts = [{"name": part, "type": 1 if depth == len(path) - 1 else 2, "options": opts}]
        data: dict[str, Any] = {
            "id": (cmd or {}).get("id") or self.snowflakes.next(),
            "name": name,
            "type": 1,
            "options": opts,
        }
        if cmd is not None and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        users = {
            o["value"]: self.users[str(o["value"])]
            for o in _walk_options(opts)
            if o.get("type") == P.OPTION_USER and str(o["value"]) in self.users
        }
        if uploads:
            data.setdefault("resolved", {})["attachments"] = uploads
        channels = {
            str(o["value"]): self.channels[str(o["value"])]
            for o in _walk_options(opts)
            if o.get("type") == P.OPTION_CHANNEL and str(o["value"]) in self.channels
        }
        if (
            channels
        ):  # as Discord resolves a channel option: a partial channel (its permissions: the bot's here)
            data.setdefault("resolved", {})["channels"] = {
                cid: {
                    "id": cid,
                    "name": channel.get("name", ""),
                    "type": channel["type"],
                    "permissions": str(self.member_permissions(guild_id, self.bot_user["id"])),
                }
                for cid, channel in channels.items()
            }
        if users:
            data.setdefault("resolved", {}).update(
                {
                    "users": {k: copy.deepcopy(v) for k, v in users.items()},
                    "members": {
                        k: {kk: vv for kk, vv in self._member_with_perms(guild_id, v).items() if kk != "user"}
                        for k, v in users.items()
                        if guild_id
                    },
                }
            )
        return data

    async def invoke_command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        user: User | None = None,
        guild_id: str | None = None,
        channel_id: str | None = None,
        subcommand: str | None = None,
        *,
        require_registered: bool = True,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """Inject a slash command (INTERACTION_CREATE type 2) and return its record.

        ``options`` is ``{name: value}``; ``subcommand`` is ``"sub"`` or ``"group sub"``.
        ``data.guild_id`` is set when the command is registered for the guild (discord.py
        looks up guild commands only then). Default user: ``plain_user``; default channel:
        ``channel_id``. Raises AssertionError if the command was never registered, unless
        ``require_registered=False``.
        """
        channel_id = str(channel_id or self.channel_id)
        gid = str(guild_id or self.channels[channel_id].get("guild_id"))
        data = self._command_data(name, options, gid, subcommand, require_registered)
        return await self._send_interaction(
            self._new_interaction(2, user, gid, channel_id, data, locale=locale)
        )

    async def autocomplete(
        self,
        name: str,
        focused_option: str,
        value: Any,
        other_options: dict[str, Any] | None = None,
        user: User | None = None,
        guild_id: str | None = None,
        channel_id: str | None = None,
        subcommand: str | None = None,
    ) -> InteractionRecord:
        """Inject an autocomplete interaction (type 4); ``await record.wait_choices()``."""
        channel_id = str(channel_id or self.channel_id)
        gid = str(guild_id or self.channels[channel_id].get("guild_id"))
        options = dict(other_options or {})
        options[focused_option] = value
        data = self._command_data(name, options, gid, subcommand, True, focused=focused_option)
        return await self._send_interaction(self._new_interaction(4, user, gid, channel_id, data))

    async def click_button(
        self,
        message: Message,
        custom_id: str,
        user: User | None = None,
        *,
        component_type: int = 2,
        values: list[str] | None = None,
    ) -> InteractionRecord:
        """Inject a component interaction (type 3) on ``message`` (a message dict the bot sent)."""
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        current = self.message_index.get(message["id"], message)
        record = self._new_interaction(3, user, current.get("guild_id"), current["channel_id"], data, current)
        record.original = current  # @original of a component interaction is the message itself
        return await self._send_interaction(record)

    async def select(
        self,
        message: Message,
        custom_id: str,
        values: list[str],
        user: User | None = None,
        component_type: int = 3,
    ) -> InteractionRecord:
        """Inject a select-menu choice (component type 3 string select by default)."""
        return await self.click_button(message, custom_id, user, component_type=component_type, values=values)

    async def submit_modal(
        self, modal_record: InteractionRecord, values: dict[str, str], user: User | None = None
    ) -> InteractionRecord:
        """Submit the modal the bot opened on ``modal_record`` (callback type 9).

        ``values`` maps text-input ``custom_id`` to the typed text; the submitted components
        mirror the modal's own structure (action rows or labels).
        """
        modal = modal_record.modal
        if modal is None:
            raise AssertionError(f"no modal was opened: {modal_record.describe()}")

        def fill(component: dict[str, Any]) -> dict[str, Any]:
            out = {"type": component["type"], "id": component.get("id", 0)}
            if component["type"] == 1:
                out["components"] = [fill(c) for c in component.get("components", [])]
            elif component["type"] == 18:
                out["component"] = fill(component["component"])
            elif "custom_id" in component:
                out["custom_id"] = component["custom_id"]
                value = values.get(component["custom_id"], component.get("value") or "")
                if component["type"] == 4:
                    out["value"] = value
                else:
                    out["values"] = value if isinstance(value, list) else [value]
            return out

        data = {"custom_id": modal["custom_id"], "components": [fill(c) for c in modal.get("components", [])]}
        prior = modal_record.payload.get("message")
        record = self._new_interaction(
            5, user or modal_record.user, modal_record.guild_id, modal_record.channel_id, data, prior
        )
        if prior is not None:
            record.original = self.message_index.get(prior["id"], prior)
        return await self._send_interaction(record)

    async def request_reconnect(self, shard_id: int | None = None) -> None:
        """Ask the client(s) to reconnect (op 7); they RESUME on a new connection."""
        await self.gateway.send_reconnect(shard_id)

    # -- waiting -------------------------------------------------------------------------------
    async def wait_until(
        self, predicate: Callable[[], Any], timeout: float = DEFAULT_TIMEOUT, description: str = "a condition"
    ) -> Any:
        """Re-check ``predicate()`` after every state change (request, frame, message) until it
        returns something other than None; return that. Raises FakeDiscordTimeout."""
        return await self._notifier.wait_until(predicate, timeout, lambda: description)

    async def wait_ready(
        self, n_connections: int = 1, timeout: float = DEFAULT_TIMEOUT
    ) -> list[GatewayConnection]:
        """Wait until ``n_connections`` live connections got READY and their GUILD_CREATEs.

        Events injected afterwards reach the client after its guilds (same socket, in order).
        The bot's ``on_ready`` still waits its ``guild_ready_timeout`` after that.
        """
        return await self._notifier.wait_until(
            lambda: self.gateway.live() if len(self.gateway.live()) >= n_connections else None,
            timeout,
            lambda: (
                f"{n_connections} ready gateway connection(s); have {self.connections}; "
                f"requests: {[str(r) for r in self.requests[-10:]]}"
            ),
        )

    async def wait_for_request(
        self,
        method: str,
        path_regex: str,
        predicate: Callable[[Request], Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        start: int = 0,
    ) -> Request:
        """First request (from index ``start`` of ``requests``) whose method matches and whose
        path (no ``/api/v10``, no query) ``re.fullmatch``es ``path_regex`` and satisfies ``predicate``."""
        pattern = re.compile(path_regex)

        def find() -> Request | None:
            for req in self.requests[start:]:
                if (
                    req.method == method.upper()
                    and pattern.fullmatch(req.path)
                    and (predicate is None or predicate(req))
                ):
                    return req
            return None

        return await self._notifier.wait_until(
            find,
            timeout,
            lambda: f"{method} {path_regex}; received:\n  " + "\n  ".join(str(r) for r in self.requests),
        )

    async def wait_for_message(
        self,
        channel_id: str | None = None,
        predicate: Callable[[Message], Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        author_id: str | None = None,
    ) -> Message:
        """First message by the bot (or ``author_id``) in ``channel_id`` (any channel if None)
        matching ``predicate``; includes messages sent over webhooks/interactions."""
        author = author_id or self.bot_user["id"]

        def find() -> Message | None:
            chans = [str(channel_id)] if channel_id is not None else list(self.messages)
            for cid in chans:
                for msg in self.messages.get(cid, []):
                    if msg["author"]["id"] == author and (predicate is None or predicate(msg)):
                        return msg
            return None

        return await self._notifier.wait_until(
            find,
            timeout,
            lambda: (
                f"a message in {channel_id or 'any channel'}; bot messages: "
                f"{[(m['channel_id'], m['content'][:80]) for m in self.bot_messages()]}"
            ),
        )


def _walk_options(options: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for opt in options:
        yield opt
        yield from _walk_options(opt.get("options") or [])
