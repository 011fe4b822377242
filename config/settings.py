"""One typed settings object for the whole application.

Values come from the process environment, then from a `.env` file in the working directory
(python-dotenv; the environment wins). Nothing is read at import time: call `get_settings()`.
Every knob is documented in `.env.example`.
"""

from __future__ import annotations

import functools
import ipaddress
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from dotenv import load_dotenv
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

IdList = Annotated[list[int], NoDecode]
StrList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    """All configuration, typed. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    # Where things live
    data_dir: Path = PROJECT_ROOT / "data"
    corpus_dir: Path = PROJECT_ROOT / "corpus" / "articles"
    registry_path: Path = PROJECT_ROOT / "corpus" / "members.csv"

    # Embedding and chunking
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="'all-MiniLM-L6-v2' (the packaged weights) or a local folder holding a sentence-transformers model.",
    )
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = "onnx"
    embedding_batch_size: int = Field(default=32, ge=1, le=1024)
    model_cache_dir: Path | None = None  # where the ONNX export lives; default DATA_DIR/models
    chunk_tokens: int = Field(default=200, ge=32, le=512)
    chunk_overlap_tokens: int = Field(default=40, ge=0, le=256)

    # Catalog and keyword index: the SQLite file in data_dir unless database_url is set
    database_url: SecretStr | None = None  # postgresql://user:password@host:5432/dbname
    database_pool_size: int = Field(default=5, ge=1, le=100)

    # Chroma: embedded (under data_dir) unless chroma_host is set
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_collection_prefix: str = Field(default="articles", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]{1,30}$")

    # Retrieval
    retrieval_k: int = Field(default=5, ge=1, le=50)
    max_passages_per_article: int = Field(default=2, ge=1, le=10)
    retrieval_mode: Literal["hybrid", "dense", "keyword"] = "hybrid"

    # Answering
    answerer: Literal["offline", "llm"] = "offline"
    llm_provider: Literal["openai", "anthropic"] = "openai"
    llm_model: str = "gpt-4o-mini"
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = Field(default=20.0, gt=0)

    # Ingestion (/ingest, `python -m retrieval ingest`)
    ingest_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    ingest_timeout_seconds: float = Field(default=15.0, gt=0)
    ingest_allowed_networks: StrList = Field(default_factory=list)
    refresh_urls: StrList = Field(default_factory=list)
    refresh_hours: float = Field(default=0.0, ge=0)

    # Discord
    discord_token: SecretStr | None = None
    dev_guild_id: int | None = None
    # The privileged Message Content intent (enable it in the Developer Portal first). Off: the bot
    # answers mentions and replies to its answers. On: also every message in its threads and in
    # ANSWER_CHANNEL_IDS.
    message_content_intent: bool = False
    answer_channel_ids: IdList = Field(default_factory=list)
    admin_role_ids: IdList = Field(default_factory=list)
    cooldown_seconds: float = Field(default=10.0, ge=0)
    cooldown_questions: int = Field(default=3, ge=1)
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: IdList = Field(default_factory=list)
    # How often the bot looks for membership news to post in watched channels (/watch) that another
    # process approved (`python -m retrieval registry approve`); an approval in this bot is posted at once.
    announce_poll_seconds: float = Field(default=60.0, gt=0)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_means_default(cls, value: object, info: ValidationInfo) -> object:
        """An empty variable (`DEV_GUILD_ID=`) means the default, as in `.env.example`."""
        if isinstance(value, str) and not value.strip() and info.field_name:
            return cls.model_fields[info.field_name].get_default(call_default_factory=True)
        return value

    @field_validator(
        "answer_channel_ids",
        "admin_role_ids",
        "shard_ids",
        "ingest_allowed_networks",
        "refresh_urls",
        mode="before",
    )
    @classmethod
    def _split_lists(cls, value: object) -> object:
        """Accept '1,2, 3' as well as a list."""
        if isinstance(value, str):
            return [part.strip() for part in value.replace(" ", ",").split(",") if part.strip()]
        return value

    @field_validator("ingest_allowed_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ValueError(f"{network!r} is not a network") from None
        return value

    @field_validator("refresh_urls")
    @classmethod
    def _links(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"{url!r} is not an http(s) link")
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            problem = postgres_url_problem(value.get_secret_value())
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.chunk_overlap_tokens >= self.chunk_tokens:
            raise ValueError(
                f"CHUNK_OVERLAP_TOKENS ({self.chunk_overlap_tokens}) must be smaller than CHUNK_TOKENS "
                f"({self.chunk_tokens})"
            )
        if self.answer_channel_ids and not self.message_content_intent:
            raise ValueError(
                "ANSWER_CHANNEL_IDS needs MESSAGE_CONTENT_INTENT=true (and the Message Content intent enabled "
                "in the Developer Portal): without it Discord does not show the bot those messages"
            )
        if self.shard_count and any(i >= self.shard_count for i in self.shard_ids):
            raise ValueError(f"every SHARD_IDS entry must be below SHARD_COUNT ({self.shard_count})")
        return self

    @property
    def catalog_location(self) -> str:
        """Where the catalog lives, for status lines (never the password)."""
        if self.database_url is None:
            return str(Path(self.data_dir) / "catalog.sqlite3")
        return postgres_location(self.database_url.get_secret_value())

    @property
    def chroma_mode(self) -> str:
        """'server host:port' or 'embedded', for status lines."""
        return f"server {self.chroma_host}:{self.chroma_port}" if self.chroma_host else "embedded"


def postgres_url_problem(url: str) -> str | None:
    """What is wrong with a PostgreSQL URL, in words that never repeat its password; None when usable."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # its text could hold part of a password (an unescaped / ends the host early)
        return (
            "it cannot be read as a URL: is the port a number, and are /, # and @ in the password written "
            "as %2F, %23 and %40?"
        )
    if parts.scheme not in ("postgresql", "postgres"):
        shown = parts.scheme or "none"
        return f"the scheme is {shown!r}; it must start with postgresql://"
    if not parts.hostname and "host=" not in parts.query:
        return "it names no host"
    if not unquote(parts.path.lstrip("/")):
        return "it names no database (the part after the last /)"
    if port == 0:
        return "the port must be from 1 to 65535"
    return None


