"""One typed settings object for the whole application.

Values come from the process environment, then from a `.env` file in the working directory
(python-dotenv; the environment wins). Nothing is read at import time: call `get_settings()`.
Every knob is documented in `.env.example`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Literal

from dotenv import load_dotenv
from pydantic import Field, SecretStr, ValidationInfo, field_validator
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
    answer_channel_ids: IdList = Field(default_factory=list)
    admin_role_ids: IdList = Field(default_factory=list)
    cooldown_seconds: float = Field(default=10.0, ge=0)
    cooldown_questions: int = Field(default=3, ge=1)
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: IdList = Field(default_factory=list)

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

    @property
    def chroma_mode(self) -> str:
        """'server host:port' or 'embedded', for status lines."""
        return f"server {self.chroma_host}:{self.chroma_port}" if self.chroma_host else "embedded"


@functools.cache
def get_settings() -> Settings:
    """Load settings once: `.env` (if any) under the environment, then validate."""
    load_dotenv(override=False)
    return Settings()
