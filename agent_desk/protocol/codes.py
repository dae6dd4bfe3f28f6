"""Error codes and websocket close codes of protocol v1, each with what a client should do.

These tables are the single source for the server, the client and ``docs/protocol.md``.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class ErrorCode(StrEnum):
    """The ``code`` of an ``error`` frame or of a failed ``ack``."""

    AUTH_FAILED = "auth_failed"
    TOKEN_EXPIRED = "token_expired"
    RATE_LIMITED = "rate_limited"
    NOT_AUTHENTICATED = "not_authenticated"
    FORBIDDEN = "forbidden"
    MALFORMED = "malformed"
    UNKNOWN_TYPE = "unknown_type"
    INVALID = "invalid"
    TOO_LARGE = "too_large"
    UNSUPPORTED_VERSION = "unsupported_version"
    NOT_FOUND = "not_found"
    INVALID_STATE = "invalid_state"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    RESUME_TOO_OLD = "resume_too_old"
    INTERNAL = "internal"
    UNAVAILABLE = "unavailable"
    LIMIT_EXCEEDED = "limit_exceeded"


#: What a client should do for each error code (rendered into docs/protocol.md).
ERROR_ADVICE: dict[ErrorCode, str] = {
    ErrorCode.AUTH_FAILED: "Wrong username/password or an unknown/revoked token. Do not retry "
    "automatically: ask the user to sign in again (the connection is closed with 4001).",
    ErrorCode.TOKEN_EXPIRED: "The access token has expired. Send `refresh` with the refresh token "
    "(on this connection if it is still open, else on a new one) and resume.",
    ErrorCode.RATE_LIMITED: "Too many failed sign-ins for this user or from this address. Wait "
    "`retry_after` seconds before trying again; tell the user.",
    ErrorCode.NOT_AUTHENTICATED: "A command was sent before `login`/`hello`/`refresh` succeeded. "
    "Authenticate first.",
    ErrorCode.FORBIDDEN: "Your role or ownership does not allow this command. Do not retry; "
    "tell the user. The connection stays open.",
    ErrorCode.MALFORMED: "The frame was not a JSON object. Fix the client; the connection stays "
    "open and nothing was applied.",
    ErrorCode.UNKNOWN_TYPE: "The `type` is not part of this protocol version. Nothing was applied.",
    ErrorCode.INVALID: "A field is missing or has the wrong type/value; `message` names it. "
    "Nothing was applied.",
    ErrorCode.TOO_LARGE: "The frame exceeded `max_frame_bytes` (see `welcome`). Nothing was "
    "applied; the connection stays open.",
    ErrorCode.UNSUPPORTED_VERSION: "The envelope `v` is not supported; the connection is closed "
    "with 4009. Upgrade the client.",
    ErrorCode.NOT_FOUND: "The object named by the command does not exist (or is not visible to "
    "you). Refresh your view; do not retry.",
    ErrorCode.INVALID_STATE: "The object is not in a state that allows this command (for example "
    "accepting an offer that has expired). Refresh your view; do not retry.",
    ErrorCode.IDEMPOTENCY_CONFLICT: "The idempotency key was already used with a different "
    "command body. Generate a new key for a new action.",
    ErrorCode.RESUME_TOO_OLD: "`resume_from` is older than the server keeps events (or from "
    "another server). Informational: discard local state and apply the `snapshot` that follows.",
    ErrorCode.INTERNAL: "The server failed unexpectedly; nothing was applied. Retrying the same "
    "command with the same key is safe.",
    ErrorCode.UNAVAILABLE: "The target agent or queue cannot take it now (offline, away, at "
    "capacity or nobody available); `message` says why. Choose another target.",
    ErrorCode.LIMIT_EXCEEDED: "A size or count limit was exceeded (attachments, digits, ...); "
    "`message` names the limit. Nothing was applied.",
}


class CloseCode(IntEnum):
    """Websocket close codes the server uses (application range 4000-4999 plus standard ones)."""

    GOING_AWAY = 1001
    TRANSPORT_TOO_BIG = 1009
    PROTOCOL_VIOLATION = 4000
    AUTH_FAILED = 4001
    TOKEN_EXPIRED = 4002
    FORBIDDEN = 4003
    AUTH_TIMEOUT = 4004
    SLOW_CONSUMER = 4008
    UNSUPPORTED_VERSION = 4009
    RATE_LIMITED = 4029


CLOSE_ADVICE: dict[CloseCode, tuple[bool, str]] = {
    # code: (fatal, what to do). Fatal = do not reconnect automatically.
    CloseCode.GOING_AWAY: (False, "Server shutting down or restarting: reconnect with backoff "
                           "and resume."),
    CloseCode.TRANSPORT_TOO_BIG: (False, "A frame exceeded the transport limit (8 MiB). "
                                  "Reconnect and resume; do not resend that frame."),
    CloseCode.PROTOCOL_VIOLATION: (True, "The first frame was not `login`, `hello` or "
                                   "`refresh`. Fix the client."),
    CloseCode.AUTH_FAILED: (True, "Credentials or token rejected. Ask the user to sign in."),
    CloseCode.TOKEN_EXPIRED: (False, "The access token expired while connected. Reconnect "
                              "with `refresh` and `resume_from`."),
    CloseCode.FORBIDDEN: (True, "The account is disabled. Tell the user."),
    CloseCode.AUTH_TIMEOUT: (False, "No authentication frame within 10 s. Reconnect and "
                             "authenticate at once."),
    CloseCode.SLOW_CONSUMER: (False, "The client read too slowly and its send queue overflowed. "
                              "Reconnect at once with `resume_from`; nothing is lost."),
    CloseCode.UNSUPPORTED_VERSION: (True, "Protocol version not supported. Upgrade the client."),
    CloseCode.RATE_LIMITED: (True, "Too many failed sign-ins. Wait and ask the user to retry."),
}
