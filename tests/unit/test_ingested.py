"""The articles a reindex sees: the corpus folder's files and, with PostgreSQL, the stored ingested ones."""

from __future__ import annotations

from pathlib import Path

from retrieval.documents import load_corpus
from retrieval.ingested import IngestedText, load_with_stored, with_stored
from tests.helpers import write_article, write_sample_corpus


def _stored(folder: Path, doc_id: str, title: str) -> IngestedText:
    """An ingested article as the database keeps it: the text of the file it was saved as."""
    path = write_article(folder, doc_id, title, f"{title}: Ruritania joined the ILRS on 4 March 2026.")
    text = path.read_text()
    path.unlink()
    return IngestedText(
        doc_id, f"https://example.org/{doc_id}", path.name, text, f"https://example.org/{doc_id}"
    )


def test_without_stored_articles_the_folder_is_all_there_is(tmp_path: Path) -> None:
    loaded = load_corpus(write_sample_corpus(tmp_path / "corpus"))
    assert with_stored(loaded, []) is loaded


def test_stored_articles_join_the_folder_and_are_the_ones_indexed_under_their_ids(tmp_path: Path) -> None:
    corpus = write_sample_corpus(tmp_path / "corpus")
    kept = _stored(tmp_path / "elsewhere", "ingested-ruritania-1a2b3c4d", "Ruritania joins the ILRS")
    (corpus / kept.file_name).write_text(kept.text.replace("4 March", "5 March"))  # this machine's export
    # a file sorting before the export that claims its id: the export still stands for the stored article
    impostor = write_article(corpus, kept.doc_id, "Impostor", "Ruritania never joined anything.", name="a.md")
    broken = IngestedText("ingested-broken-00000000", "k", "ingested-broken-00000000.md", "no front matter")

    merged = load_with_stored(corpus, {}, [kept, broken])

    by_id = {a.doc_id: a for a in merged.articles}
    assert len(merged.articles) == 5 and len(by_id) == 5  # the four sample articles and the stored one
    ruritania = by_id[kept.doc_id]
    assert ruritania.path == f"database:{kept.file_name}" and "4 March 2026" in ruritania.body
    assert [(s.path, s.error) for s in merged.skipped] == [
        (str(impostor), f"duplicate id '{kept.doc_id}' (already used by {corpus / kept.file_name})"),
        ("database:ingested-broken-00000000.md", "no YAML front matter (the file must start with a '---' line "
         "and close it with '---')"),
    ]  # fmt: skip


def test_a_file_claiming_a_stored_id_is_skipped_as_its_duplicate_where_it_has_no_export(
    tmp_path: Path,
) -> None:
    corpus = write_sample_corpus(tmp_path / "corpus")  # another machine's folder: no export of it here
    kept = _stored(tmp_path / "elsewhere", "ingested-ruritania-1a2b3c4d", "Ruritania joins the ILRS")
    impostor = write_article(corpus, kept.doc_id, "Impostor", "Ruritania never joined anything.", name="a.md")
    merged = load_with_stored(corpus, {}, [kept])
    assert [a.title for a in merged.articles if a.doc_id == kept.doc_id] == ["Ruritania joins the ILRS"]
    assert [(s.path, s.error) for s in merged.skipped] == [
        (str(impostor), f"duplicate id '{kept.doc_id}' (already used by database:{kept.file_name})")
    ]
