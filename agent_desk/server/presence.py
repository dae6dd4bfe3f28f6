"""Live presence on interactions (collision detection): who has one open, who is typing in
it, whether the customer is typing; and the customer's "seen" state of a chat.

Viewing and typing are live only: kept in memory by this server process (not stored, not
replayed, lost on restart; clients send their ``activity`` again after reconnecting).
Everyone viewing an interaction and its assignee get a ``presence`` frame whenever the
set of viewers or a typing flag changes. Typing flags expire ``TYPING_TTL_S`` after the
last refresh (clients refresh every 3 s while typing); the server's ticker expires them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..protocol import messages as m
from ..protocol.codec import encode
from ..protocol.codes import ErrorCode
from ..protocol.enums import Channel, Direction
from ..protocol.views import ViewerView
from .engine import Viewer
from .hub import Conn, Hub
from .models import Agent, Interaction, Message
from .tx import Before, Tx

if TYPE_CHECKING:
    from .app import Server

log = logging.getLogger("agent_desk.server.presence")
#: A typing flag (agent's or customer's) lapses this long after its last refresh.
TYPING_TTL_S = 6.0


@dataclass(frozen=True)
class RoomInfo:
    """What presence needs to know of an interaction (read from the store)."""

    interaction_id: int
    channel: str
    assignee: int | None
    agent_name: str = ""  # the name of whoever asked (empty for connectors)


@dataclass
class _Entry:
    agent_id: int
    name: str
    role: str
    typing_until: float | None = None


@dataclass
class _Room:
    channel: str
    assignee: int | None
    entries: dict[Conn, _Entry] = field(default_factory=dict)
    customer_typing_until: float | None = None
    last_sent: tuple[object, ...] | None = None
    agent_typing_sent: bool = False  # what the connectors were last told


def room_info(session: Session, viewer: Viewer | None, interaction_id: int) -> RoomInfo | None:
    """The interaction's presence facts, or None when it does not exist or ``viewer`` may
    not see it (supervisors; its assignee, offeree or consulted agent; its queue's
    members). ``viewer`` None: a connector asking (no check)."""
    row = session.execute(select(
        Interaction.channel, Interaction.assigned_agent_id, Interaction.offered_agent_id,
        Interaction.consult_agent_id, Interaction.queue_id).where(
        Interaction.id == interaction_id)).first()
    if row is None:
        return None
    channel, assignee, offeree, consultee, queue_id = row
    if viewer is None:
        return RoomInfo(interaction_id, channel, assignee)
    if not (viewer.supervisor or viewer.agent_id in (assignee, offeree, consultee)
            or queue_id in viewer.queue_ids):
        return None
    name = session.execute(select(Agent.name).where(Agent.id == viewer.agent_id)).scalar()
    return RoomInfo(interaction_id, channel, assignee, name or "")


class Presence:
    """The in-memory registry. Methods run on the event loop; ``agent_typing`` is called
    with (interaction id, typing) when a chat's assignee starts or stops typing."""

    def __init__(self, hub: Hub, now: Callable[[], float],
                 agent_typing: Callable[[int, bool], None]) -> None:
        self._hub = hub
        self._now = now
        self._agent_typing = agent_typing
        self._rooms: dict[int, _Room] = {}
        self._by_conn: dict[Conn, set[int]] = {}

    def _room(self, info: RoomInfo) -> _Room:
        room = self._rooms.get(info.interaction_id)
        if room is None:
            room = self._rooms[info.interaction_id] = _Room(info.channel, info.assignee)
        room.channel, room.assignee = info.channel, info.assignee
        return room

    # ---- changes ------------------------------------------------------------------------

    def activity(self, conn: Conn, info: RoomInfo, viewing: bool, typing: bool) -> None:
        """``conn`` opened (``viewing``) or closed the interaction, typing or not."""
        iid = info.interaction_id
        room = self._room(info)
        joined = False
        if viewing:
            entry = room.entries.get(conn)
            if entry is None:
                joined = True
                entry = room.entries[conn] = _Entry(conn.agent_id, info.agent_name,
                                                    conn.viewer.role)
                self._by_conn.setdefault(conn, set()).add(iid)
            entry.typing_until = self._now() + TYPING_TTL_S if typing else None
        elif room.entries.pop(conn, None) is not None:
            self._forget(conn, iid)
        self._changed(iid, room, also=conn if joined else None)

    def customer_typing(self, info: RoomInfo, typing: bool) -> None:
        room = self._room(info)
        room.customer_typing_until = self._now() + TYPING_TTL_S if typing else None
        self._changed(info.interaction_id, room)

    def customer_stopped(self, interaction_id: int) -> None:
        """The customer's message arrived: they are no longer typing it."""
        room = self._rooms.get(interaction_id)
        if room is not None and room.customer_typing_until is not None:
            room.customer_typing_until = None
            self._changed(interaction_id, room)

    def drop(self, conn: Conn) -> None:
        """``conn`` closed: it views nothing any more."""
        for iid in self._by_conn.pop(conn, set()):
            room = self._rooms.get(iid)
            if room is not None and room.entries.pop(conn, None) is not None:
                self._changed(iid, room)

    def expire(self) -> None:
        """Typing flags not refreshed within ``TYPING_TTL_S`` lapse (called by the ticker)."""
        now = self._now()
        for iid, room in list(self._rooms.items()):
            lapsed = False
            for entry in room.entries.values():
                if entry.typing_until is not None and entry.typing_until <= now:
                    entry.typing_until, lapsed = None, True
            if room.customer_typing_until is not None and room.customer_typing_until <= now:
                room.customer_typing_until, lapsed = None, True
            if lapsed:
                self._changed(iid, room)

    def _forget(self, conn: Conn, iid: int) -> None:
        ids = self._by_conn.get(conn)
        if ids is not None:
            ids.discard(iid)
            if not ids:
                del self._by_conn[conn]

    # ---- what others are told -----------------------------------------------------------

    def viewers(self, interaction_id: int) -> list[ViewerView]:
        room = self._rooms.get(interaction_id)
        return self._viewers(room) if room is not None else []

    def _viewers(self, room: _Room) -> list[ViewerView]:
        now = self._now()
        by_agent: dict[int, ViewerView] = {}
        for e in room.entries.values():
            typing = e.typing_until is not None and e.typing_until > now
            seen = by_agent.get(e.agent_id)
            if seen is None:
                by_agent[e.agent_id] = ViewerView(agent_id=e.agent_id, name=e.name,
                                                  role=e.role,  # type: ignore[arg-type]
                                                  typing=typing)
            elif typing:
                seen.typing = True
        return sorted(by_agent.values(), key=lambda v: (v.name, v.agent_id))

    def _changed(self, iid: int, room: _Room, also: Conn | None = None) -> None:
        viewers = self._viewers(room)
        now = self._now()
        customer = room.customer_typing_until is not None and room.customer_typing_until > now
        state = (tuple((v.agent_id, v.typing) for v in viewers), customer)
        targets: set[Conn] = set()
        if state != room.last_sent:
            room.last_sent = state
            targets = set(room.entries) | self._hub.conns_of(room.assignee)
        elif also is not None:
            targets = {also}  # nothing changed for the others, but it needs the picture
        if targets:
            frame = encode(m.Presence(interaction_id=iid, viewers=viewers,
                                      customer_typing=customer))
            for conn in targets:
                conn.push(frame)
        if room.channel == Channel.CHAT:
            mine = any(v.typing for v in viewers if v.agent_id == room.assignee)
            if mine != room.agent_typing_sent:
                room.agent_typing_sent = mine
                self._agent_typing(iid, mine)
        if not room.entries and not customer and not room.agent_typing_sent:
            del self._rooms[iid]


