"""Updating a flat model's rows to a new list in place, matched by key (article or template
id): removals (contiguous ranges, bottom-up), moves and inserts, then one ``dataChanged``
for the rows whose content changed — never a reset, so the selection and the scroll
position survive a refresh or a narrowing search. Shared by the KB results, the article
list and the template list; ``IdTableModel`` is the two lists' common table (records with an
``id``: rows, headers, update in place, one record replaced or added on top)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

T = TypeVar("T")
_ROOT = QModelIndex()


class RowModel(Protocol):
    """The begin/end calls of ``QAbstractItemModel`` the update uses."""

    def beginRemoveRows(self, parent: QModelIndex, first: int, last: int) -> None: ...  # noqa: N802
    def endRemoveRows(self) -> None: ...  # noqa: N802
    def beginInsertRows(self, parent: QModelIndex, first: int, last: int) -> None: ...  # noqa: N802
    def endInsertRows(self) -> None: ...  # noqa: N802
    def beginMoveRows(self, src: QModelIndex, first: int, last: int,  # noqa: N802
                      dst: QModelIndex, child: int) -> bool: ...
    def endMoveRows(self) -> None: ...  # noqa: N802


def sync_rows(model: RowModel, cur: list[T], rows: Sequence[T], key: Callable[[T], Any],
              changed: Callable[[int, int], None]) -> None:
    """Make ``cur`` (the model's row list) equal ``rows`` (a key once: later duplicates are
    dropped) through ``model``'s row signals; ``changed(first, last)`` is called once for
    the span of rows whose content changed."""
    new: list[T] = []
    seen: set[Any] = set()
    for r in rows:
        if key(r) not in seen:
            seen.add(key(r))
            new.append(r)
    i = len(cur) - 1  # 1. remove what is gone, bottom-up, a contiguous range at a time
    while i >= 0:
        if key(cur[i]) in seen:
            i -= 1
            continue
        j = i
        while j > 0 and key(cur[j - 1]) not in seen:
            j -= 1
        model.beginRemoveRows(_ROOT, j, i)
        del cur[j:i + 1]
        model.endRemoveRows()
        i = j - 1
    touched: list[int] = []  # 2. walk the new order: keep, move up, or insert a run
    p = 0
    while p < len(new):
        want = new[p]
        if p < len(cur) and key(cur[p]) == key(want):
            if cur[p] != want:
                cur[p] = want
                touched.append(p)
            p += 1
            continue
        q = next((k for k in range(p + 1, len(cur)) if key(cur[k]) == key(want)), -1)
        if q >= 0:
            model.beginMoveRows(_ROOT, q, q, _ROOT, p)
            old = cur.pop(q)
            cur.insert(p, want)
            model.endMoveRows()
            if old != want:
                touched.append(p)
            p += 1
            continue
        present = {key(r) for r in cur}
        end = p
        while end < len(new) and key(new[end]) not in present:
            end += 1
        model.beginInsertRows(_ROOT, p, end - 1)
        cur[p:p] = new[p:end]
        model.endInsertRows()
        p = end
    if touched:
        changed(min(touched), max(touched))


class IdTableModel(QAbstractTableModel):
    """A flat table of records that have an ``id``. Subclasses give ``headers()`` and
    ``data()``; ``COLUMNS`` is how many headers there are."""

    COLUMNS = 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Make the rows equal ``rows`` (in that order) in place, so the selected record
        stays selected."""
        sync_rows(self, self._rows, rows, lambda r: r.id, self._changed)

    def upsert(self, record: Any) -> None:
        """One record changed (a save, an action): replace it, or add it on top."""
        row = self.row_of(record.id)
        if row is None:
            self.beginInsertRows(_ROOT, 0, 0)
            self._rows.insert(0, record)
            self.endInsertRows()
        else:
            self._rows[row] = record
            self._changed(row, row)

    def remove(self, record_id: str) -> bool:
        row = self.row_of(record_id)
        if row is None:
            return False
        self.beginRemoveRows(_ROOT, row, row)
        del self._rows[row]
        self.endRemoveRows()
        return True

    def row_of(self, record_id: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), None)

    def record(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, 0), self.index(last, self.COLUMNS - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT  # noqa: N802
                 ) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT  # noqa: N802
                    ) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None
