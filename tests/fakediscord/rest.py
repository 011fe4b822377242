"""REST routes of the fake (``/api/v10/...``) and attachment downloads (``/attachments/...``).

Every request is recorded in ``fake.requests`` (after it is handled, with its status and
response); unmatched routes get 404 ``{"message": "Unknown route", "code": 0}`` and are also
recorded in ``fake.unknown_requests``; every 4xx in ``fake.error_responses``.
JSON responses carry ``Content-Type: application/json`` exactly: discord.py compares the header
for equality (http.py ``json_or_text``), so aiohttp's ``json_response`` (with charset) breaks it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import payloads as P
from .records import InteractionRecord, Request, StoredFile
from .schema import request_schemas

if TYPE_CHECKING:
    from .server import FakeDiscord

Result = tuple[int, Any]
ID = r"(?P<{}>\d+)"
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
COMMAND_NAME_RE = re.compile(r"[-_\w]{1,32}")


class ApiError(Exception):
    """Raised by a handler to answer with a Discord error body."""

    def __init__(self, status: int, code: int, message: str, body: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.body = status, body or {"message": message, "code": code}


def _check_thread_name(body: dict) -> None:
    """Discord's rule for thread names: 1 to 100 characters."""
    if not 1 <= len(body.get("name") or "") <= 100:
        raise ApiError(
            400,
            50035,
            "Invalid Form Body",
            P._form_error("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."),
        )


def _unknown(what: str, code: int) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


def json_response(status: int, payload: Any) -> web.Response:
    if payload is None:
        return web.Response(status=204 if status < 300 else status)
    return web.Response(
        status=status, body=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )


