"""`python -m bot`: build the services, then run the Discord bot (or the offline terminal session).

`python -m bot`            connect to Discord (DISCORD_TOKEN required)
`python -m bot --terminal` the offline terminal session, same commands, no Discord
`python -m bot --auto`     Discord when a token is configured, else the terminal session (what `make run` does)
"""

from __future__ import annotations

import argparse
import logging
import sys

from config.settings import SettingsError, get_settings
from retrieval.errors import RetrievalError
from retrieval.failures import explain

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Run coalition-bot.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--terminal", action="store_true", help="the offline terminal session (no Discord)")
    mode.add_argument(
        "--auto", action="store_true", help="Discord if DISCORD_TOKEN is set, else the terminal"
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="-v: INFO logs, -vv: DEBUG logs")
    args = parser.parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.verbose < 2:
        logging.getLogger("discord.http").setLevel(logging.WARNING)
    try:
        settings = get_settings()
    except SettingsError as exc:  # names each invalid setting and what it should be
        print(f"error: {exc}", file=sys.stderr)
        return 2
    use_terminal = args.terminal or (args.auto and settings.discord_token is None)
    try:
        from retrieval.services import Services

        services = Services(settings)
        if use_terminal:
            from bot.terminal import run

            services.check_ready()
            return run(services)
        if settings.discord_token is None:
            print(
                "error: DISCORD_TOKEN is not set (see .env.example); use --terminal to try the bot offline",
                file=sys.stderr,
            )
            return 2
        from bot.app import run_discord

        return run_discord(settings, services)
    except RetrievalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a broken data folder, disk, catalog or vector store: one line with the fix
        failure = explain(exc, settings.data_dir)
        if failure is None:
            raise
        print(f"error: {failure}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
