"""Email attachments: chunked uploads for replies, stored and read back piece by piece."""

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


HANDLERS: dict[type[m.Command], Handler] = {m.UploadChunk: _todo}


def read_chunk(session: Any, attachment_id: int, offset: int, length: int) -> Any:
    raise CommandError(ErrorCode.INTERNAL, "get_attachment is not implemented yet")
