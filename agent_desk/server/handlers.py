"""Every command's handler, one table: the lifecycle's own and those of the modules that
grew around it (calls, customers, attachments, the knowledge base)."""

from __future__ import annotations

from ..protocol import messages as m
from . import attachments, calls, customers, kb_articles, kb_templates, lifecycle
from .lifecycle import Handler

HANDLERS: dict[type[m.Command], Handler] = {
    **lifecycle.HANDLERS, **calls.HANDLERS, **customers.HANDLERS, **attachments.HANDLERS,
    **kb_articles.HANDLERS, **kb_templates.HANDLERS,
}
assert set(HANDLERS) == set(m.COMMANDS), "every command needs a handler"
