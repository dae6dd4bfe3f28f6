"""Agent Desk wire protocol v1: frame schemas, codes and codec (no Qt, no network)."""

from .codec import ProtocolError, decode_client_frame, decode_server_frame, encode
from .codes import CloseCode, ErrorCode
from .messages import MAX_FRAME_BYTES, PROTOCOL_VERSION

__all__ = [
    "MAX_FRAME_BYTES",
    "PROTOCOL_VERSION",
    "CloseCode",
    "ErrorCode",
    "ProtocolError",
    "decode_client_frame",
    "decode_server_frame",
    "encode",
]
