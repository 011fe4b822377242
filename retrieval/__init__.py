"""The retrieval core of coalition-bot: load, chunk, embed, index, search, answer. No Discord here."""
