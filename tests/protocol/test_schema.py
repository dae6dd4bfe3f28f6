"""The JSON Schema in docs/ is generated from the message definitions and kept current."""

from __future__ import annotations

import json

from agent_desk.protocol import messages as m
from agent_desk.protocol.schema import DEFAULT_PATH, build_schema, render


def test_schema_file_is_current() -> None:
    assert DEFAULT_PATH.read_text(encoding="utf-8") == render(), (
        "docs/protocol.schema.json is stale: run `python -m agent_desk.protocol.schema`")


def test_schema_names_every_frame_type() -> None:
    schema = build_schema()
    text = json.dumps(schema)
    for cls in (*m.COMMANDS, *m.QUERIES, *m.AUTH_FRAMES, m.Ping, m.Welcome, m.Snapshot,
                m.Event, m.Ack, m.Error, m.ReplayDone, m.Tokens, m.Pong):
        tag = cls.__struct_config__.tag
        assert f'"{tag}"' in text, f"frame type {tag} missing from the schema"
    assert schema["$defs"]["ClientFrame"]["discriminator"]["propertyName"] == "type"
