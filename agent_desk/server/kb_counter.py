"""The knowledge base's change counter and the ``kb`` event.

One row (``kb_counter``, id 1) holds the last KB change number. A writer takes numbers
with ``UPDATE … SET value = value + n … RETURNING value`` on that row, in the transaction
of the change: on PostgreSQL the row lock queues concurrent writers (a server and an
``agent-desk kb publish`` import, several server processes) until the holder commits, so
numbers become visible in the order they were taken and a reader that saw number N also
sees every change numbered below N. SQLite serialises writers anyway.

Each row that agents' KB sees change (an article published or archived, a template saved,
a reply example added or retired) gets a number of its own (``change_no``), so a sync page
never has to split one number between pages.

A transaction that changed the KB (``mark``) gets one ``kb`` event when it settles
(``KbAnnouncer.announce``, from the engine), for every connection. Changes committed by
another process are noticed by ``KbAnnouncer.poll`` on the server's tick.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..protocol.kb import KBChanged
from .models import KbCounter
from .tx import Tx

_ROW = 1
_TABLE = KbCounter.__table__


def take(session: Session, n: int = 1) -> int:
    """Take the next ``n`` change numbers; returns the last (they are ``last - n + 1`` …
    ``last``)."""
    assert n >= 1
    stmt = (update(_TABLE).where(_TABLE.c.id == _ROW)  # type: ignore[arg-type]
            .values(value=_TABLE.c.value + n).returning(_TABLE.c.value))
    value = session.execute(stmt).scalar_one_or_none()
    if value is None:  # a schema made without the migrations' row (tests, create_all)
        session.add(KbCounter(id=_ROW, value=n, epoch=uuid.uuid4().hex))
        session.flush()
        return n
    return int(value)


def current_and_epoch(session: Session) -> tuple[int, str]:
    """``current`` and the KB's identity (made with the database's counter row; "" before
    the first change of a schema made without the migrations), in one query."""
    row = session.execute(select(KbCounter.value, KbCounter.epoch)
                          .where(KbCounter.id == _ROW)).first()
    return (int(row[0] or 0), str(row[1] or "")) if row is not None else (0, "")


def current(session: Session) -> int:
    """The last change number taken (and committed, as this transaction sees it)."""
    value = session.execute(select(KbCounter.value).where(KbCounter.id == _ROW)).scalar()
    return int(value or 0)


def mark(tx: Tx, number: int | None = None) -> None:
    """The KB changed in ``tx`` (``number``: the last change number it took for it)."""
    tx.kb_changed = True
    if number is not None:
        tx.kb_cursor = max(tx.kb_cursor or 0, number)


def visible(tx: Tx, n: int = 1) -> int:
    """Take ``n`` numbers for changes agents' KB sees and mark ``tx``; returns the first."""
    last = take(tx.session, n)
    mark(tx, last)
    return last - n + 1


class KbAnnouncer:
    """Sends the ``kb`` event: once per transaction that changed the KB, and for changes
    other processes committed (noticed on the tick)."""

    def __init__(self) -> None:
        self.last: int | None = None  # the newest cursor announced (or seen at start)

    def announce(self, tx: Tx) -> None:
        if not tx.kb_changed:
            return
        cursor = tx.kb_cursor if tx.kb_cursor is not None else current(tx.session)
        tx.emit(KBChanged(cursor=cursor), everyone=True)
        tx.kb_changed = False
        tx.kb_cursor = None
        self.last = max(self.last or 0, cursor)

    def poll(self, tx: Tx) -> None:
        """Announce numbers taken outside this process since the last announcement."""
        value = current(tx.session)
        if self.last is None or value < self.last:  # at start, or a database reset
            self.last = value
        elif value > self.last and not tx.kb_changed:
            mark(tx, value)
