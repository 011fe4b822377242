"""Split articles into passages sized for the embedding model's window.

Each chunk keeps its article's metadata, its number and its character offsets in the body, and the
text that is embedded starts with the article title so that a passage knows what it is about.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from retrieval.documents import Article

# Paragraphs first, then lines, then sentence ends, then clauses, then words.
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@dataclass(frozen=True)
class Chunk:
    """One passage of one article."""

    chunk_id: str
    doc_id: str
    n: int
    text: str
    start: int
    end: int
    title: str
    published: str
    outlet: str
    url: str

    @property
    def embed_text(self) -> str:
        """What the embedding model sees: the title, then the passage."""
        return f"{self.title}\n\n{self.text}"


def words_length(text: str) -> int:
    """A tokenizer-free length: roughly 1.3 model tokens per word."""
    return int(len(text.split()) * 1.3) + 1


class Chunker:
    """Splits article bodies into overlapping passages of at most `chunk_tokens` tokens."""

    def __init__(
        self, chunk_tokens: int, overlap_tokens: int, length_function: Callable[[str], int] = words_length
    ):
        if overlap_tokens >= chunk_tokens:
            raise ValueError("chunk overlap must be smaller than the chunk size")
        self._splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_tokens,
            chunk_overlap=overlap_tokens,
            length_function=length_function,
            separators=_SEPARATORS,
            keep_separator="end",
            add_start_index=True,
            strip_whitespace=True,
        )

    def split(self, article: Article) -> list[Chunk]:
        """Chunks of one article with deterministic ids (stable while the text is unchanged)."""
        docs = self._splitter.create_documents([article.body])
        chunks: list[Chunk] = []
        seen: dict[str, int] = {}
        cursor = 0
        for n, doc in enumerate(docs):
            text = doc.page_content
            start = doc.metadata.get("start_index", -1)
            if start < 0:
                start = article.body.find(text, cursor)
            start = max(start, 0)
            cursor = start + 1
            digest = hashlib.sha1(f"{article.title}\x1f{text}".encode()).hexdigest()[:16]
            repeat = seen.get(digest, 0)
            seen[digest] = repeat + 1
            chunk_id = f"{article.doc_id}:{digest}" + (f"-{repeat}" if repeat else "")
            chunks.append(
                Chunk(
                    chunk_id=chunk_id,
                    doc_id=article.doc_id,
                    n=n,
                    text=text,
                    start=start,
                    end=start + len(text),
                    title=article.title,
                    published=article.published,
                    outlet=article.outlet,
                    url=article.url,
                )
            )
        return chunks
