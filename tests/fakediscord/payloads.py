"""Discord API payload builders, constants and request validation for the fake server.

Everything here is plain data: dicts shaped like Discord's API v10 objects, as read by
discord.py 2.7.1 (see ``Member.__init__``, ``Message.__init__``, ``Thread._from_data``,
``Interaction._from_data``).  Snowflakes are strings, as Discord sends them.
"""

from __future__ import annotations

import datetime as _dt
import mimetypes
import re
import threading
import time
from collections.abc import Iterable
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

# -- permission bits (https://discord.com/developers/docs/topics/permissions) ---------------
ADD_REACTIONS = 1 << 6
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 53) - 1  # "every bit"; ADMINISTRATOR implies all of them

EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)
BOT_ROLE_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_THREADS | MANAGE_MESSAGES | CREATE_PRIVATE_THREADS

# -- gateway intents --------------------------------------------------------------------------
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15

# -- misc enums ---------------------------------------------------------------------------------
CHANNEL_TEXT, CHANNEL_DM, CHANNEL_PUBLIC_THREAD, CHANNEL_PRIVATE_THREAD = 0, 1, 11, 12
THREAD_TYPES = (10, CHANNEL_PUBLIC_THREAD, CHANNEL_PRIVATE_THREAD)
MSG_DEFAULT, MSG_REPLY, MSG_CHAT_INPUT = 0, 19, 20
FLAG_EPHEMERAL, FLAG_LOADING = 64, 128
OPTION_TYPES = {bool: 5, int: 4, float: 10, str: 3}  # bool first: bool is a subclass of int
OPTION_USER = 6
OPTION_CHANNEL = 7

MENTION_RE = re.compile(r"<@!?(\d+)>")
ROLE_MENTION_RE = re.compile(r"<@&(\d+)>")


class SnowflakeFactory:
    """Thread-safe generator of real-looking, strictly increasing snowflakes (19 digits today).

    ``next(shard=(i, n))`` returns an id whose ``(id >> 22) % n == i``, i.e. a guild id that
    Discord's sharding formula routes to shard ``i`` of ``n``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._counter = 0

    def next(self, shard: tuple[int, int] | None = None) -> str:
        with self._lock:
            ms = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, self._last_ms)
            if shard is not None:
                shard_id, shard_count = shard
                while ms % shard_count != shard_id % shard_count:
                    ms += 1
            if ms == self._last_ms:
                self._counter += 1
                if self._counter >= 1 << 12:
                    return self._bump_and_retry(shard)
            else:
                self._counter = 0
            self._last_ms = ms
            return str((ms << 22) | (1 << 17) | self._counter)

    def _bump_and_retry(self, shard: tuple[int, int] | None) -> str:
        # counter overflow within one millisecond: move to the next millisecond (lock held)
        self._last_ms += 1
        self._counter = 0
        ms = self._last_ms
        if shard is not None:
            while ms % shard[1] != shard[0] % shard[1]:
                ms += 1
            self._last_ms = ms
        return str((ms << 22) | (1 << 17))


def iso_now() -> str:
    """Current time as the ISO 8601 string Discord uses for timestamps."""
    return _dt.datetime.now(_dt.UTC).isoformat()


def shard_for(guild_id: Any, shard_count: int) -> int:
    """Discord's routing formula: ``(guild_id >> 22) % shard_count``."""
    return (int(guild_id) >> 22) % max(shard_count, 1)


def make_user(user_id: str, username: str, *, bot: bool = False) -> dict[str, Any]:
    """A user object (``discriminator`` "0" as for migrated usernames)."""
    return {
        "id": user_id,
        "username": username,
        "global_name": None if bot else username,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "system": False,
        "public_flags": 0,
    }


def make_member(user: dict[str, Any], roles: Iterable[str] = ()) -> dict[str, Any]:
    """A guild member with user. ``roles`` and ``flags`` are required by discord.py 2.7."""
    return {
        "user": dict(user),
        "roles": list(roles),
        "joined_at": iso_now(),
        "flags": 0,
        "nick": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "premium_since": None,
        "avatar": None,
        "communication_disabled_until": None,
    }


def make_role(
    role_id: str,
    name: str,
    permissions: int,
    position: int,
    *,
    managed: bool = False,
    tags: dict | None = None,
) -> dict[str, Any]:
    role = {
        "id": role_id,
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": managed,
        "mentionable": False,
        "flags": 0,
        "icon": None,
        "unicode_emoji": None,
    }
    if tags is not None:
        role["tags"] = tags
    return role


