"""Every command's handler, one table: the lifecycle's own and those of the modules that
grew around it (calls, customers, attachments)."""

from __future__ import annotations

from ..protocol import messages as m
from . import attachments, calls, customers, lifecycle
from .lifecycle import Handler

HANDLERS: dict[type[m.Command], Handler] = {
    **lifecycle.HANDLERS, **calls.HANDLERS, **customers.HANDLERS, **attachments.HANDLERS,
}
assert set(HANDLERS) == set(m.COMMANDS), "every command needs a handler"
