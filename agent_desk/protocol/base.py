"""The shared bases of every frame: envelope, limits, field types, and the ``Command`` /
``Query`` classes (in a module of their own so the feature modules, e.g. :mod:`.kb`, can
define frames that :mod:`.messages` gathers into the unions)."""

from __future__ import annotations

from typing import Annotated

import msgspec

PROTOCOL_VERSION = 1
#: Largest frame the server accepts and answers with ``too_large`` above (bytes).
MAX_FRAME_BYTES = 1024 * 1024
#: Transport limit: frames above it make the websocket library close with 1009.
TRANSPORT_MAX_BYTES = 8 * 1024 * 1024

Key = Annotated[
    str,
    msgspec.Meta(
        min_length=8,
        max_length=100,
        description="Client-generated idempotency key (a UUID is recommended); unique per action.",
    ),
]
ObjId = Annotated[int, msgspec.Meta(ge=1)]
ShortText = Annotated[str, msgspec.Meta(max_length=500)]
Body = Annotated[str, msgspec.Meta(max_length=200_000)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
#: Largest attachment chunk (raw bytes) per ``upload_chunk``; base64 makes it ~683 KiB.
MAX_CHUNK_BYTES = 512 * 1024
#: Total size of the attachments of one outgoing email.
MAX_ATTACHMENTS_BYTES = 25 * 1024 * 1024


class ClientFrame(msgspec.Struct, tag_field="type", kw_only=True, forbid_unknown_fields=False):
    v: int = PROTOCOL_VERSION
    id: Annotated[str, msgspec.Meta(max_length=100)] | None = None


class Command(ClientFrame, kw_only=True):
    key: Key


class Query(ClientFrame, kw_only=True):
    pass
