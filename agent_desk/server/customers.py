"""Customers: link an interaction to a customer and create customers, for when the screen pop
found none or several."""

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


HANDLERS: dict[type[m.Command], Handler] = {m.LinkCustomer: _todo, m.CreateCustomer: _todo}
