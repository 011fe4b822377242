"""Try the real bot against the local Discord-compatible server, by hand.

Terminal 1:  .venv/bin/python -m tests.fakediscord --port 8765 "When did Belarus join the ILRS?"
Terminal 2:  DISCORD_TOKEN=local DISCORD_API_BASE=http://127.0.0.1:8765/api/v10 \\
             DISCORD_GATEWAY_URL=ws://127.0.0.1:8765/ DEV_GUILD_ID=<printed> .venv/bin/python -m bot

The server waits for the bot to connect and register its commands, invokes /ask with each question
as a server member would, prints the answers the bot gives, and exits.
"""

from __future__ import annotations

import argparse
import asyncio

from tests.fakediscord.server import FakeDiscord


async def main(port: int, questions: list[str], wait: float) -> int:
    async with FakeDiscord() as fake:
        await fake.stop()
        await fake.start(port)
        print(
            "Local Discord-compatible server ready. Start the bot with:\n"
            f"  DISCORD_TOKEN=local DISCORD_API_BASE={fake.api_base} DISCORD_GATEWAY_URL={fake.gateway_url} "
            f"DEV_GUILD_ID={fake.guild_id} .venv/bin/python -m bot",
            flush=True,
        )
        await fake.wait_for_request("PUT", r"/applications/\d+/(guilds/\d+/)?commands", timeout=wait)
        await fake.wait_ready(timeout=wait)
        print(
            "Bot connected; commands:",
            ", ".join(sorted(c["name"] for c in fake.registered_commands(fake.guild_id))),
        )
        for question in questions:
            record = await fake.invoke_command("ask", {"question": question})
            message = await record.wait_original(lambda m: m.get("embeds") or m.get("content"), timeout=60)
            body = message.get("content") or message["embeds"][0]["description"]
            print(f"\n/ask {question}\n{body}", flush=True)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m tests.fakediscord")
    parser.add_argument("questions", nargs="*", default=["When did Belarus join the ILRS?"])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for the bot")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.port, args.questions, args.wait)))
