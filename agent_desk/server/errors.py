"""Exceptions of the backend. A ``CommandError`` becomes a failed ``ack`` with its code."""

from __future__ import annotations

from ..protocol.codes import ErrorCode


class CommandError(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def not_found(what: str) -> CommandError:
    return CommandError(ErrorCode.NOT_FOUND, f"{what} not found")


def forbidden(message: str) -> CommandError:
    return CommandError(ErrorCode.FORBIDDEN, message)


def invalid_state(message: str) -> CommandError:
    return CommandError(ErrorCode.INVALID_STATE, message)