def make_text_channel(channel_id: str, guild_id: str, name: str, position: int) -> dict[str, Any]:
    return {
        "id": channel_id,
        "type": CHANNEL_TEXT,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "topic": None,
        "parent_id": None,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }


def make_thread(
    thread_id: str,
    parent: dict[str, Any],
    owner_id: str,
    name: str,
    *,
    thread_type: int = CHANNEL_PUBLIC_THREAD,
    auto_archive_duration: int = 1440,
    member_user_id: str | None = None,
) -> dict[str, Any]:
    """A thread channel (type 11 public / 12 private) as returned by the thread endpoints."""
    now = iso_now()
    thread = {
        "id": thread_id,
        "type": thread_type,
        "guild_id": parent["guild_id"],
        "parent_id": parent["id"],
        "owner_id": owner_id,
        "name": name,
        "last_message_id": None,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "rate_limit_per_user": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": auto_archive_duration,
            "archive_timestamp": now,
            "locked": False,
            "create_timestamp": now,
            "invitable": True,
        },
    }
    if member_user_id is not None:
        thread["member"] = {"id": thread_id, "user_id": member_user_id, "join_timestamp": now, "flags": 0}
    return thread


def guess_content_type(filename: str) -> str | None:
    """Content type Discord would report for an attachment, from its file name."""
    ctype, _ = mimetypes.guess_type(filename)
    if ctype and ctype.startswith("text/"):
        ctype += "; charset=utf-8"
    return ctype


# -- validation (Discord's limits, so a bot that breaks them fails here as it would live) ---
def _form_error(field: str, code: str, message: str) -> dict[str, Any]:
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(field.split(".")):
        errors = {part: errors}
    return {"code": 50035, "errors": errors, "message": "Invalid Form Body"}


def validate_message_body(
    body: dict[str, Any], n_files: int, *, editing: bool = False
) -> dict[str, Any] | None:
    """Return a Discord 400 error body if ``body`` breaks a message limit, else ``None``.

    Checked: content <= 2000, <= 10 embeds, embed title/description/field/footer/author
    limits and the 6000 total, <= 5 component rows, and (for new messages) not empty.
    """
    content = body.get("content")
    if content is not None and len(content) > 2000:
        return _form_error("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        return _form_error("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        limits = [
            ("title", embed.get("title"), 256),
            ("description", embed.get("description"), 4096),
            ("footer.text", (embed.get("footer") or {}).get("text"), 2048),
            ("author.name", (embed.get("author") or {}).get("name"), 256),
        ]
        fields = embed.get("fields") or []
        if len(fields) > 25:
            return _form_error(f"embeds.{i}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for j, field in enumerate(fields):
            limits += [
                (f"fields.{j}.name", field.get("name"), 256),
                (f"fields.{j}.value", field.get("value"), 1024),
            ]
        for name, value, limit in limits:
            if value is None:
                continue
            total += len(value)
            if len(value) > limit:
                return _form_error(
                    f"embeds.{i}.{name}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
                )
    if total > 6000:
        return _form_error("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    if len(body.get("components") or []) > 5 and not (body.get("flags", 0) & (1 << 15)):
        return _form_error("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    if not editing and not (
        content or embeds or n_files or body.get("components") or body.get("sticker_ids") or body.get("poll")
    ):
        return {"code": 50006, "message": "Cannot send an empty message"}
    return None


def interaction_options(
    values: dict[str, Any] | None, schema: list[dict] | None = None, focused: str | None = None
) -> list[dict[str, Any]]:
    """Build ``data.options`` from ``{name: value}``.

    The type comes from the registered command's option ``schema`` when known (so an ``int``
    value for a NUMBER option is sent as type 10), else from the Python type (str 3, int 4,
    bool 5, float 10). A value that is already a dict with ``type`` is passed through.
    """
    by_name = {opt["name"]: opt for opt in (schema or [])}
    options = []
    for name, value in (values or {}).items():
        if isinstance(value, dict) and "type" in value:
            option = {"name": name, **value}
        else:
            opt_type = by_name.get(name, {}).get("type")
            if opt_type is None:
                if isinstance(value, dict) and "username" in value:
                    opt_type = OPTION_USER
                else:
                    opt_type = next((t for py, t in OPTION_TYPES.items() if isinstance(value, py)), 3)
            if isinstance(value, dict):  # a user dict for a USER option
                value = value["id"]
            option = {"name": name, "type": opt_type, "value": value}
        if name == focused:
            option["focused"] = True
            option["value"] = str(option["value"])  # Discord sends the partial text as typed
        options.append(option)
    return options
