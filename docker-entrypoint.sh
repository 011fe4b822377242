#!/bin/sh
# Index the corpus (incremental: a no-op when nothing changed), then run the command (the bot by default).
# Shards starting together on one database take turns: each waits for another's reindex, then finds
# little or nothing left to do.
set -e
python -m retrieval index --wait 900
exec "$@"
