"""The ONNX backend: exported locally from the packaged weights, same vectors as PyTorch."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.embeddings import OnnxEmbedder

pytestmark = pytest.mark.model

TEXTS = [
    "When did Belarus join the ILRS?",
    "Egypt joined the International Lunar Research Station on 6 December 2023, when CNSA and the Egyptian "
    "Space Agency signed a cooperation agreement in Beijing.",
    "The Artemis Accords are non-binding principles grounded in the Outer Space Treaty.",
]


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


CHUNK_SENTENCES = [
    "Egypt joined the International Lunar Research Station on 6 December 2023 in Beijing.",
    "The agreement was signed by **CNSA** and the Egyptian Space Agency.",
    "Separately, Thailand signed the Artemis Accords a year later.",
    "Officials said a lunar rover could follow by 2030.",
]


def test_sentence_vectors_come_from_the_same_pass_and_point_at_their_own_sentence(
    tmp_path: Path, real_embedder
) -> None:
    from retrieval.sentences import split_sentences

    body = " ".join(CHUNK_SENTENCES)
    text = f"Egypt joins the ILRS\n\n{body}"
    split = split_sentences(body)
    assert len(split) == 4 and "**" not in split[1]  # the splitter drops the markup; pooling must skip it too
    onnx = OnnxEmbedder(cache_dir=tmp_path)
    for embedder in (onnx, real_embedder):
        [result] = embedder.embed_with_sentences([text], [split])
        assert _cos(result.vector, embedder.embed_documents([text])[0]) > 0.9999
        own = embedder.embed_documents(split)
        assert all(v is not None for v in result.sentences)
        # pooled in context, a sentence's vector stays close to its own embedding and further from its
        # neighbours' (a span off by one sentence would swap these)
        sims = [[_cos(pooled.tolist(), o) for o in own] for pooled in result.sentences]
        diagonal = [sims[i][i] for i in range(4)]
        others = [sims[i][j] for i in range(4) for j in range(4) if i != j]
        assert min(diagonal) > 0.6, sims
        assert sum(diagonal) / 4 - sum(others) / 12 > 0.1, sims
    [a] = onnx.embed_with_sentences([text], [split])
    [b] = real_embedder.embed_with_sentences([text], [split])
    assert all(_cos(x.tolist(), y.tolist()) > 0.999 for x, y in zip(a.sentences, b.sentences, strict=True))
