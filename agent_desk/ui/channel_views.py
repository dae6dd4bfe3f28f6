"""The conversation view of each channel, registered with the workspace. Imported lazily:
a view's module loads the first time an interaction of its channel is opened."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from ..protocol import views as v
from .view_context import ViewContext
from .workspace import register_view


def _phone(i: v.InteractionView, ctx: ViewContext, parent: QWidget) -> QWidget:
    from .phone_view import PhoneView

    return PhoneView(i, ctx, parent)


def _email(i: v.InteractionView, ctx: ViewContext, parent: QWidget) -> QWidget:
    from .email_view import EmailView

    return EmailView(i, ctx, parent)


def _chat(i: v.InteractionView, ctx: ViewContext, parent: QWidget) -> QWidget:
    from .chat_view import ChatView

    return ChatView(i, ctx, parent)


_CONVERSATION = "ConversationShortcuts"
#: (keys, description) of the conversation views' shortcuts (shown in the F1 help).
SHORTCUTS: tuple[tuple[str, object], ...] = (
    ("Ctrl+Shift+H", QT_TRANSLATE_NOOP("ConversationShortcuts", "Call: hold / resume")),
    ("Ctrl+Shift+M", QT_TRANSLATE_NOOP("ConversationShortcuts", "Call: mute / unmute")),
    ("Ctrl+Shift+K", QT_TRANSLATE_NOOP("ConversationShortcuts", "Call: keypad (DTMF)")),
    ("Ctrl+Shift+C", QT_TRANSLATE_NOOP("ConversationShortcuts",
                                       "Call: consult (warm transfer)")),
    ("Ctrl+Shift+O", QT_TRANSLATE_NOOP("ConversationShortcuts", "Call: complete the transfer")),
    ("Ctrl+Shift+F", QT_TRANSLATE_NOOP("ConversationShortcuts",
                                       "Call: conference / email: forward")),
    ("Ctrl+Shift+R", QT_TRANSLATE_NOOP("ConversationShortcuts",
                                       "Call: back to the caller / email: reply all")),
    ("Ctrl+Shift+B", QT_TRANSLATE_NOOP("ConversationShortcuts", "Call: request a callback")),
    ("Ctrl+R", QT_TRANSLATE_NOOP("ConversationShortcuts", "Email: reply")),
    ("Ctrl+Shift+I", QT_TRANSLATE_NOOP("ConversationShortcuts", "Email: internal note")),
    ("Ctrl+Shift+T", QT_TRANSLATE_NOOP("ConversationShortcuts", "Transfer")),
    ("Ctrl+Shift+L", QT_TRANSLATE_NOOP("ConversationShortcuts", "Escalate")),
    ("Ctrl+Shift+E", QT_TRANSLATE_NOOP("ConversationShortcuts",
                                       "Hang up / close the email / end the chat")),
    ("Enter", QT_TRANSLATE_NOOP("ConversationShortcuts", "Chat: send (Shift+Enter: new line)")),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("ConversationShortcuts",
                                     "Email: send / wrap-up: done")),
    ("# … Tab", QT_TRANSLATE_NOOP("ConversationShortcuts",
                                  "In a reply: #shortcut then Tab or Space expands that "
                                  "template (Ctrl+Z: undo)")),
)


def shortcuts() -> list[tuple[str, str]]:
    return [(k, QCoreApplication.translate(_CONVERSATION, str(t))) for k, t in SHORTCUTS]


def register_channel_views() -> None:
    register_view("phone", _phone)
    register_view("email", _email)
    register_view("chat", _chat)
