"""The conversation view of each channel, registered with the workspace. Imported lazily:
a view's module loads the first time an interaction of its channel is opened."""

from __future__ import annotations

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


def register_channel_views() -> None:
    register_view("phone", _phone)
    register_view("email", _email)
    register_view("chat", _chat)
