"""The ONNX backend: exported locally from the packaged weights, same vectors as PyTorch."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.embeddings import OnnxEmbedder

pytestmark = pytest.mark.model

TEXTS = ["When did Belarus join the ILRS?",
         "Egypt joined the International Lunar Research Station on 6 December 2023, when CNSA and the Egyptian "
         "Space Agency signed a cooperation agreement in Beijing.",
         "The Artemis Accords are non-binding principles grounded in the Outer Space Treaty."]


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_onnx_fp32_matches_pytorch_and_int8_is_a_different_index(tmp_path: Path, real_embedder) -> None:
    fp32 = OnnxEmbedder(cache_dir=tmp_path)
    vectors = fp32.embed_documents(TEXTS)
    assert fp32.onnx_path.exists() and fp32.name == real_embedder.name == "all-MiniLM-L6-v2"
    reference = real_embedder.embed_documents(TEXTS)
    assert all(_cos(a, b) > 0.9999 for a, b in zip(vectors, reference, strict=True))
    assert _cos(fp32.embed_query(TEXTS[0]), real_embedder.embed_query(TEXTS[0])) > 0.9999
    assert fp32.count_tokens("Belarus") == 1

    int8 = OnnxEmbedder(cache_dir=tmp_path, quantize=True)
    assert int8.name == "all-MiniLM-L6-v2-int8"  # its own collection: never mixed with fp32 vectors
    assert all(_cos(a, b) > 0.9 for a, b in zip(int8.embed_documents(TEXTS), reference, strict=True))
