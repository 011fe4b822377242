#!/bin/sh
# Index the corpus (incremental: a no-op when nothing changed), then run the command (the bot by default).
set -e
python -m retrieval index
exec "$@"
