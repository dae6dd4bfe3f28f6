"""The thin adapter between the call state machine and the wire: a
:class:`~agent_desk.channels.phone.CallCommand` (what :class:`PhoneCall` returns after an
agent action) becomes the protocol command that asks the backend to do it.

No Qt, no network: the caller sends the frame (``Controller.send``). ``wrap_up`` is not a
call command here: it needs a disposition, which the wrap-up panel sends itself."""

from __future__ import annotations

import uuid

from agent_desk.channels.errors import ChannelError
from agent_desk.channels.phone import CallAction, CallCommand, TransferTarget
from agent_desk.protocol import messages as m

#: Largest note the protocol carries (``ShortText``).
MAX_NOTE = 500


class NotACallFrame(ChannelError):
    """The command has no protocol frame of its own (or lacks what the frame needs)."""

    code = "no_frame"


def new_key() -> str:
    return str(uuid.uuid4())


def _targets(target: TransferTarget | None, what: str) -> tuple[int | None, int | None]:
    """(to_agent_id, to_queue_id) of ``target``."""
    if target is None:
        raise NotACallFrame(f"{what} needs a target agent or queue", code="no_target")
    return (target.id, None) if target.kind == "agent" else (None, target.id)


def to_frame(cmd: CallCommand, interaction_id: int, *, key: str | None = None,
             note: str = "") -> m.Command:
    """The protocol command for ``cmd`` on the call ``interaction_id``.

    ``key`` is the idempotency key (a new one when omitted: one per action); ``note`` goes
    with a blind transfer (as the transfer note), a decline (as its reason) and a callback.
    Raises :class:`NotACallFrame` for ``wrap_up`` and for commands missing their data."""
    a = cmd.action
    iid = interaction_id
    k = key or new_key()
    note = note.strip()[:MAX_NOTE]
    if a == CallAction.ANSWER:
        return m.Accept(key=k, interaction_id=iid)
    if a == CallAction.DECLINE:
        return m.Decline(key=k, interaction_id=iid, reason=note)
    if a == CallAction.HOLD:
        return m.Hold(key=k, interaction_id=iid)
    if a == CallAction.RESUME:
        return m.Unhold(key=k, interaction_id=iid)
    if a in (CallAction.MUTE, CallAction.UNMUTE):
        return m.Mute(key=k, interaction_id=iid, muted=a == CallAction.MUTE)
    if a == CallAction.BLIND_TRANSFER:
        agent, queue = _targets(cmd.target, "a transfer")
        return m.Transfer(key=k, interaction_id=iid, to_agent_id=agent, to_queue_id=queue,
                          note=note or None)
    if a == CallAction.WARM_TRANSFER_START:
        agent, queue = _targets(cmd.target, "a consultation")
        return m.Consult(key=k, interaction_id=iid, to_agent_id=agent, to_queue_id=queue)
    if a == CallAction.WARM_TRANSFER_COMPLETE:
        return m.CompleteTransfer(key=k, interaction_id=iid)
    if a == CallAction.WARM_TRANSFER_CANCEL:
        return m.CancelConsult(key=k, interaction_id=iid)
    if a == CallAction.CONFERENCE:
        return m.Conference(key=k, interaction_id=iid)
    if a == CallAction.HANG_UP:
        return m.HangUp(key=k, interaction_id=iid)
    if a == CallAction.DTMF:
        if not cmd.digits:
            raise NotACallFrame("DTMF without digits", code="dtmf_empty")
        return m.SendDtmf(key=k, interaction_id=iid, digits=cmd.digits)
    if a == CallAction.REQUEST_CALLBACK:
        cb = cmd.callback
        if cb is None:
            raise NotACallFrame("a callback request without number and window",
                                code="no_callback")
        return m.RequestCallback(key=k, interaction_id=iid, number=cb.number,
                                 window_start=cb.window_start, window_end=cb.window_end,
                                 note=note)
    raise NotACallFrame(f"{a.value} has no call frame (wrap-up is sent with its disposition "
                        "by the wrap-up panel)")
