"""Phone call controls beyond hold/hang-up: mute, warm transfer (consult, complete,
cancel, conference), DTMF, callbacks; escalation of any interaction."""

from __future__ import annotations

from typing import Any

from ..protocol import messages as m
from ..protocol.codes import ErrorCode
from .errors import CommandError
from .lifecycle import Handler, Settings
from .models import Agent
from .tx import Tx


def _todo(tx: Tx, actor: Agent, cmd: Any, cfg: Settings) -> dict[str, Any]:
    raise CommandError(ErrorCode.INTERNAL, f"{type(cmd).__name__} is not implemented yet")


HANDLERS: dict[type[m.Command], Handler] = {
    m.Mute: _todo, m.Consult: _todo, m.CompleteTransfer: _todo, m.CancelConsult: _todo,
    m.Conference: _todo, m.SendDtmf: _todo, m.RequestCallback: _todo, m.Escalate: _todo,
}


def transfer_targets(session: Any, agent_id: int, channel: str | None) -> Any:
    raise CommandError(ErrorCode.INTERNAL, "get_transfer_targets is not implemented yet")
