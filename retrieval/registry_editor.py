"""Approving, rejecting and undoing registry proposals: members.csv edited one row at a time, with history.

An approval writes the proposal's row (its article as the row's article and source) into members.csv. The
file keeps its format and order: every other row stays byte for byte as it was, a changed row is replaced
in place, and a new row goes among its coalition's rows in joining order. The steps, in this order, so
that a failure at any point leaves the file and the history in step:

1. the new text is written to a temporary file beside members.csv and validated by `load_registry` against
   the indexed articles, exactly as a reindex validates the registry (an invalid row is refused, naming it);
2. the decision is recorded in the catalog, only if the proposal is still pending (two admins pressing
   Approve at once make one approval); when the approval is news (a new member, a later status), its
   announcement for watched channels is stored in the same transaction (retrieval/announcements.py);
3. the temporary file is renamed over members.csv (atomic: a reader sees the old file or the new one) and
   the registry is reloaded. Should the rename fail, the decision is taken back and the history says why.

An undo takes back the newest approval or rejection not undone yet: an approval's previous row is put
back exactly as the file had it (or the added row removed), validated and written the same way; the
proposal is pending again. Edits of members.csv by hand are never overwritten by an undo: if the row
changed since the approval, the undo is refused. One editor at a time, across threads and processes
(an flock on a file in the data folder).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import io
import json
import logging
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from retrieval.announcement_types import NewAnnouncement
from retrieval.announcements import announcement_for
from retrieval.catalog import Catalog
from retrieval.errors import ProposalError, RegistryError, StorageError
from retrieval.members_registry import (
    Member,
    Registry,
    RegistryHolder,
    date_start,
    fold,
    is_registry_date,
    load_registry,
)
from retrieval.proposal_types import APPROVE, PENDING, REJECT, Decision, Proposal

log = logging.getLogger(__name__)


def utc_now() -> str:
    """The time a decision is recorded with: ISO 8601, UTC, to the second."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- members.csv as records ----------------------------------------------------------------------------
@dataclass
class CsvRecord:
    """One record of the CSV exactly as the file has it, and its values (None for a blank line)."""

    raw: str
    values: dict[str, str] | None


class RegistryCsv:
    """members.csv as its header and records; a row is replaced, added or removed, the rest kept as written."""

    def __init__(self, text: str) -> None:
        lines = list(io.StringIO(text, newline=""))  # split at \n, \r\n or \r only, endings kept
        first = lines[0] if lines else ""
        self.newline = first[len(first.rstrip("\r\n")) :] or "\n"
        consumed: list[str] = []

        def feed() -> Iterator[str]:
            for line in lines:
                consumed.append(line)
                yield line

        reader = csv.reader(feed())
        self.fields: list[str] = next(reader, [])
        self.header_raw = "".join(consumed)
        consumed.clear()
        self.records: list[CsvRecord] = []
        for cells in reader:  # the reader asks for no line past the record it returns
            raw = "".join(consumed)
            consumed.clear()
            if not any(c.strip() for c in cells):
                self.records.append(CsvRecord(raw, None))
                continue
            values = {name: "" for name in self.fields}
            values.update({name: cell.strip() for name, cell in zip(self.fields, cells, strict=False)})
            self.records.append(CsvRecord(raw, values))

    @classmethod
    def read(cls, path: Path) -> RegistryCsv:
        try:
            with open(path, encoding="utf-8", newline="") as f:
                return cls(f.read())
        except (OSError, UnicodeDecodeError) as exc:
            raise RegistryError(f"members registry {path} cannot be read: {exc}") from None

    def find(self, coalition: str, member: str) -> int | None:
        """The index of a (coalition, member) row, matching names as the registry's duplicate check does."""
        key = (coalition, fold(member))
        for i, record in enumerate(self.records):
            if record.values and (record.values["coalition"], fold(record.values["member"])) == key:
                return i
        return None

    def format_row(self, values: dict[str, str]) -> str:
        """One row in the file's own CSV dialect and line ending."""
        out = io.StringIO()
        csv.writer(out, lineterminator=self.newline).writerow([values.get(f, "") for f in self.fields])
        return out.getvalue()

    def replace(self, index: int, values: dict[str, str], raw: str | None = None) -> None:
        self.records[index] = CsvRecord(raw if raw is not None else self.format_row(values), dict(values))

    def insert(self, values: dict[str, str]) -> int:
        """Add a row among its coalition's rows in joining order (after the last that joined no later)."""
        key = _sort_key(values)
        same = [
            i for i, r in enumerate(self.records) if r.values and r.values["coalition"] == values["coalition"]
        ]
        before = [i for i in same if _sort_key(self.records[i].values or {}) <= key]
        if before:
            index = before[-1] + 1
        elif same:
            index = same[0]
        else:
            index = max((i + 1 for i, r in enumerate(self.records) if r.values), default=0)
        self.records.insert(index, CsvRecord(self.format_row(values), dict(values)))
        return index

    def delete(self, index: int) -> None:
        del self.records[index]

    def text(self) -> str:
        parts = [self.header_raw, *(r.raw for r in self.records)]
        return "".join(
            part if i == len(parts) - 1 or part.endswith(("\n", "\r")) else part + self.newline
            for i, part in enumerate(parts)
        )


