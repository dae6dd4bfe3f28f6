"""A KB editor's save or lifecycle action, waited for until the server answers: offline it
is kept in the outbox (and said) and its late answer awaited; a refusal or an unreadable
result is said with the server's reason. The article and template editors share it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import msgspec
from PySide6.QtCore import QCoreApplication

from ..protocol import messages as m
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.editor_commands")
R = TypeVar("R")


async def send_for_result(ctx: ViewContext, cmd: m.Command, result_type: type[R],
                          failed: str, say: Callable[[str], None]) -> R | None:
    """The command's result as ``result_type``, or None after ``say`` told why not."""
    ack, pending = await ctx.controller.send_tracked(cmd, failed)
    if ack is None and pending is not None:
        say(QCoreApplication.translate(
            "EditorCommands", "Offline: saved on this computer and sent when the server is "
            "back."))
        ack = await pending
    if ack is None:
        say(QCoreApplication.translate(
            "EditorCommands", "Could not keep the change on this computer; your text is "
            "still here."))
        return None
    if not ack.ok:
        say(ack.error.message if ack.error else failed)
        return None
    try:
        return msgspec.convert(ack.result, result_type)
    except msgspec.ValidationError as exc:
        log.warning("malformed %s in the ack: %s", result_type.__name__, exc)
        say(failed)
        return None
