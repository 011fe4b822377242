"""The websocket gateway of the fake: HELLO, heartbeats, IDENTIFY/READY, RESUME, chunking, dispatch.

Frames are sent as plain JSON text frames whatever ``compress=`` the client asked for:
discord.py only decompresses ``bytes`` frames (gateway.py ``received_message``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import payloads as P

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger("fakediscord.gateway")

OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_PRESENCE, OP_VOICE = 0, 1, 2, 3, 4
OP_RESUME, OP_RECONNECT, OP_REQUEST_MEMBERS, OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = (
    6,
    7,
    8,
    9,
    10,
    11,
)


class GatewayConnection:
    """One websocket client (one shard of one bot process).

    ``shard`` is ``(shard_id, shard_count)`` from IDENTIFY (``(0, 1)`` when not sharded),
    ``seq`` the last dispatch sequence number, ``received`` every frame the client sent.
    """

    def __init__(self, conn_id: int, ws: web.WebSocketResponse, query: dict[str, str]) -> None:
        self.id = conn_id
        self.ws = ws
        self.query = query
        self.seq = 0
        self.shard: tuple[int, int] = (0, 1)
        self.intents: int | None = None
        self.identify: dict[str, Any] | None = None
        self.session_id: str | None = None
        self.heartbeats_acked = 0
        self.ready = False  # READY and all GUILD_CREATEs sent
        self.resumed = False
        self.closed = False
        self.received: list[dict[str, Any]] = []
        self.dispatched: list[tuple[int, str, dict[str, Any]]] = []  # (seq, event, data)
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return (
            f"<GatewayConnection {self.id} shard={list(self.shard)} ready={self.ready} "
            f"closed={self.closed} seq={self.seq} heartbeats={self.heartbeats_acked}>"
        )

    def has_intent(self, bit: int) -> bool:
        return self.intents is None or bool(self.intents & bit)

    def owns_guild(self, guild_id: Any) -> bool:
        return P.shard_for(guild_id, self.shard[1]) == self.shard[0]

    async def send(self, op: int, d: Any = None, t: str | None = None) -> None:
        """Send one frame; dispatches (op 0) get the next sequence number under a lock."""
        async with self._lock:
            if self.closed or self.ws.closed:
                return
            s = None
            if op == OP_DISPATCH:
                self.seq += 1
                s = self.seq
                self.dispatched.append((s, t, d))
            await self.ws.send_str(json.dumps({"op": op, "d": d, "s": s, "t": t}))


class Gateway:
    """Websocket endpoint plus dispatch helpers; owned by :class:`FakeDiscord`."""

    def __init__(self, fake: FakeDiscord, heartbeat_interval: int) -> None:
        self.fake = fake
        self.heartbeat_interval = heartbeat_interval
        self.connections: list[GatewayConnection] = []
        self.identifies: list[dict[str, Any]] = []
        self.unknown_ops: list[dict[str, Any]] = []

    # -- websocket handler -------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = GatewayConnection(len(self.connections), ws, dict(request.query))
        self.connections.append(conn)
        self.fake._notifier.bump()
        try:
            await conn.send(OP_HELLO, {"heartbeat_interval": self.heartbeat_interval, "_trace": ["fake"]})
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_frame(conn, json.loads(msg.data))
                elif msg.type == WSMsgType.BINARY:
                    await self._on_frame(conn, json.loads(msg.data.decode()))
                elif msg.type == WSMsgType.ERROR:
                    log.debug("gateway connection %s error: %s", conn.id, ws.exception())
        finally:
            conn.closed = True
            self.fake._notifier.bump()
        return ws

    async def _on_frame(self, conn: GatewayConnection, frame: dict[str, Any]) -> None:
        conn.received.append(frame)
        op, d = frame.get("op"), frame.get("d")
        if op == OP_HEARTBEAT:
            await conn.send(OP_HEARTBEAT_ACK)
            conn.heartbeats_acked += 1
        elif op == OP_IDENTIFY:
            await self._identify(conn, d)
        elif op == OP_RESUME:
            await self._resume(conn, d)
        elif op == OP_REQUEST_MEMBERS:
            await self._members_chunk(conn, d)
        elif op in (OP_PRESENCE, OP_VOICE):
            pass
        else:
            self.unknown_ops.append(frame)
            log.warning("fake gateway: unknown op %s from connection %s", op, conn.id)
        self.fake._notifier.bump()

    async def _identify(self, conn: GatewayConnection, d: dict[str, Any]) -> None:
        self.identifies.append(d)
        conn.identify = d
        conn.intents = d.get("intents")
        if d.get("shard"):
            conn.shard = (int(d["shard"][0]), int(d["shard"][1]))
        conn.session_id = secrets.token_hex(16)
        fake = self.fake
        guild_ids = [gid for gid in fake.guilds if conn.owns_guild(gid)]
        ready = {
            "v": 10,
            "user": dict(fake.bot_user),
            "session_id": conn.session_id,
            "resume_gateway_url": fake.gateway_url,
            "session_type": "normal",
            "guilds": [{"id": gid, "unavailable": True} for gid in guild_ids],
            "application": {"id": fake.application_id, "flags": fake.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "geo_ordered_rtc_regions": [],
            "guild_join_requests": [],
            "_trace": ["fake"],
        }
        if d.get("shard"):
            ready["shard"] = list(conn.shard)
        await conn.send(OP_DISPATCH, ready, "READY")
        for gid in guild_ids:
            await conn.send(OP_DISPATCH, fake.guild_create_payload(gid, conn), "GUILD_CREATE")
        conn.ready = True

    async def _resume(self, conn: GatewayConnection, d: dict[str, Any]) -> None:
        old = next(
            (c for c in reversed(self.connections) if c is not conn and c.session_id == d.get("session_id")),
            None,
        )
        if old is None:
            await conn.send(OP_INVALID_SESSION, False)
            return
        conn.identify, conn.intents, conn.shard = old.identify, old.intents, old.shard
        conn.session_id, conn.seq = old.session_id, max(old.seq, int(d.get("seq") or 0))
        conn.resumed = True
        await conn.send(OP_DISPATCH, {"_trace": ["fake"]}, "RESUMED")
        conn.ready = True

    async def _members_chunk(self, conn: GatewayConnection, d: dict[str, Any]) -> None:
        guild_ids = d.get("guild_id")
        for gid in guild_ids if isinstance(guild_ids, list) else [guild_ids]:
            guild = self.fake.guilds.get(str(gid))
            if guild is None:
                continue
            members = list(guild["members"].values())
            if d.get("user_ids"):
                wanted = {str(u) for u in d["user_ids"]}
                members = [m for m in members if m["user"]["id"] in wanted]
            elif d.get("query"):
                members = [m for m in members if m["user"]["username"].lower().startswith(d["query"].lower())]
            if d.get("limit"):
                members = members[: d["limit"]]
            chunk = {
                "guild_id": str(gid),
                "members": members,
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
                "presences": [],
            }
            if d.get("nonce"):
                chunk["nonce"] = d["nonce"]
            await conn.send(OP_DISPATCH, chunk, "GUILD_MEMBERS_CHUNK")

    # -- dispatch ----------------------------------------------------------------------------
    def live(self) -> list[GatewayConnection]:
        """Identified (or resumed), open connections."""
        return [c for c in self.connections if c.ready and not c.closed and not c.ws.closed]

    async def dispatch(
        self, event: str, data: dict[str, Any], guild_id: str | None = None, intent: int = 0
    ) -> list[GatewayConnection]:
        """Send ``event`` to every live connection that owns ``guild_id`` (all when None) and has
        ``intent``; returns the connections it was sent to."""
        targets = [
            c
            for c in self.live()
            if (guild_id is None or c.owns_guild(guild_id)) and (not intent or c.has_intent(intent))
        ]
        for conn in targets:
            await conn.send(OP_DISPATCH, self.fake.filter_for_connection(event, data, conn), event)
        return targets

    async def send_reconnect(self, shard_id: int | None = None) -> None:
        """Send op 7 RECONNECT; discord.py then reconnects and RESUMEs."""
        for conn in self.live():
            if shard_id is None or conn.shard[0] == shard_id:
                await conn.send(OP_RECONNECT)

    async def close_all(self, code: int = 1001) -> None:
        for conn in self.connections:
            if not conn.ws.closed:
                await conn.ws.close(code=code)