async def handle_activity(server: Server, conn: Conn, frame: m.Activity) -> None:
    """An ``activity`` frame: check the agent may see the interaction, then record it."""
    iid = frame.interaction_id
    viewer = conn.viewer
    info = await server.store.run(lambda s: room_info(s, viewer, iid))
    if info is None:
        conn.push(encode(m.Error(re=frame.id, code=ErrorCode.NOT_FOUND,
                                 message=f"interaction {iid} not found")))
        return
    if not conn.closed:
        server.presence.activity(conn, info, frame.viewing, frame.typing)


def mark_seen(tx: Tx, interaction_id: int) -> Tx:
    """The customer saw the agent's messages: ``customer_seen_at`` and a ``seen`` change,
    only when an agent message came after the last time (repeats are ignored)."""
    inter = tx.session.get(Interaction, interaction_id)
    if inter is None:
        log.info("seen for unknown interaction %s ignored", interaction_id)
        return tx
    last_out = tx.session.execute(select(func.max(Message.at)).where(
        Message.interaction_id == inter.id, Message.direction == Direction.OUTBOUND)).scalar()
    if last_out is None or (inter.customer_seen_at is not None
                            and last_out <= inter.customer_seen_at):
        return tx
    before = Before.of(inter)
    inter.customer_seen_at = tx.now
    tx.interaction_changed(inter, "seen", before)
    return tx
