"""Encoding and validating frames. Every malformed input becomes a ``ProtocolError`` with a
protocol error code and a message that names the problem; nothing else escapes."""

from __future__ import annotations

from typing import Any

import msgspec

from .codes import ErrorCode
from .messages import (
    MAX_FRAME_BYTES,
    PROTOCOL_VERSION,
    AnyClientFrame,
    AnyServerFrame,
    ClientFrame,
    EventData,
    ServerFrame,
)

_CLIENT_TYPES: frozenset[str] = frozenset(
    t.__struct_config__.tag  # type: ignore[misc]
    for t in AnyClientFrame.__args__  # type: ignore[attr-defined]
)
_SERVER_DECODER = msgspec.json.Decoder(AnyServerFrame)
_ENCODER = msgspec.json.Encoder()


class ProtocolError(Exception):
    """A frame that cannot be accepted; ``code`` is a protocol ``ErrorCode``."""

    def __init__(self, code: ErrorCode, message: str, frame_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.frame_id = frame_id


def client_frame_types() -> frozenset[str]:
    return _CLIENT_TYPES


def encode(obj: Any) -> bytes:
    """Encode a frame, view or plain value to compact JSON bytes."""
    return _ENCODER.encode(obj)


class _IdOnly(msgspec.Struct):
    id: Any = None


_ID_DECODER = msgspec.json.Decoder(_IdOnly)


def _peek_id(data: str | bytes) -> str | None:
    """The ``id`` of a frame that is not otherwise read, if it has a valid one."""
    try:
        fid = _ID_DECODER.decode(data).id
    except msgspec.DecodeError:
        return None
    return fid if isinstance(fid, str) and len(fid) <= 100 else None


def decode_client_frame(data: str | bytes, max_bytes: int = MAX_FRAME_BYTES) -> ClientFrame:
    """Parse and validate one frame sent by a client."""
    size = len(data.encode() if isinstance(data, str) else data)
    if size > max_bytes:
        # nothing is applied, but the id is echoed so a client can drop it from its outbox
        raise ProtocolError(ErrorCode.TOO_LARGE, f"frame of {size} bytes exceeds {max_bytes}",
                            _peek_id(data))
    try:
        raw = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        raise ProtocolError(ErrorCode.MALFORMED, f"not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise ProtocolError(ErrorCode.MALFORMED, "a frame must be a JSON object")
    frame_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    version = raw.get("v", PROTOCOL_VERSION)
    if version != PROTOCOL_VERSION:
        raise ProtocolError(
            ErrorCode.UNSUPPORTED_VERSION,
            f"protocol version {version!r} is not supported (this server speaks "
            f"{PROTOCOL_VERSION})",
            frame_id,
        )
    ftype = raw.get("type")
    if not isinstance(ftype, str):
        raise ProtocolError(ErrorCode.INVALID, "missing or non-string field `type`", frame_id)
    if ftype not in _CLIENT_TYPES:
        raise ProtocolError(ErrorCode.UNKNOWN_TYPE, f"unknown frame type {ftype!r}", frame_id)
    try:
        frame: ClientFrame = msgspec.convert(raw, AnyClientFrame)  # type: ignore[arg-type]
    except msgspec.ValidationError as exc:
        raise ProtocolError(ErrorCode.INVALID, f"{ftype}: {exc}", frame_id) from None
    return frame


def decode_server_frame(data: str | bytes) -> ServerFrame:
    """Parse one frame sent by the server (used by clients and tests)."""
    try:
        frame: ServerFrame = _SERVER_DECODER.decode(data)
    except msgspec.DecodeError as exc:  # ValidationError is a subclass
        raise ProtocolError(ErrorCode.MALFORMED, f"bad server frame: {exc}") from None
    return frame


def event_frame(seq: int, prev: int, at_iso: str, data_json: bytes) -> bytes:
    """Build an ``event`` frame from a pre-encoded ``data`` object (encoded once per event,
    framed per connection because ``prev`` differs between connections)."""
    return (
        b'{"v":%d,"type":"event","seq":%d,"prev":%d,"at":"%s","data":'
        % (PROTOCOL_VERSION, seq, prev, at_iso.encode())
        + data_json
        + b"}"
    )


def encode_event_data(data: EventData) -> bytes:
    return _ENCODER.encode(data)