def _sort_key(values: dict[str, str]) -> tuple[dt.date, int, str]:
    """A row's place in joining order, as the registry sorts it (an invalid date last)."""
    joined = values.get("joined", "")
    order = values.get("order", "")
    return (
        date_start(joined) if is_registry_date(joined) else dt.date.max,
        int(order) if order.isdigit() else 10_000,
        values.get("member", ""),
    )


# -- the editor ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PendingProposal:
    """A pending proposal and the registry's row for its member and coalition now (None: not listed)."""

    proposal: Proposal
    current: Member | None


@dataclass(frozen=True)
class Approval:
    """An approved proposal: the decision recorded and the row as the reloaded registry holds it."""

    proposal: Proposal
    decision: Decision
    row: Member
    previous: dict[str, str] | None  # the row it replaced, as members.csv had it (None: a new row)


@dataclass(frozen=True)
class Undo:
    """A decision taken back: the decision, the undo's own history entry and the row back in place."""

    undone: Decision
    record: Decision
    restored: Member | None  # None when an added row was removed, or a rejection was undone


class RegistryEditor:
    """Decides proposals and writes members.csv: approve, reject, edit a date, undo, history."""

    def __init__(
        self,
        catalog: Catalog,
        registry: RegistryHolder,
        article_ids: Callable[[], set[str]],
        lock_path: Path,
        clock: Callable[[], str] = utc_now,
    ) -> None:
        self.catalog = catalog
        self.registry = registry
        self.article_ids = article_ids
        self.lock_path = Path(lock_path)
        self.clock = clock
        self._thread_lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.registry.path

    # -- reading ----------------------------------------------------------------------------
    def pending(self) -> list[PendingProposal]:
        """Pending proposals, oldest first, each with the registry's row for it now."""
        try:
            rows = {(m.coalition, m.member): m for m in self.registry.get().rows}
        except RegistryError as exc:
            log.warning("Members registry unavailable while listing proposals: %s", exc)
            rows = {}
        return [
            PendingProposal(p, rows.get((p.coalition, p.member))) for p in self.catalog.proposals(PENDING)
        ]

    def get(self, proposal_id: int) -> Proposal:
        """One proposal, or ProposalError naming the unknown number."""
        proposal = self.catalog.proposal(proposal_id)
        if proposal is None:
            raise ProposalError(
                f"there is no proposal #{proposal_id}; /registry pending (or `python -m retrieval registry pending`) "
                "lists the pending ones"
            )
        return proposal

    def history(self, limit: int = 20) -> list[Decision]:
        """The latest decisions and undos, newest first."""
        return self.catalog.registry_history(limit)

    # -- deciding ---------------------------------------------------------------------------
    def edit_date(self, proposal_id: int, date: str, who: str) -> Proposal:
        """Set a pending proposal's date (YYYY-MM-DD, YYYY-MM or YYYY) before it is approved."""
        date = date.strip()
        if not is_registry_date(date):
            raise ProposalError(f"{date!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY (a real day)")
        with self._locked():
            self._pending(proposal_id)
            edited = self.catalog.edit_proposal_date(proposal_id, date, who, self.clock())
            if edited is None:
                raise self._not_pending(proposal_id)
        log.info("Registry proposal #%d dated %s by %s", proposal_id, date, who)
        return edited

    def reject(self, proposal_id: int, who: str) -> Decision:
        """Reject a pending proposal (a re-index will not propose it again)."""
        with self._locked():
            self._pending(proposal_id)
            decision = self.catalog.decide_proposal(proposal_id, REJECT, who, self.clock())
            if decision is None:
                raise self._not_pending(proposal_id)
        log.info("Registry proposal #%d rejected by %s", proposal_id, who)
        return decision

    def approve(self, proposal_id: int, who: str) -> Approval:
        """Write the proposal's row into members.csv (validated as a reindex validates it), reload the registry
        and record the decision with the previous row."""
        with self._locked():
            proposal = self._pending(proposal_id)
            table = RegistryCsv.read(self.path)
            index = table.find(proposal.coalition, proposal.member)
            current = table.records[index] if index is not None else None
            values = self._row_values(proposal, current.values if current else None, table)
            if index is not None:
                table.replace(index, values)
            else:
                table.insert(values)
            article_ids = self.article_ids()
            temporary, written = self._validated(
                table, article_ids, f"proposal #{proposal_id} not approved", self._hint(proposal, values)
            )
            decision = self.catalog.decide_proposal(
                proposal_id,
                APPROVE,
                who,
                self.clock(),
                previous_row=_json(current.values) if current else "",
                new_row=_json(values),
                previous_csv=current.raw if current else "",
                announcement=self._news(values, current.values if current else None, written),
            )
            if decision is None:
                temporary.unlink(missing_ok=True)
                raise self._not_pending(proposal_id)
            try:
                os.replace(temporary, self.path)
            except OSError as exc:
                temporary.unlink(missing_ok=True)
                self.catalog.undo_decision(
                    decision.id, f"{who} (members.csv could not be written)", self.clock()
                )
                raise StorageError(
                    f"members.csv could not be written ({exc}); proposal #{proposal_id} is pending again"
                ) from exc
            registry = self.registry.reload(article_ids)
        row = next(
            m
            for m in registry.rows
            if (m.coalition, fold(m.member)) == (values["coalition"], fold(values["member"]))
        )
        log.info(
            "Registry proposal #%d approved by %s: %s %s %s",
            proposal_id,
            who,
            row.member,
            row.coalition,
            row.joined,
        )
        return Approval(proposal, decision, row, dict(current.values) if current and current.values else None)

    def undo(self, who: str) -> Undo:
        """Take back the newest approval or rejection not undone yet; its proposal is pending again."""
        with self._locked():
            decision = self.catalog.last_decision()
            if decision is None:
                raise ProposalError(
                    "nothing to undo: no approval or rejection is on record (or all are undone)"
                )
            if decision.action == REJECT:
                record = self.catalog.undo_decision(decision.id, who, self.clock())
                if record is None:
                    raise ProposalError(f"decision {decision.id} was undone meanwhile")
                log.info("Rejection of registry proposal #%d undone by %s", decision.proposal_id, who)
                return Undo(decision, record, None)
            table = RegistryCsv.read(self.path)
            index = table.find(decision.coalition, decision.member)
            approved = json.loads(decision.new_row)
            if index is None or table.records[index].values != approved:
                raise ProposalError(
                    f"not undone: the {decision.coalition} row of {decision.member} in members.csv changed after "
                    f"proposal #{decision.proposal_id} was approved ({decision.at}); edit members.csv by hand"
                )
            if decision.previous_csv:
                previous = json.loads(decision.previous_row)
                table.replace(index, previous, raw=decision.previous_csv)
            else:
                table.delete(index)
            article_ids = self.article_ids()
            temporary, _ = self._validated(
                table, article_ids, f"approval of proposal #{decision.proposal_id} not undone", ""
            )
            record = self.catalog.undo_decision(decision.id, who, self.clock())
            if record is None:
                temporary.unlink(missing_ok=True)
                raise ProposalError(f"decision {decision.id} was undone meanwhile")
            try:
                os.replace(temporary, self.path)
            except OSError as exc:
                temporary.unlink(missing_ok=True)
                self.catalog.decide_proposal(
                    decision.proposal_id,
                    APPROVE,
                    f"{decision.who} (restored: members.csv could not be written for the undo)",
                    self.clock(),
                    previous_row=decision.previous_row,
                    new_row=decision.new_row,
                    previous_csv=decision.previous_csv,
                )
                raise StorageError(f"members.csv could not be written ({exc}); the approval stands") from exc
            registry = self.registry.reload(article_ids)
        restored = next(
            (
                m
                for m in registry.rows
                if (m.coalition, fold(m.member)) == (decision.coalition, fold(decision.member))
            ),
            None,
        )
        log.info("Approval of registry proposal #%d undone by %s", decision.proposal_id, who)
        return Undo(decision, record, restored)

    # -- helpers ----------------------------------------------------------------------------
    def _pending(self, proposal_id: int) -> Proposal:
        proposal = self.get(proposal_id)
        if proposal.state != PENDING:
            raise self._not_pending(proposal_id, proposal)
        return proposal

    def _not_pending(self, proposal_id: int, proposal: Proposal | None = None) -> ProposalError:
        proposal = proposal or self.get(proposal_id)
        return ProposalError(
            f"proposal #{proposal_id} was {proposal.state} already (by {proposal.decided_by or 'someone'}, "
            f"{proposal.decided_at or 'just now'}); /registry undo (or `python -m retrieval registry undo`) takes "
            "back the latest decision"
        )

    def _row_values(
        self, proposal: Proposal, current: dict[str, str] | None, table: RegistryCsv
    ) -> dict[str, str]:
        """The registry row an approval writes: the proposal's member, status, date and article (its links as
        the sources); a changed row keeps its other columns, and its note says what it was."""
        values = dict(current) if current else {name: "" for name in table.fields}
        document = self.catalog.document(proposal.article)
        links = [document.url, *document.sources] if document else []
        sources = list(dict.fromkeys(u for u in links if u.startswith(("http://", "https://"))))
        if current is None:
            values["member_type"] = self._member_type(proposal.member)
            values["member"] = proposal.member
            values["coalition"] = proposal.coalition
            values["notes"] = ""
        elif proposal.conflict == "status" or current["status"] != proposal.status:
            values["notes"] = f"earlier {current['status']} ({current['joined']})"
        elif current["joined"] != proposal.date:
            earlier = f"date earlier given as {current['joined']}"
            values["notes"] = f"{earlier}; {current['notes']}" if current.get("notes") else earlier
        values["joined"] = proposal.date
        values["status"] = proposal.status
        if proposal.ordinal:
            values["order"] = str(proposal.ordinal)
        values["article"] = proposal.article
        values["sources"] = " ".join(sources)
        return values

    def _member_type(self, member: str) -> str:
        """A new row's member type: the member's type in the other coalition, else a country (the detector
        reads new members only among countries)."""
        try:
            rows = self.registry.get().rows
        except RegistryError:
            rows = []
        return next((m.member_type for m in rows if fold(m.member) == fold(member)), "country")

    def _hint(self, proposal: Proposal, values: dict[str, str]) -> str:
        if not values["joined"]:
            return f" (the article gives no date: set one with `registry date {proposal.id} YYYY-MM-DD` or Edit date)"
        if not values["sources"]:
            return f" (article {proposal.article!r} has no link to cite: give it a url in its front matter and reindex)"
        return ""

    def _news(
        self, values: dict[str, str], previous: dict[str, str] | None, registry: Registry
    ) -> NewAnnouncement | None:
        """What watched channels are told of an approval (None: not news), from the registry it writes."""
        key = (values["coalition"], fold(values["member"]))
        row = next((m for m in registry.rows if (m.coalition, fold(m.member)) == key), None)
        if row is None:
            return None
        return announcement_for(row, previous, registry, self.catalog.document(row.article))

    def _validated(
        self, table: RegistryCsv, article_ids: set[str], refused: str, hint: str
    ) -> tuple[Path, Registry]:
        """The new text in a temporary file beside members.csv, validated as a reindex validates the registry
        (and the registry it makes)."""
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        temporary = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(table.text())
                f.flush()
                os.fsync(f.fileno())
            os.chmod(temporary, stat.S_IMODE(self.path.stat().st_mode))
            registry = load_registry(temporary, article_ids)
        except RegistryError as exc:
            temporary.unlink(missing_ok=True)
            raise ProposalError(
                f"{refused}: {str(exc).replace(temporary.name, self.path.name)}{hint}"
            ) from None
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return temporary, registry

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One editor at a time in this process and across processes sharing the data folder."""
        with self._thread_lock:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)


def _json(values: dict[str, str] | None) -> str:
    return json.dumps(values, ensure_ascii=False) if values else ""
