"""What the connection tells the rest of the client: its status and why it stopped
(plain data and exceptions, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..protocol.codes import CloseCode, ErrorCode

FATAL_ERRORS = {ErrorCode.AUTH_FAILED, ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMITED,
                ErrorCode.UNSUPPORTED_VERSION, ErrorCode.NOT_AUTHENTICATED}


class Status(StrEnum):
    OFFLINE = "offline"  # not started / stopped
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # waiting ``retry_in_s`` before the next attempt
    SIGNED_OUT = "signed_out"  # fatal: needs the user (wrong password, certificate, ...)


@dataclass(frozen=True)
class ConnectionStatus:
    status: Status = Status.OFFLINE
    retry_at: float | None = None  # time.monotonic() of the next attempt
    queued: int = 0  # actions waiting in the outbox
    error_code: str | None = None  # ErrorCode value, "certificate", "unreachable", ...
    error: str | None = None  # detail for the log / tooltip (English, from the server)
    retry_after_s: float | None = None


class Fatal(Exception):
    def __init__(self, code: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


class Retry(Exception):
    """A non-fatal failure: try again (at once when ``immediate``, else after backoff)."""

    def __init__(self, code: str, message: str, immediate: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.immediate = immediate


class NotConnected(Exception):
    """A query needs the server and there is no connection right now."""



def close_to_error(cc: CloseCode) -> str:
    return {
        CloseCode.AUTH_FAILED: ErrorCode.AUTH_FAILED,
        CloseCode.FORBIDDEN: ErrorCode.FORBIDDEN,
        CloseCode.UNSUPPORTED_VERSION: ErrorCode.UNSUPPORTED_VERSION,
        CloseCode.RATE_LIMITED: ErrorCode.RATE_LIMITED,
    }.get(cc, f"close_{int(cc)}")
