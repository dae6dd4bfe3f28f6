"""The unified queue as a table model: every interaction the agent may see, on every channel.

Design (see ``shared/design/performance-notes.md``):

* Rows are ``QueueRow`` objects (``queue_rows.py``) holding precomputed display strings and
  sort keys, so ``data()`` is a lookup. Ticking values (waiting time, SLA remaining, offer
  countdown) are *not* stored: rows keep the due times and the delegate computes the
  countdown when it paints the visible rows.
* Filtering and sorting happen in Python on the row list (no sorting proxy). The bridge
  delivers changes in batches (every 30 ms, see ``bridge.py``); ``apply_batch`` applies one
  batch with at most: a few ``rowsRemoved`` (or one ``layoutChanged`` + one tail removal
  when removals are scattered), one ``rowsInserted`` (new rows are appended), one
  ``layoutChanged`` when the order changed (persistent indexes, i.e. the selection, follow
  their rows) and one ``dataChanged``. The model is reset only by ``reset_from_state`` (a
  snapshot).
* Offers to me are pinned to the top in every order and pass every filter (never hidden).

Counts (``counts()``, ``sig_counts_changed``): ``all``/``phone``/``email``/``chat`` count
the rows of that channel that match the *text* filter (plus offers to me, which always
show), independent of the channel filter — so each channel button tells how many rows that
channel would show. ``offers`` (offered to me) and ``mine`` (assigned to me) ignore all
filters: they are status figures for the status bar and the tray.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ..client.state import ClientState
from ..protocol.enums import Channel
from ..protocol.views import InteractionView
from .queue_rows import (
    COL_CHANNEL,
    COL_CUSTOMER,
    COL_PRIORITY,
    COL_QUEUE,
    COL_SLA,
    COL_STATE,
    COL_SUBJECT,
    COL_WAITING,
    COLUMN_COUNT,
    DEFAULT,
    INITIAL_DESC,
    PIN,
    SORT_KEYS,
    TICKING_COLUMNS,
    URGENCY,
    QueueRow,
    RowFormatter,
)

#: ``data()`` role giving the ``QueueRow`` itself (for the delegate).
RowRole = Qt.ItemDataRole.UserRole + 1
#: ``data()`` role giving the interaction id.
IdRole = Qt.ItemDataRole.UserRole + 2

_ROLES_CHANGED = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                  Qt.ItemDataRole.AccessibleTextRole, RowRole]
_ASC, _DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
_HINT = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
_SIG_LAYOUT = ("QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint")
#: Above this many separate removal ranges, rows are gathered at the end and cut at once.
_MAX_REMOVE_RANGES = 8
_ROOT = QModelIndex()


class QueueModel(QAbstractTableModel):
    """Signals:
        sig_counts_changed(dict): ``counts()`` changed (see the module docstring).
        sig_offers_changed(): an offer to me appeared, changed or went away.
    """

    sig_counts_changed = Signal(dict)
    sig_offers_changed = Signal()

    def __init__(self, state: ClientState, parent: QObject | None = None, *,
                 now: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._state = state
        self._now = now
        self._all: dict[int, QueueRow] = {}
        self._rows: list[QueueRow] = []
        self._pos: dict[int, int] | None = None
        self._channel: Channel | None = None
        self._words: list[str] = []
        self._sort_column = COL_SLA
        self._sort_order = _ASC
        self._counts = dict.fromkeys(("all", "phone", "email", "chat", "offers", "mine"), 0)
        self._emitted_counts: dict[str, int] = dict(self._counts)
        self._fmt = RowFormatter(state, self)

    # ---- translations -------------------------------------------------------------------

    def retranslate(self) -> None:
        """Rebuild every display string in the current language (after a language change)."""
        self._fmt.retranslate()
        for row in self._all.values():
            self._fill(row, row.view)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, COLUMN_COUNT - 1),
                                  _ROLES_CHANGED)

    def _fill(self, row: QueueRow, v: InteractionView) -> None:
        self._fmt.fill(row, v)
        row.text_ok = self._text_matches(row)

    # ---- filters and counts ----------------------------------------------------------------

    def _text_matches(self, row: QueueRow) -> bool:
        s = row.search
        return all(w in s for w in self._words)

    def _passes(self, row: QueueRow) -> bool:
        return row.offered_to_me or (
            row.text_ok and (self._channel is None or row.channel == self._channel))

    def _count(self, row: QueueRow, sign: int) -> None:
        c = self._counts
        if row.text_ok or row.offered_to_me:
            c["all"] += sign
            c[row.channel.value] += sign
        if row.offered_to_me:
            c["offers"] += sign
        if row.mine:
            c["mine"] += sign

    def _recount(self) -> None:
        self._counts = dict.fromkeys(self._counts, 0)
        for row in self._all.values():
            self._count(row, 1)

    def _emit_counts(self) -> None:
        if self._counts != self._emitted_counts:
            self._emitted_counts = dict(self._counts)
            self.sig_counts_changed.emit(dict(self._counts))

    def _sorted(self, rows: list[QueueRow]) -> list[QueueRow]:
        """``rows`` in the current order: the column's key (ties broken by urgency), offers
        to me first. Timsort makes this close to linear on an almost sorted list."""
        if self._sort_column == COL_SLA and self._sort_order == _ASC:
            return sorted(rows, key=DEFAULT)
        out = sorted(rows, key=URGENCY)
        out.sort(key=SORT_KEYS[self._sort_column], reverse=self._sort_order == _DESC)
        out.sort(key=PIN)
        return out

    # ---- structural changes (each keeps persistent indexes on their rows) -----------------

    def _positions(self) -> dict[int, int]:
        """``id(row)`` → row number, built lazily (in C) after each structural change."""
        pos = self._pos
        if pos is None:
            pos = self._pos = dict(zip(map(id, self._rows), range(len(self._rows)), strict=True))
        return pos

    def _relayout(self, new_rows: list[QueueRow]) -> None:
        """Show the same rows in a new order: one ``layoutChanged``."""
        old = self._rows
        self.layoutAboutToBeChanged[_SIG_LAYOUT].emit([], _HINT)  # type: ignore[index]
        self._rows = new_rows
        self._pos = None
        persistent = self.persistentIndexList()
        if persistent:
            pos = self._positions()
            moved = [self.createIndex(pos[id(old[p.row()])], p.column()) for p in persistent]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged[_SIG_LAYOUT].emit([], _HINT)  # type: ignore[index]

    def _remove_ranges(self, gone: set[QueueRow]) -> bool:
        """Remove ``gone`` range by range if they form few ranges (False: they do not)."""
        pos = self._positions()
        positions = sorted(pos[id(r)] for r in gone)
        ranges: list[list[int]] = []
        for p in positions:
            if ranges and ranges[-1][1] == p - 1:
                ranges[-1][1] = p
            else:
                ranges.append([p, p])
        if len(ranges) > _MAX_REMOVE_RANGES:
            return False
        rows = self._rows
        for first, last in reversed(ranges):
            self.beginRemoveRows(_ROOT, first, last)
            del rows[first:last + 1]
            self._pos = None
            self.endRemoveRows()
        return True

    def _append(self, new: list[QueueRow]) -> None:
        n = len(self._rows)
        self.beginInsertRows(_ROOT, n, n + len(new) - 1)
        for r in new:
            r.shown = True
        self._rows.extend(new)
        self._pos = None
        self.endInsertRows()

    def _update_rows(self, gone: set[QueueRow], added: list[QueueRow], resort: bool) -> None:
        """Remove ``gone``, add ``added`` and re-sort (if ``resort`` or rows were added) with
        few signals: a few contiguous removals alone are removed range by range; otherwise
        new rows are appended (one ``rowsInserted``), one ``layoutChanged`` puts the kept
        rows in order and the leaving ones at the end, and one ``rowsRemoved`` cuts that
        tail."""
        if gone and not added and not resort and self._remove_ranges(gone):
            for r in gone:
                r.shown = False
            return
        if added:
            self._append(added)
        rows = self._rows
        for r in gone:  # sorted after every shown row (restored below)
            r.shown = False
            r.pin_rank = 2
            r.k_default = (2, *r.k_urgency)
        if added or resort:
            final = self._sorted(rows)
        elif gone:
            final = [r for r in rows if r.shown] + [r for r in rows if not r.shown]
        else:
            final = rows
        for r in gone:
            r.pin_rank = 0 if r.offered_to_me else 1
            r.k_default = (r.pin_rank, *r.k_urgency)
        if final != rows:  # identity comparison, element by element
            self._relayout(final)
        if gone:
            keep = len(final) - len(gone)
            self.beginRemoveRows(_ROOT, keep, len(final) - 1)
            del self._rows[keep:]
            self._pos = None
            self.endRemoveRows()

    def _show(self, wanted: list[QueueRow]) -> None:
        """Go from the rows shown now to ``wanted`` (any order) — never a reset."""
        want = {id(r) for r in wanted}
        gone = {r for r in self._rows if id(r) not in want}
        self._update_rows(gone, [r for r in wanted if not r.shown], True)

    # ---- feeding ------------------------------------------------------------------------

    def reset_from_state(self) -> None:
        """Re-read every interaction from the state (after a snapshot): the only reset."""
        self.beginResetModel()
        self._fmt.me = self._state.my_id
        self._all = {}
        for v in self._state.interactions.values():
            row = QueueRow(v.id)
            self._fill(row, v)
            self._all[v.id] = row
        self._rows = self._sorted([r for r in self._all.values() if self._passes(r)])
        for r in self._all.values():
            r.shown = False
        for r in self._rows:
            r.shown = True
        self._pos = None
        self._recount()
        self.endResetModel()
        self._emit_counts()
        self.sig_offers_changed.emit()

    def apply_batch(self, upserted: Iterable[InteractionView], removed: Iterable[int]) -> None:
        """Apply one batch from the bridge incrementally (see the module docstring)."""
        changed: list[QueueRow] = []
        added: list[QueueRow] = []
        gone: set[QueueRow] = set()
        resort = False
        offers = False
        key = SORT_KEYS[self._sort_column]
        for v in upserted:
            row = self._all.get(v.id)
            if row is None:
                row = self._all[v.id] = QueueRow(v.id)
                self._fill(row, v)
                self._count(row, 1)
                offers = offers or row.offered_to_me
                if self._passes(row):
                    added.append(row)
                continue
            before = (row.k_urgency, key(row), row.pin_rank)
            was_offer = row.offered_to_me
            self._count(row, -1)
            self._fill(row, v)
            self._count(row, 1)
            offers = offers or was_offer or row.offered_to_me
            if row.shown:
                if not self._passes(row):
                    gone.add(row)
                    continue
                changed.append(row)
                resort = resort or before != (row.k_urgency, key(row), row.pin_rank)
            elif self._passes(row):
                added.append(row)
        for iid in removed:
            row = self._all.pop(iid, None)
            if row is None:
                continue
            self._count(row, -1)
            offers = offers or row.offered_to_me
            if row.shown:
                gone.add(row)
        if gone or added or resort:
            self._update_rows(gone, added, resort)
        if changed:
            pos = self._positions()
            first = min(pos[id(r)] for r in changed)
            last = max(pos[id(r)] for r in changed)
            self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1),
                                  _ROLES_CHANGED)
        self._emit_counts()
        if offers:
            self.sig_offers_changed.emit()

    # ---- filters and sorting ------------------------------------------------------------

    def set_channel_filter(self, channel: Channel | None) -> None:
        """Show one channel (``None``: all). Offers to me show regardless."""
        if channel != self._channel:
            self._channel = channel
            self._show([r for r in self._all.values() if self._passes(r)])

    def channel_filter(self) -> Channel | None:
        return self._channel

    def set_text_filter(self, text: str) -> None:
        """Show rows whose customer, subject, last message or queue contain every word of
        ``text`` (case-insensitive). Offers to me show regardless."""
        words = text.casefold().split()
        if words != self._words:
            self._words = words
            for r in self._all.values():
                r.text_ok = self._text_matches(r)
            self._recount()
            self._show([r for r in self._all.values() if self._passes(r)])
            self._emit_counts()

    def sort(self, column: int, order: Qt.SortOrder = _ASC) -> None:
        """Sort by ``column`` (the SLA column ascending is the default, most-urgent-first
        order: SLA remaining, then priority, then waiting time). Offers to me stay on top."""
        if 0 <= column < COLUMN_COUNT:
            self._sort_column, self._sort_order = column, order
            self._update_rows(set(), [], True)

    def sort_column(self) -> int:
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    # ---- queries ------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def row_at(self, row: int) -> QueueRow:
        return self._rows[row]

    def row_of(self, iid: int) -> int | None:
        """The row showing interaction ``iid``, or ``None`` when it is filtered out/absent."""
        r = self._all.get(iid)
        return self._positions()[id(r)] if r is not None and r.shown else None

    def get(self, iid: int) -> QueueRow | None:
        return self._all.get(iid)

    def offers(self) -> list[QueueRow]:
        """Offers to me, in the order shown (they are pinned to the top)."""
        out = []
        for r in self._rows:
            if not r.offered_to_me:
                break
            out.append(r)
        return out

    def urgency_order(self) -> list[QueueRow]:
        """The shown rows most urgent first (offers to me first)."""
        if self._sort_column == COL_SLA and self._sort_order == _ASC:
            return list(self._rows)
        return sorted(self._rows, key=DEFAULT)

    def now(self) -> float:
        return self._now()

    def my_id(self) -> int | None:
        return self._fmt.me

    # ---- QAbstractItemModel -------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col in TICKING_COLUMNS:
                return self._fmt.ticking_text(row, col, self._now())
            return row.texts[col]
        if role == RowRole:
            return row
        if role == IdRole:
            return row.iid
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.describe(row, col)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if section == COL_CHANNEL else self._fmt.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._fmt.header_tips[section]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._fmt.headers[section]
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            return (_DESC if section in INITIAL_DESC else _ASC).value
        if role == Qt.ItemDataRole.TextAlignmentRole and section == COL_WAITING:
            return (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
        return None

    def describe(self, row: QueueRow, col: int) -> str:
        """A full sentence for the cell (tooltip, accessible text)."""
        return self._fmt.describe(row, col, self._now())


__all__ = [
    "COLUMN_COUNT", "COL_CHANNEL", "COL_CUSTOMER", "COL_PRIORITY", "COL_QUEUE", "COL_SLA",
    "COL_STATE", "COL_SUBJECT", "COL_WAITING", "IdRole", "QueueModel", "QueueRow", "RowRole",
]
