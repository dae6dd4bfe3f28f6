"""docs/protocol.md names every frame type, error code and close code, and its tables say
exactly what the code says a client should do."""

from __future__ import annotations

import re
from pathlib import Path

from agent_desk.protocol import messages as m
from agent_desk.protocol.codes import CLOSE_ADVICE, ERROR_ADVICE

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text("utf-8")


def _section(marker: str) -> str:
    return DOC.split(f"<!-- {marker} -->")[1].split(f"<!-- /{marker} -->")[0]


def test_every_frame_type_is_documented() -> None:
    frames = (*m.COMMANDS, *m.QUERIES, *m.AUTH_FRAMES, m.Ping, m.Welcome, m.Tokens,
              m.Snapshot, m.Event, m.ReplayDone, m.Ack, m.Error, m.Pong)
    missing = [c.__struct_config__.tag for c in frames
               if f"`{c.__struct_config__.tag}`" not in DOC]
    assert not missing, f"frame types missing from docs/protocol.md: {missing}"


def test_every_event_kind_is_documented() -> None:
    for cls in m.EventData.__args__:  # type: ignore[attr-defined]
        assert f"`{cls.__struct_config__.tag}`" in DOC


def test_error_code_table_matches_the_code() -> None:
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+) \|$", _section("error-codes"), re.M))
    assert rows == {str(code): advice for code, advice in ERROR_ADVICE.items()}


def test_close_code_table_matches_the_code() -> None:
    rows = {int(c): (fatal == "yes", advice) for c, fatal, advice in re.findall(
        r"^\| (\d+) \| (yes|no) \| (.+) \|$", _section("close-codes"), re.M)}
    assert rows == {int(code): v for code, v in CLOSE_ADVICE.items()}