class RestAPI:
    """Route table + handlers. Each handler gets the :class:`Request` record and the path
    parameters, and returns ``(status, json_payload_or_None)`` or raises :class:`ApiError`."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        app, gid, cid, mid = ID.format("app"), ID.format("gid"), ID.format("cid"), ID.format("mid")
        cmds, token = rf"/applications/{app}(?:/guilds/{gid})?/commands", r"(?P<token>[^/]+)"
        table: list[tuple[str, str, Callable[..., Awaitable[Result]]]] = [
            ("GET", r"/users/@me", self.get_me),
            ("GET", rf"/users/{ID.format('uid')}", self.get_user),
            ("POST", r"/users/@me/channels", self.create_dm),
            ("GET", r"/(?:oauth2/)?applications/@me", self.get_application),
            ("GET", r"/gateway", self.get_gateway),
            ("GET", r"/gateway/bot", self.get_gateway_bot),
            ("GET", cmds, self.list_commands),
            ("PUT", cmds, self.put_commands),
            ("POST", cmds, self.post_command),
            ("GET", rf"{cmds}/permissions", self.empty_list),
            ("GET", rf"{cmds}/{ID.format('cmd')}", self.get_command),
            ("PATCH", rf"{cmds}/{ID.format('cmd')}", self.patch_command),
            ("DELETE", rf"{cmds}/{ID.format('cmd')}", self.delete_command),
            ("GET", rf"/channels/{cid}", self.get_channel),
            ("PATCH", rf"/channels/{cid}", self.patch_channel),
            ("GET", rf"/channels/{cid}/messages", self.history),
            ("POST", rf"/channels/{cid}/messages", self.create_message),
            ("GET", rf"/channels/{cid}/messages/{mid}", self.get_message),
            ("PATCH", rf"/channels/{cid}/messages/{mid}", self.edit_message),
            ("DELETE", rf"/channels/{cid}/messages/{mid}", self.delete_message),
            ("POST", rf"/channels/{cid}/messages/bulk-delete", self.no_content),
            ("POST", rf"/channels/{cid}/typing", self.no_content),
            ("PUT", rf"/channels/{cid}/(?:messages/)?pins/{mid}", self.pin),
            ("DELETE", rf"/channels/{cid}/(?:messages/)?pins/{mid}", self.pin),
            (
                "PUT",
                rf"/channels/{cid}/messages/{mid}/reactions/(?P<emoji>[^/]+)/(?P<who>@me|\d+)",
                self.react,
            ),
            (
                "DELETE",
                rf"/channels/{cid}/messages/{mid}/reactions(?:/(?P<emoji>[^/]+)(?:/(?P<who>@me|\d+))?)?",
                self.unreact,
            ),
            ("GET", rf"/channels/{cid}/messages/{mid}/reactions/(?P<emoji>[^/]+)", self.empty_list),
            ("POST", rf"/channels/{cid}/messages/{mid}/threads", self.thread_from_message),
            ("POST", rf"/channels/{cid}/threads", self.thread_without_message),
            ("GET", rf"/channels/{cid}/thread-members", self.empty_list),
            ("PUT", rf"/channels/{cid}/thread-members/(?:@me|\d+)", self.no_content),
            ("DELETE", rf"/channels/{cid}/thread-members/(?:@me|\d+)", self.no_content),
            ("POST", rf"/interactions/{ID.format('iid')}/{token}/callback", self.interaction_callback),
            ("POST", rf"/webhooks/{app}/{token}", self.followup),
            ("GET", rf"/webhooks/{app}/{token}/messages/(?P<mid>@original|\d+)", self.webhook_message),
            ("PATCH", rf"/webhooks/{app}/{token}/messages/(?P<mid>@original|\d+)", self.webhook_message),
            ("DELETE", rf"/webhooks/{app}/{token}/messages/(?P<mid>@original|\d+)", self.webhook_message),
            ("GET", rf"/guilds/{gid}", self.get_guild),
            ("GET", rf"/guilds/{gid}/channels", self.guild_channels),
            ("GET", rf"/guilds/{gid}/roles", self.guild_roles),
            ("GET", rf"/guilds/{gid}/members", self.guild_members),
            ("GET", rf"/guilds/{gid}/members/{ID.format('uid')}", self.guild_member),
            ("GET", rf"/guilds/{gid}/threads/active", self.active_threads),
        ]
        self.routes = [(method, re.compile(pattern), handler) for method, pattern, handler in table]

    # -- plumbing ----------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        fake = self.fake
        if request.path.startswith("/attachments/"):
            aid = request.path.split("/")[3] if request.path.count("/") >= 4 else ""
            if aid in fake.attachment_blobs:
                return web.Response(body=fake.attachment_blobs[aid], content_type="application/octet-stream")
            return json_response(404, {"message": "404: Not Found", "code": 0})
        match = re.match(r"/api(?:/v\d+)?(/.*)$", request.path)
        path = match.group(1) if match else request.path
        body, files = await self._read_body(request)
        record = Request(
            request.method,
            path,
            body,
            files,
            dict(request.query),
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
        )
        handler, params = self._match(request.method, path)
        auth = request.headers.get("Authorization")
        try:
            if fake.valid_token is not None and auth is not None and auth != f"Bot {fake.valid_token}":
                raise ApiError(401, 0, "401: Unauthorized")
            if handler is None:
                raise ApiError(404, 0, "Unknown route")
            self._check_schema(record)
            status, payload = await handler(record, **params)
        except ApiError as exc:
            status, payload = exc.status, exc.body
        record.status, record.response = status, payload
        fake.requests.append(record)
        if handler is None:
            fake.unknown_requests.append(record)
        elif status >= 400:
            fake.error_responses.append(record)
        fake._notifier.bump()
        return json_response(status, payload)

    def _check_schema(self, record: Request) -> None:
        """Refuse (400, as Discord would) a body that breaks Discord's OpenAPI description; recorded in
        ``fake.schema_violations``, which the ``fake_discord`` fixture and ``async with`` check at the end."""
        if not self.fake.validate_schemas or not isinstance(record.json, dict | list):
            return
        violation = request_schemas().check(record.method, record.path, record.json)
        if violation is None:
            return
        self.fake.schema_violations.append(violation)
        raise ApiError(
            400,
            50035,
            "Invalid Form Body",
            P._form_error(violation.where or "body", "OPENAPI_SCHEMA", violation.message),
        )

    def _match(
        self, method: str, path: str
    ) -> tuple[Callable[..., Awaitable[Result]] | None, dict[str, str]]:
        for route_method, pattern, handler in self.routes:
            m = pattern.fullmatch(path)
            if m and route_method == method:
                return handler, {k: v for k, v in m.groupdict().items() if v is not None}
        return None, {}

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[StoredFile]]:
        if not request.can_read_body:
            return None, []
        if request.content_type.startswith("multipart/"):
            body: dict[str, Any] = {}
            files: list[StoredFile] = []
            async for part in await request.multipart():
                if part.name == "payload_json":
                    body.update(json.loads(await part.text()))
                elif part.filename is not None:
                    data = bytes(await part.read(decode=False))
                    files.append(
                        StoredFile(part.name or "", part.filename, part.headers.get("Content-Type"), data)
                    )
                else:
                    body[part.name or ""] = await part.text()
            return body, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            return raw.decode(errors="replace"), []

    def _channel(self, cid: str) -> dict[str, Any]:
        channel = self.fake.channels.get(cid)
        if channel is None:
            raise _unknown("Channel", 10003)
        return channel

    def _message(self, cid: str, mid: str) -> dict[str, Any]:
        self._channel(cid)
        msg = self.fake.message_index.get(mid)
        if msg is None or msg["channel_id"] != cid or mid in self.fake.deleted_message_ids:
            raise _unknown("Message", 10008)
        return msg

    @staticmethod
    def _validate(body: Any, files: list[StoredFile], editing: bool = False) -> dict[str, Any]:
        if not isinstance(body, dict):
            body = {}
        error = P.validate_message_body(body, len(files), editing=editing)
        if error is not None:
            raise ApiError(400, error["code"], error["message"], error)
        return body

    def _attachments(
        self,
        cid: str,
        body: dict[str, Any],
        files: list[StoredFile],
        existing: list[dict[str, Any]] | None = None,
    ) -> list[dict[str, Any]]:
        """Resolve ``attachments`` metadata + uploaded ``files[n]`` into attachment objects."""
        existing = existing or []
        meta = body.get("attachments")
        by_index: dict[int, dict[str, Any]] = {}
        kept = list(existing) if meta is None else []
        old = {a["id"]: a for a in existing}
        for entry in meta or []:
            if str(entry.get("id")) in old:
                kept.append(old[str(entry["id"])])
            else:
                by_index[int(entry.get("id", 0))] = entry
        out = kept
        for position, f in enumerate(files):
            m = re.search(r"\[(\d+)\]", f.field)
            entry = by_index.get(int(m.group(1)) if m else position, {})
            out.append(
                self.fake.make_attachment(
                    cid, entry.get("filename") or f.filename, f.data, description=entry.get("description")
                )
            )
        return out

    def _apply_edit(self, msg: dict[str, Any], body: dict[str, Any], files: list[StoredFile]) -> None:
        """Apply a PATCH body to a stored message in place (the ephemeral flag is kept)."""
        if "content" in body:
            msg["content"] = body["content"] or ""
            msg["mentions"], msg["mention_roles"] = self.fake.parse_mentions(
                msg["content"], msg.get("guild_id")
            )
        if "embeds" in body:
            msg["embeds"] = [dict(e, type=e.get("type", "rich")) for e in body["embeds"] or []]
        if "components" in body:
            msg["components"] = body["components"] or []
        if "attachments" in body or files:
            msg["attachments"] = self._attachments(msg["channel_id"], body, files, msg["attachments"])
        flags = msg.get("flags", 0) & P.FLAG_EPHEMERAL
        if "flags" in body:
            flags |= int(body["flags"] or 0) & ~(P.FLAG_EPHEMERAL | P.FLAG_LOADING)
        else:
            flags |= msg.get("flags", 0) & ~(P.FLAG_EPHEMERAL | P.FLAG_LOADING)
        msg["flags"] = flags
        msg["edited_timestamp"] = P.iso_now()

    def _bot_message(
        self, cid: str, body: dict[str, Any], files: list[StoredFile], listed: bool = True, **extra: Any
    ) -> dict[str, Any]:
        msg = self.fake.new_message(
            cid, self.fake.bot_user, body, self._attachments(cid, body, files), store=False
        )
        msg.update(extra)
        if listed:
            self.fake.store_message(msg)
        else:
            self.fake.message_index[msg["id"]] = msg
        return msg

    async def _echo(self, msg: dict[str, Any]) -> None:
        if self.fake.echo_bot_messages and not msg["flags"] & P.FLAG_EPHEMERAL:
            await self.fake.dispatch(
                "MESSAGE_CREATE",
                msg,
                msg.get("guild_id"),
                P.INTENT_GUILD_MESSAGES if msg.get("guild_id") else P.INTENT_DIRECT_MESSAGES,
            )

    # -- users, application, gateway ---------------------------------------------------------
    async def get_me(self, req: Request) -> Result:
        return 200, self.fake.bot_user

    async def get_user(self, req: Request, uid: str) -> Result:
        if uid not in self.fake.users:
            raise _unknown("User", 10013)
        return 200, self.fake.users[uid]

    async def create_dm(self, req: Request) -> Result:
        user = self.fake.users.get(str((req.json or {}).get("recipient_id")))
        if user is None:
            raise _unknown("User", 10013)
        return 200, self.fake.channels[self.fake.open_dm(user)]

    async def get_application(self, req: Request) -> Result:
        fake = self.fake
        return 200, {
            "id": fake.application_id,
            "name": fake.bot_user["username"],
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": fake.owner_user,
            "team": None,
            "flags": fake.application_flags,
            "interactions_endpoint_url": None,
            "bot": fake.bot_user,
            "summary": "",
            "rpc_origins": [],
            "tags": [],
            "redirect_uris": [],
            "approximate_guild_count": len(fake.guilds),
        }

    async def get_gateway(self, req: Request) -> Result:
        return 200, {"url": self.fake.gateway_url}

    async def get_gateway_bot(self, req: Request) -> Result:
        return 200, {
            "url": self.fake.gateway_url,
            "shards": self.fake.recommended_shards,
            "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
        }

    # -- application commands ----------------------------------------------------------------
    def _command_list(self, app: str, gid: str | None) -> list[dict[str, Any]]:
        if app != self.fake.application_id:
            raise _unknown("Application", 10002)
        if gid is None:
            return self.fake.global_commands
        if gid not in self.fake.guilds:
            raise ApiError(403, 50001, "Missing Access")
        return self.fake.guild_commands.setdefault(gid, [])

    def _check_command(self, cmd: dict[str, Any], where: str) -> None:
        def fail(field: str, message: str) -> ApiError:
            err = P._form_error(f"{where}.{field}", "APPLICATION_COMMAND_INVALID", message)
            return ApiError(400, 50035, message, err)

        name, chat_input = cmd.get("name", ""), cmd.get("type", 1) == 1
        if not COMMAND_NAME_RE.fullmatch(name) or (chat_input and name != name.lower()):
            raise fail("name", f"Command name is invalid: {name!r}")
        if chat_input and not 1 <= len(cmd.get("description") or "") <= 100:
            raise fail("description", "Must be between 1 and 100 in length.")
        options = cmd.get("options") or []
        if len(options) > 25:
            raise fail("options", "Must be 25 or fewer in length.")
        seen_optional = False
        for i, opt in enumerate(options):
            self._check_command(dict(opt, type=1), f"{where}.options.{i}")
            if opt.get("type") not in (1, 2):
                if opt.get("required") and seen_optional:
                    raise fail(
                        f"options.{i}.required", "Required options must be placed before non-required options"
                    )
                seen_optional = seen_optional or not opt.get("required")
            choices = opt.get("choices") or []
            if len(choices) > 25 or any(not 1 <= len(str(c.get("name", ""))) <= 100 for c in choices):
                raise fail(f"options.{i}.choices", "Must be 25 or fewer in length.")

    def _store_command(
        self, app: str, gid: str | None, cmd: dict[str, Any], existing: list[dict[str, Any]]
    ) -> dict[str, Any]:
        prior = next(
            (c for c in existing if c["name"] == cmd["name"] and c.get("type", 1) == cmd.get("type", 1)), None
        )
        stored = copy.deepcopy(cmd)
        perms = stored.get("default_member_permissions")
        stored.update(
            {
                "id": prior["id"] if prior else self.fake.snowflakes.next(),
                "application_id": app,
                "version": self.fake.snowflakes.next(),
                "type": cmd.get("type", 1),
                "description": cmd.get("description", ""),
                "options": cmd.get("options", []),
                "default_member_permissions": None if perms is None else str(perms),
                "dm_permission": cmd.get("dm_permission", True),
                "nsfw": cmd.get("nsfw", False),
            }
        )
        if gid is not None:
            stored["guild_id"] = gid
        return stored

    async def list_commands(self, req: Request, app: str, gid: str | None = None) -> Result:
        return 200, self._command_list(app, gid)

    async def put_commands(self, req: Request, app: str, gid: str | None = None) -> Result:
        existing = self._command_list(app, gid)
        commands = req.json or []
        if len(commands) > 100:
            raise ApiError(400, 30032, "Maximum number of application commands reached (100)")
        for i, cmd in enumerate(commands):
            self._check_command(cmd, str(i))
        new = [self._store_command(app, gid, cmd, existing) for cmd in commands]
        existing[:] = new
        return 200, new

    async def post_command(self, req: Request, app: str, gid: str | None = None) -> Result:
        existing = self._command_list(app, gid)
        self._check_command(req.json, "body")
        stored = self._store_command(app, gid, req.json, existing)
        existing[:] = [c for c in existing if c["id"] != stored["id"]] + [stored]
        return 201, stored

    def _find_command(
        self, app: str, gid: str | None, cmd: str
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        commands = self._command_list(app, gid)
        for c in commands:
            if c["id"] == cmd:
                return commands, c
        raise _unknown("application command", 10063)

    async def get_command(self, req: Request, app: str, cmd: str, gid: str | None = None) -> Result:
        return 200, self._find_command(app, gid, cmd)[1]

    async def patch_command(self, req: Request, app: str, cmd: str, gid: str | None = None) -> Result:
        _, found = self._find_command(app, gid, cmd)
        found.update(req.json or {})
        found["version"] = self.fake.snowflakes.next()
        return 200, found

    async def delete_command(self, req: Request, app: str, cmd: str, gid: str | None = None) -> Result:
        commands, found = self._find_command(app, gid, cmd)
        commands.remove(found)
        return 204, None

    # -- channels and messages ---------------------------------------------------------------
    async def no_content(self, req: Request, **params: str) -> Result:
        if "cid" in params:
            self._channel(params["cid"])
        return 204, None

    async def empty_list(self, req: Request, **params: str) -> Result:
        return 200, []

    async def get_channel(self, req: Request, cid: str) -> Result:
        return 200, self._channel(cid)

    async def patch_channel(self, req: Request, cid: str) -> Result:
        channel, body = self._channel(cid), req.json or {}
        for key in ("name", "topic", "rate_limit_per_user"):
            if key in body:
                channel[key] = body[key]
        meta = channel.get("thread_metadata")
        if meta is not None:
            for key in ("archived", "locked", "auto_archive_duration", "invitable"):
                if key in body:
                    meta[key] = body[key]
        return 200, channel

    async def history(self, req: Request, cid: str) -> Result:
        self._channel(cid)
        msgs = self.fake.channel_messages(cid)
        limit = int(req.query.get("limit", 50))
        if "before" in req.query:
            msgs = [m for m in msgs if int(m["id"]) < int(req.query["before"])][-limit:]
        elif "after" in req.query:
            msgs = [m for m in msgs if int(m["id"]) > int(req.query["after"])][:limit]
        elif "around" in req.query:
            ids = [m["id"] for m in msgs]
            center = ids.index(req.query["around"]) if req.query["around"] in ids else len(ids)
            msgs = msgs[max(center - limit // 2, 0) : max(center - limit // 2, 0) + limit]
        else:
            msgs = msgs[-limit:]
        return 200, list(reversed(msgs))

    async def create_message(self, req: Request, cid: str) -> Result:
        self._channel(cid)
        body = self._validate(req.json, req.files)
        ref = body.get("message_reference") or {}
        if (
            ref.get("message_id") is not None
            and str(ref["message_id"]) not in self.fake.message_index
            and ref.get("fail_if_not_exists", True)
        ):
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                P._form_error("message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message"),
            )
        msg = self._bot_message(cid, body, req.files)
        await self._echo(msg)
        return 200, msg

    async def get_message(self, req: Request, cid: str, mid: str) -> Result:
        return 200, self._message(cid, mid)

    async def edit_message(self, req: Request, cid: str, mid: str) -> Result:
        msg = self._message(cid, mid)
        body = self._validate(req.json, req.files, editing=True)
        if msg["author"]["id"] != self.fake.bot_user["id"] and set(body) - {"flags"}:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        self._apply_edit(msg, body, req.files)
        return 200, msg

    async def delete_message(self, req: Request, cid: str, mid: str) -> Result:
        msg = self._message(cid, mid)
        self.fake.deleted_message_ids.add(mid)
        self.fake.messages[cid].remove(msg)
        return 204, None

    async def pin(self, req: Request, cid: str, mid: str) -> Result:
        self._message(cid, mid)["pinned"] = req.method == "PUT"
        return 204, None

    async def react(self, req: Request, cid: str, mid: str, emoji: str, who: str) -> Result:
        msg = self._message(cid, mid)
        for reaction in msg["reactions"]:
            if reaction["emoji"]["name"] == emoji:
                reaction["count"] += 1
                reaction["me"] = reaction["me"] or who == "@me"
                break
        else:
            msg["reactions"].append(
                {
                    "emoji": {"id": None, "name": emoji},
                    "count": 1,
                    "me": who == "@me",
                    "count_details": {"burst": 0, "normal": 1},
                    "burst_colors": [],
                    "me_burst": False,
                    "burst_me": False,
                    "burst_count": 0,
                }
            )
        return 204, None

    async def unreact(
        self, req: Request, cid: str, mid: str, emoji: str | None = None, who: str | None = None
    ) -> Result:
        msg = self._message(cid, mid)
        msg["reactions"] = [r for r in msg["reactions"] if emoji is not None and r["emoji"]["name"] != emoji]
        return 204, None

    def _thread_parent(self, cid: str) -> dict[str, Any]:
        channel = self._channel(cid)
        if channel["type"] != P.CHANNEL_TEXT:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        return channel

    async def thread_from_message(self, req: Request, cid: str, mid: str) -> Result:
        self._thread_parent(cid)
        self._message(cid, mid)
        body = req.json or {}
        if self.fake.thread_for_message(mid) is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        _check_thread_name(body)
        thread = await self.fake.create_thread(
            cid, body["name"], message_id=mid, auto_archive_duration=body.get("auto_archive_duration") or 1440
        )
        return 201, thread

    async def thread_without_message(self, req: Request, cid: str) -> Result:
        self._thread_parent(cid)
        body = req.json or {}
        _check_thread_name(body)
        thread = await self.fake.create_thread(
            cid,
            body["name"],
            thread_type=body.get("type") or 12,
            auto_archive_duration=body.get("auto_archive_duration") or 1440,
        )
        return 201, thread

    # -- interactions --------------------------------------------------------------------------
    def _interaction_by_token(self, app: str, token: str) -> InteractionRecord:
        if app == self.fake.application_id:
            for record in self.fake.interactions.values():
                if record.token == token:
                    return record
        raise _unknown("Webhook", 10015)

    def _interaction_message(
        self,
        record: InteractionRecord,
        body: dict[str, Any],
        files: list[StoredFile],
        ephemeral: bool,
        channel_id: str | None = None,
    ) -> dict[str, Any]:
        extra = {
            "webhook_id": self.fake.application_id,
            "application_id": self.fake.application_id,
            "type": P.MSG_CHAT_INPUT if record.type == 2 else P.MSG_DEFAULT,
            "interaction_metadata": {
                "id": record.id,
                "type": record.type,
                "user": record.user,
                "authorizing_integration_owners": record.payload.get("authorizing_integration_owners", {}),
            },
        }
        msg = self._bot_message(channel_id or record.channel_id, body, files, listed=not ephemeral, **extra)
        msg.pop("message_reference", None)
        if ephemeral:
            msg["flags"] |= P.FLAG_EPHEMERAL
        return msg

    async def interaction_callback(self, req: Request, iid: str, token: str) -> Result:
        record = self.fake.interactions.get(iid)
        if record is None or record.token != token:
            raise _unknown("interaction", 10062)
        if record.callbacks:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = req.json if isinstance(req.json, dict) else {}
        cb_type, data = body.get("type"), body.get("data") or {}
        if cb_type not in ALLOWED_CALLBACKS.get(record.type, set()):
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                P._form_error(
                    "type",
                    "INTERACTION_RESPONSE_TYPE_INVALID",
                    f"Invalid response type {cb_type} for interaction type {record.type}",
                ),
            )
        if cb_type == 8 and len(data.get("choices") or []) > 25:
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                P._form_error("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."),
            )
        ephemeral = bool(int(data.get("flags") or 0) & P.FLAG_EPHEMERAL)
        interaction: dict[str, Any] = {
            "id": record.id,
            "type": record.type,
            "response_message_loading": cb_type == 5,
            "response_message_ephemeral": ephemeral,
        }
        resource: dict[str, Any] = {"type": cb_type}
        if cb_type in (4, 7):
            self._validate(data, req.files, editing=cb_type == 7)
        record.callbacks.append(body)
        if cb_type == 4:
            record.original = self._interaction_message(record, data, req.files, ephemeral)
        elif cb_type == 5:
            record.original = self._interaction_message(
                record, {"content": "", "flags": P.FLAG_LOADING}, [], ephemeral
            )
            record.original_pending = True
        elif cb_type == 6:
            record.original_pending = True
        elif cb_type == 7 and record.original is not None:
            self._apply_edit(record.original, data, req.files)
        if cb_type in (4, 5, 7) and record.original is not None:
            interaction["response_message_id"] = record.original["id"]
            if cb_type != 5:
                resource["message"] = record.original
                record.original_history.append(copy.deepcopy(record.original))
        if cb_type == 4:
            await self._echo(record.original)
        return 200, {"interaction": interaction, "resource": resource}

    async def followup(self, req: Request, app: str, token: str) -> Result:
        record = self._interaction_by_token(app, token)
        if not record.callbacks:
            raise _unknown("Webhook", 10015)
        body = self._validate(req.json, req.files)
        if record.original_pending and record.callback_type == 5:
            # Discord: the first follow-up after a "thinking" defer replaces the loading message
            msg = record.original
            self._apply_edit(msg, body, req.files)
            record.original_pending = False
            record.original_history.append(copy.deepcopy(msg))
        else:
            ephemeral = bool(int(body.get("flags") or 0) & P.FLAG_EPHEMERAL)
            thread_id = req.query.get("thread_id")
            if thread_id:
                self._channel(thread_id)
            msg = self._interaction_message(record, body, req.files, ephemeral, thread_id)
            await self._echo(msg)
        record.followups.append(msg)
        wait = req.query.get("wait", "false").lower() in ("1", "true")
        return (200, msg) if wait else (204, None)

    async def webhook_message(self, req: Request, app: str, token: str, mid: str) -> Result:
        record = self._interaction_by_token(app, token)
        if mid == "@original" or (record.original is not None and record.original["id"] == mid):
            msg, is_original = record.original, True
            if msg is None or record.original_deleted:
                raise _unknown("Message", 10008)
        else:
            msg, is_original = next((m for m in record.followups if m["id"] == mid), None), False
            if msg is None or mid in self.fake.deleted_message_ids:
                raise _unknown("Message", 10008)
        if req.method == "GET":
            return 200, msg
        if req.method == "DELETE":
            self.fake.deleted_message_ids.add(msg["id"])
            if msg in self.fake.messages.get(msg["channel_id"], []):
                self.fake.messages[msg["channel_id"]].remove(msg)
            record.original_deleted = record.original_deleted or is_original
            return 204, None
        body = self._validate(req.json, req.files, editing=True)
        self._apply_edit(msg, body, req.files)
        if is_original:
            record.original_pending = False
            record.original_history.append(copy.deepcopy(msg))
        return 200, msg

    # -- guilds --------------------------------------------------------------------------------
    def _guild(self, gid: str) -> dict[str, Any]:
        if gid not in self.fake.guilds:
            raise _unknown("Guild", 10004)
        return self.fake.guilds[gid]

    async def get_guild(self, req: Request, gid: str) -> Result:
        self._guild(gid)
        return 200, self.fake.guild_payload(gid)

    async def guild_channels(self, req: Request, gid: str) -> Result:
        return 200, [self.fake.channels[c] for c in self._guild(gid)["channel_ids"]]

    async def guild_roles(self, req: Request, gid: str) -> Result:
        return 200, list(self._guild(gid)["roles"].values())

    async def guild_members(self, req: Request, gid: str) -> Result:
        members = list(self._guild(gid)["members"].values())
        return 200, members[: int(req.query.get("limit", 1))]

    async def guild_member(self, req: Request, gid: str, uid: str) -> Result:
        member = self._guild(gid)["members"].get(uid)
        if member is None:
            raise _unknown("Member", 10007)
        return 200, member

    async def active_threads(self, req: Request, gid: str) -> Result:
        self._guild(gid)
        return 200, {"threads": self.fake.threads(gid), "members": []}
