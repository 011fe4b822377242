"""The facts the usage and status cards show, read from the services (blocking: call in a worker thread)."""

from __future__ import annotations

import json
import logging

from bot.cards import Freshness, StatusFacts
from retrieval.errors import RegistryError
from retrieval.feedback import FeedbackStore
from retrieval.members_registry import date_start
from retrieval.services import Services

log = logging.getLogger(__name__)


def freshness(services: Services) -> Freshness:
    """How many articles, how new, how recent the registry, when the index was last refreshed."""
    docs = services.catalog.documents()  # newest first
    newest = docs[0] if docs else None
    try:
        rows = services.registry.get().rows
        latest = max(rows, key=lambda m: date_start(m.joined)).joined if rows else ""
    except RegistryError:
        latest = ""
    return Freshness(
        articles=len(docs),
        summaries=sum(1 for d in docs if d.is_summary),
        newest=newest.published if newest else "",
        newest_title=newest.title if newest else "",
        registry_latest=latest,
        last_refresh=services.catalog.get_meta("last_index_at") or "",
    )


def status_facts(services: Services, feedback: FeedbackStore) -> StatusFacts:
    """Everything /status shows."""
    stats = services.stats()
    last = services.catalog.get_meta("last_index_report")
    counts: dict[str, int] = {}
    if last:
        try:
            report = json.loads(last)
            counts = {k: int(report.get(k, 0)) for k in ("added", "updated", "unchanged", "deleted")}
            counts["skipped"] = len(report.get("skipped") or [])
        except (ValueError, TypeError, AttributeError):
            log.warning("The last index report in the catalog cannot be read; /status leaves it out")
    return StatusFacts(
        freshness=freshness(services),
        last_counts=counts,
        answerer=services.answerer.name,
        llm_model=services.settings.llm_model,
        passages=stats.chunks,
        model=stats.model,
        feedback=feedback.counts(),
        problem=stats.vectors_problem,
        reindexing=stats.reindexing or "",
    )
