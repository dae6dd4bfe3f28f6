"""The exceptions of the channel layer, in one place.

::

    ChannelError                    base of everything raised by agent_desk.channels
    ├── InvalidTransition           a call action that the call's state does not allow
    ├── InvalidInput (ValueError)   a value the agent typed is not acceptable (DTMF digits,
    │                               a callback number or time window, a transfer target)
    └── EmailError                  a raw email that cannot be parsed at all, or a draft that
        │                           cannot be built
        └── AttachmentError         an attachment that does not fit the size limit

Every exception carries a ``code`` (a stable machine-readable string the UI can translate)
and an English message for logs. Address problems are not raised one by one: validation
returns a list of :class:`~agent_desk.channels.email.addresses.AddressProblem` so the
composer can show all of them at once.
"""

from __future__ import annotations


class ChannelError(Exception):
    """Base of the channel layer's exceptions."""

    code = "channel_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class InvalidTransition(ChannelError):
    """An action the current state does not allow (``state`` and ``action`` say which)."""

    code = "invalid_transition"

    def __init__(self, state: str, action: str, allowed: tuple[str, ...] = ()) -> None:
        self.state = state
        self.action = action
        self.allowed = allowed
        hint = f" (allowed now: {', '.join(allowed)})" if allowed else " (no action is allowed now)"
        super().__init__(f"cannot {action} while the call is {state}{hint}")


class InvalidInput(ChannelError, ValueError):
    """A value typed by the agent that is rejected before anything is sent."""

    code = "invalid_input"


class EmailError(ChannelError):
    """A raw message that cannot be parsed, or a draft that cannot be built."""

    code = "email_error"


class AttachmentError(EmailError):
    """An attachment over the size limit (``name`` and ``limit`` say which and how much)."""

    code = "attachment_too_large"

    def __init__(self, message: str, *, name: str, size: int, limit: int) -> None:
        super().__init__(message)
        self.name = name
        self.size = size
        self.limit = limit