def postgres_location(url: str) -> str:
    """'PostgreSQL database NAME on HOST:PORT': the URL without user or password, for messages."""
    parts = urlsplit(url.strip())
    where = f"{parts.hostname}:{parts.port or 5432}" if parts.hostname else "a local socket"
    return f"PostgreSQL database {unquote(parts.path.lstrip('/'))!r} on {where}"


# What a setting must look like, where its type alone does not say it well.
EXPECTED = {
    "ingest_allowed_networks": "comma-separated networks such as 10.0.0.0/8 or 192.168.1.20/32",
    "refresh_urls": "comma-separated http(s) links",
    "answer_channel_ids": "comma-separated Discord channel ids (whole numbers)",
    "admin_role_ids": "comma-separated Discord role ids (whole numbers)",
    "shard_ids": "comma-separated shard numbers (whole numbers from 0)",
    "dev_guild_id": "a Discord server id (a whole number)",
    "chroma_collection_prefix": "2 to 31 letters, digits, '-' or '_', starting with a letter or digit",
    "database_url": "a PostgreSQL URL such as postgresql://user:password@host:5432/dbname (or empty for the "
    "SQLite file in DATA_DIR)",
}


class SettingsError(ValueError):
    """Invalid settings, one readable line naming each setting, its value and what it should be."""


def _expected(name: str) -> str:
    """What a setting should be, from its declaration: 'a whole number from 32 to 512'."""
    if name in EXPECTED:
        return EXPECTED[name]
    field = Settings.model_fields[name]
    kind: Any = field.annotation
    optional = False
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(kind) if a is not type(None)]
        optional, kind = len(members) < len(typing.get_args(kind)), members[0]
    if typing.get_origin(kind) is Literal:
        text = "one of " + ", ".join(repr(v) for v in typing.get_args(kind))
    else:
        words = {int: "a whole number", float: "a number", bool: "true or false", Path: "a path", str: "text"}
        text = words.get(kind, "a value")
    bounds: dict[str, object] = {}
    for rule in field.metadata:
        for key in ("ge", "gt", "le", "lt"):
            if hasattr(rule, key):
                bounds[key] = getattr(rule, key)
    if "ge" in bounds and "le" in bounds:
        text += f" from {bounds['ge']} to {bounds['le']}"
    elif "ge" in bounds:
        text += f" of at least {bounds['ge']}"
    elif "gt" in bounds:
        text += f" above {bounds['gt']}"
    return text + (" (or empty for the default)" if optional else "")


def describe(error: ValidationError) -> str:
    """Each invalid setting as 'NAME=value: expected …' (secrets never shown), on one line."""
    problems: list[str] = []
    for item in error.errors():
        loc = item.get("loc") or ()
        if not loc or loc[0] not in Settings.model_fields:  # a rule across settings
            problems.append(str(item.get("msg", "")).removeprefix("Value error, "))
            continue
        name = str(loc[0])
        secret = "SecretStr" in str(Settings.model_fields[name].annotation)
        value: Any = item.get("input")
        shown = "(hidden)" if secret else repr(value if not isinstance(value, str) else value[:80])
        detail = str(item.get("msg", "")).removeprefix("Value error, ")
        reason = f" ({detail})" if item.get("type") == "value_error" else ""
        problems.append(f"{name.upper()}={shown}: expected {_expected(name)}{reason}")
    return "invalid setting: " + "; ".join(dict.fromkeys(problems)) + " (set in the environment or .env)"


@functools.cache
def get_settings() -> Settings:
    """Load settings once: `.env` (if any) under the environment, then validate.

    Raises SettingsError with one line naming each invalid setting and what it should be."""
    load_dotenv(override=False)
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None
